// A paper card (the unit of every listing), the list of cards and the pager.
import type { Paper } from '../../domain/paper.ts';
import { mathText } from '../present/math.ts';
import { abstractPreview, arxivDate, authorPath, cardAuthors, orgPath, paperLinks, paperPath } from '../present/paper.ts';
import { type Html, html, type Renderable } from './html.ts';
import { csrfField, type Viewer } from './layout.ts';

export function upvoteBadge(n: number): Html {
  return html`<span class="upvotes" title="${n} upvote${n === 1 ? '' : 's'}"><span aria-hidden="true">▲</span> ${n}<span class="visually-hidden"> upvote${n === 1 ? '' : 's'}</span></span>`;
}

/**
 * The upvote control: for a signed-in reader a form that toggles the vote (works without JavaScript;
 * app.js submits it in place), for others a link to sign in that shows the count.
 */
export function upvoteControl(p: Paper, viewer: Viewer | undefined): Html {
  if (!viewer) return html`<a class="vote" href="/login?next=${encodeURIComponent(paperPath(p.id))}" title="Sign in to upvote">${upvoteBadge(p.upvotes)}</a>`;
  const voted = viewer.voted.has(p.id);
  return html`<form class="vote" method="post" action="${paperPath(p.id)}/upvote" data-vote>${csrfField(viewer)}<input type="hidden" name="on" value="${voted ? '0' : '1'}"><button type="submit" aria-pressed="${voted ? 'true' : 'false'}" title="${voted ? 'Remove your upvote' : 'Upvote'}">${upvoteBadge(p.upvotes)}</button></form>`;
}

export function linkList(p: Paper): Html {
  const links = paperLinks(p);
  if (links.length === 0) return html``;
  return html`<ul class="links">${links.map(
    (l) => html`<li><a class="link-${l.kind}" href="${l.href}" rel="noopener">${l.label}</a></li>`,
  )}</ul>`;
}

export function orgBadge(p: Paper): Html {
  return p.organization
    ? html`<a class="org" href="${orgPath(p.organization.name)}">${p.organization.fullname}</a>`
    : html``;
}

export type CardOptions = { titleHtml?: Html; excerpt?: Html; note?: Html; viewer?: Viewer | undefined };

export function paperCard(p: Paper, opts: CardOptions = {}): Html {
  const a = cardAuthors(p);
  const d = arxivDate(p);
  return html`<li><article class="card">
  <div class="card-main">
    <h3><a href="${paperPath(p.id)}">${opts.titleHtml ?? mathText(p.title)}</a></h3>
    <p class="abstract${opts.excerpt ? '' : ' clamp'}">${opts.excerpt ?? mathText(abstractPreview(p.abstract))}</p>
    <div class="meta">
      ${orgBadge(p)}
      ${a.names.length > 0
        ? html`<span class="authors">${a.names.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="${authorPath(n)}">${n}</a>`)}</span>`
        : a.summary ? html`<span class="authors">${a.summary}</span>` : ''}
      ${d ? html`<time datetime="${d.day}" title="${d.title}">${d.label}</time>` : ''}
    </div>
    ${p.submittedBy || p.comments ? html`<p class="submitted-by">${p.submittedBy ? html`Submitted by <a href="/users/${p.submittedBy}">${p.submittedBy}</a>` : ''}${p.submittedBy && p.comments ? ' · ' : ''}${p.comments ? html`<a href="${paperPath(p.id)}#discussion-h">${p.comments} comment${p.comments === 1 ? '' : 's'}</a>` : ''}</p>` : ''}
    ${opts.note ?? ''}
    ${linkList(p)}
  </div>
  <div class="card-side">${upvoteControl(p, opts.viewer)}</div>
</article></li>`;
}

/** `note`: a line under a card (why it is listed), if any. */
export function cardList(papers: Paper[], empty: Renderable = 'No papers here.', viewer?: Viewer, note?: (p: Paper) => Html | undefined): Html {
  return papers.length === 0 ? html`<p class="empty">${empty}</p>` : html`<ol class="cards">${papers.map((p) => paperCard(p, { viewer, note: note?.(p) }))}</ol>`;
}

/** A tab of tabs(): where it goes, what it says, whether it is the one shown. */
export type Tab = { href: string; text: string; current: boolean };

/**
 * A row of links of which one is the page shown (the same list another way: an order, a span, a
 * period). `currentAs`: aria-current's value, "page" when the tabs are the site's own pages.
 */
export function tabs(label: string, items: Tab[], opts: { cls?: string; currentAs?: 'true' | 'page' } = {}): Html {
  const current = html` aria-current="${opts.currentAs ?? 'true'}"`;
  return html`<ul class="tabs${opts.cls ? ` ${opts.cls}` : ''}" aria-label="${label}">${items.map(
    (t) => html`<li><a href="${t.href}"${t.current ? current : ''}>${t.text}</a></li>`,
  )}</ul>`;
}

/** Previous/next page links; `href(p)` builds the URL of page p (0-based). */
export function pager(page: number, hasMore: boolean, href: (p: number) => string): Html {
  if (page === 0 && !hasMore) return html``;
  return html`<nav class="pager" aria-label="Pages">
  ${page > 0 ? html`<a rel="prev" href="${href(page - 1)}">← Previous page</a>` : html`<span></span>`}
  <span>Page ${page + 1}</span>
  ${hasMore ? html`<a rel="next" href="${href(page + 1)}">Next page →</a>` : html`<span></span>`}
</nav>`;
}
