// One paper: full abstract with math, every author, the three dates, links, categories, similar papers.
import { type Organization, type Paper, sharedAuthors } from '../../domain/paper.ts';
import { mathToText } from '../../domain/latex-text.ts';
import { formatDay } from '../../domain/period.ts';
import { bibtex } from '../present/citation.ts';
import { mathText } from '../present/math.ts';
import { authorPath, paperPath, submittedLabel } from '../present/paper.ts';
import { cardList, linkList, orgBadge, upvoteControl } from './cards.ts';
import { type DiscussionModel, discussion } from './comments.ts';
import { type Html, html } from './html.ts';
import { csrfField, layout, type Viewer } from './layout.ts';

export type PaperPageModel = {
  siteName: string;
  publicUrl: string;
  paper: Paper;
  similar: Paper[];
  viewer: Viewer | undefined;
  discussion: DiscussionModel;
  /** Organizations the viewer may tag this paper with (undefined: may not tag it). */
  taggable: Organization[] | undefined;
  /** The viewer's authorship claim on this paper, if any. */
  claim: 'pending' | 'approved' | 'rejected' | undefined;
};

/** Why a similar paper is listed, where it can be said simply: the authors it shares with this one. */
function sharedNote(p: Paper, other: Paper): Html | undefined {
  const shared = sharedAuthors(p, other);
  if (shared.length === 0) return undefined;
  const named = shared.slice(0, 2);
  const more = shared.length - named.length;
  const joiner = (i: number) => (i === 0 ? '' : i === named.length - 1 && more === 0 ? ' and ' : ', ');
  return html`<p class="why">Also by ${named.map((n, i) => html`${joiner(i)}${n}`)}${more ? ` and ${more} more` : ''}.</p>`;
}

function paperActions(m: PaperPageModel): Html {
  const v = m.viewer;
  const p = m.paper;
  if (!v) return html``;
  return html`<div class="paper-actions">
  ${m.claim
    ? html`<p class="hint">Your authorship claim is ${m.claim}.</p>`
    : html`<form method="post" action="${paperPath(p.id)}/claim" class="inline">${csrfField(v)}<button type="submit" class="secondary">I am an author of this paper</button></form>`}
  ${m.taggable
    ? html`<form method="post" action="${paperPath(p.id)}/organization" class="inline">${csrfField(v)}
      <label for="tag-org">Organization</label>
      <select id="tag-org" name="org"><option value="">(none)</option>${m.taggable.map((o) => html`<option value="${o.name}"${o.name === p.organization?.name ? ' selected' : ''}>${o.fullname}</option>`)}</select>
      <button type="submit" class="secondary">Tag</button></form>`
    : ''}
  ${v.admin
    ? html`<form method="post" action="/admin/papers/${p.id}/${p.hidden ? 'show' : 'hide'}" class="inline">${csrfField(v)}<button type="submit" class="secondary">${p.hidden ? 'Show this paper again' : 'Hide this paper'}</button></form>`
    : ''}
</div>`;
}

export function paperPage(m: PaperPageModel): Html {
  const { siteName, publicUrl, paper: p, similar } = m;
  const submitted = submittedLabel(p);
  const body = html`
<article class="paper">
  <p class="crumbs"><a href="/papers/date/${p.featuredDate}">Daily Papers, ${formatDay(p.featuredDate)}</a></p>
  ${p.withdrawn ? html`<p class="notice" role="status"><strong>Withdrawn.</strong> The authors withdrew this paper from arXiv${p.comment ? html`: ${mathText(p.comment)}` : ''}.</p>` : ''}
  ${p.hidden ? html`<p class="notice" role="status"><strong>Hidden by a moderator.</strong> Only moderators see this page.</p>` : ''}
  ${p.deleted ? html`<p class="notice" role="status"><strong>Removed from arXiv.</strong> arXiv reports this record deleted; it is kept here for reference.</p>` : ''}
  <h1>${mathText(p.title)}</h1>
  <div class="paper-meta">
    ${upvoteControl(p, m.viewer)}
    ${orgBadge(p)}
    ${p.submittedBy ? html`<span class="submitted-by">Submitted by <a href="/users/${p.submittedBy}">${p.submittedBy}</a></span>` : ''}
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
  ${paperActions(m)}
</article>
${discussion(m.discussion)}
<section class="similar" aria-labelledby="similar-h">
  <h2 id="similar-h">Similar papers</h2>
  ${cardList(similar, 'No similar papers found.', m.viewer, (other) => sharedNote(p, other))}
</section>`;
  // Link previews (OpenGraph) and the canonical address, for sharing and search engines.
  const url = `${publicUrl}${paperPath(p.id)}`;
  // Browser tabs and link previews show text: their math as Unicode ("R³", not "R$^3$").
  const title = mathToText(p.title);
  const description = mathToText(p.abstract);
  const head = html`<link rel="canonical" href="${url}">
<meta property="og:type" content="article">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${description.slice(0, 300)}">
<meta property="og:url" content="${url}">
<meta property="og:site_name" content="${siteName}">`;
  return layout({ title, siteName, description: description.slice(0, 200), nav: 'none', head, body, viewer: m.viewer });
}
