// "For you": papers related to the reader's upvotes, each saying which upvoted papers brought it.
import type { Paper } from '../../domain/paper.ts';
import type { Recommendation } from '../../search/recommend.ts';
import { FOR_YOU_WINDOWS, type ForYouWindow } from '../params.ts';
import { mathText } from '../present/math.ts';
import { paperPath } from '../present/paper.ts';
import { paperCard, tabs } from './cards.ts';
import { type Html, html } from './html.ts';
import { layout, type Viewer } from './layout.ts';

const WINDOW_LABELS: Record<ForYouWindow, string> = { '7': 'Past week', '30': 'Past month', '365': 'Past year', all: 'Any time' };

export type ForYouModel = {
  siteName: string;
  recommendations: Recommendation[];
  /** How many of the reader's upvotes were read (the newest ones). */
  liked: number;
  window: ForYouWindow;
  viewer: Viewer | undefined;
};

const titleLink = (p: Paper) => html`<a href="${paperPath(p.id)}">${mathText(p.title)}</a>`;

function because(r: Recommendation): Html {
  const [first, ...rest] = r.because;
  const more = rest.length === 0 ? '' : html` and ${rest.length} more of your upvotes`;
  return html`<p class="why">Because you upvoted ${first ? titleLink(first) : ''}${more}.</p>`;
}

export function forYouPage(m: ForYouModel): Html {
  const windows = tabs(
    'Featured within',
    FOR_YOU_WINDOWS.map((w) => ({ href: `/for-you${w === '30' ? '' : `?days=${w}`}`, text: WINDOW_LABELS[w], current: w === m.window })),
  );
  const empty =
    m.liked === 0
      ? html`<p class="empty">Upvote papers you like (the ▲ beside each one) and this page suggests papers related to them, saying which of yours each comes from.</p>`
      : html`<p class="empty">Nothing related to your upvotes was featured in this time. Try a longer one.</p>`;
  const body = html`
<div class="page-head">
  <h1>For you</h1>
  <p class="byline">${m.liked === 0 ? 'Papers related to the ones you upvote.' : `Papers related to your ${m.liked === 1 ? 'upvote' : `${m.liked} newest upvotes`}, by their words and meaning; those related to several of yours first.`}</p>
</div>
<div class="switches">${windows}</div>
${m.recommendations.length === 0 ? empty : html`<ol class="cards">${m.recommendations.map((r) => paperCard(r.paper, { note: because(r), viewer: m.viewer }))}</ol>`}
<p class="feeds">In a feed reader: <code>/feeds/foryou.rss?token=TOKEN</code> (or <code>.atom</code>, <code>.json</code>), with a token that has only the read scope from <a href="/settings#tokens-h">Settings</a>.</p>`;
  return layout({ title: 'For you', siteName: m.siteName, nav: 'none', body, viewer: m.viewer });
}
