// One paper: full abstract with math, every author, the three dates, links, categories, similar papers.
import type { Paper } from '../../domain/paper.ts';
import { formatDay } from '../../domain/period.ts';
import { bibtex } from '../present/citation.ts';
import { mathText } from '../present/math.ts';
import { authorPath, paperPath, submittedLabel } from '../present/paper.ts';
import { cardList, linkList, orgBadge, upvoteBadge } from './cards.ts';
import { type Html, html } from './html.ts';
import { layout } from './layout.ts';

export function paperPage(siteName: string, publicUrl: string, p: Paper, similar: Paper[]): Html {
  const submitted = submittedLabel(p);
  const body = html`
<article class="paper">
  <p class="crumbs"><a href="/papers/date/${p.featuredDate}">Daily Papers, ${formatDay(p.featuredDate)}</a></p>
  ${p.withdrawn ? html`<p class="notice" role="status"><strong>Withdrawn.</strong> The authors withdrew this paper from arXiv${p.comment ? html`: ${mathText(p.comment)}` : ''}.</p>` : ''}
  ${p.deleted ? html`<p class="notice" role="status"><strong>Removed from arXiv.</strong> arXiv reports this record deleted; it is kept here for reference.</p>` : ''}
  <h1>${mathText(p.title)}</h1>
  <div class="paper-meta">
    ${upvoteBadge(p.upvotes)}
    ${orgBadge(p)}
  </div>
  <p class="authors-full">${
    p.authors.length > 0
      ? p.authors.map(
          (n, i) =>
            html`${i > 0 ? ', ' : ''}<a href="${authorPath(n)}">${n}</a>${p.affiliations[i] ? html` <span class="affiliation">(${p.affiliations[i]})</span>` : ''}`,
        )
      : p.authorCount > 0 ? `${p.authorCount} authors (names not available)` : 'Authors not available'
  }</p>
  ${linkList(p)}
  <dl class="dates">
    <div><dt>Submitted to arXiv</dt><dd>${submitted ?? 'unknown'}</dd></div>
    <div><dt>Announced on arXiv</dt><dd>${p.announcedDate ? formatDay(p.announcedDate) : 'unknown'}</dd></div>
    <div><dt>Featured here</dt><dd><a href="/papers/date/${p.featuredDate}">${formatDay(p.featuredDate)}</a></dd></div>
    ${p.version && p.version > 1 ? html`<div><dt>Version</dt><dd>v${p.version}${p.updatedDate ? `, updated ${formatDay(p.updatedDate)}` : ''}</dd></div>` : ''}
  </dl>
  <section aria-labelledby="abstract-h">
    <h2 id="abstract-h">Abstract</h2>
    <p class="abstract-full">${mathText(p.abstract, true)}</p>
  </section>
  ${p.categories.length > 0 ? html`<p class="categories" aria-label="arXiv categories">${p.categories.map((c) => html`<span class="tag${c === p.primaryCategory ? ' primary' : ''}">${c}</span> `)}</p>` : ''}
  ${p.comment ? html`<p class="comment"><strong>Comment:</strong> ${mathText(p.comment)}</p>` : ''}
  ${p.journalRef ? html`<p class="comment"><strong>Journal reference:</strong> ${p.journalRef}</p>` : ''}
  <details class="cite">
    <summary>Cite (BibTeX)</summary>
    <pre><code>${bibtex(p)}</code></pre>
  </details>
</article>
<section class="similar" aria-labelledby="similar-h">
  <h2 id="similar-h">Similar papers</h2>
  ${cardList(similar, 'No similar papers found.')}
</section>`;
  // Link previews (OpenGraph) and the canonical address, for sharing and search engines.
  const url = `${publicUrl}${paperPath(p.id)}`;
  const head = html`<link rel="canonical" href="${url}">
<meta property="og:type" content="article">
<meta property="og:title" content="${p.title}">
<meta property="og:description" content="${p.abstract.slice(0, 300)}">
<meta property="og:url" content="${url}">
<meta property="og:site_name" content="${siteName}">`;
  return layout({ title: p.title, siteName, description: p.abstract.slice(0, 200), nav: 'none', head, body });
}
