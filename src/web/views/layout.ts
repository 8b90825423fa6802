// The page shell: head, header with navigation, search and the subscribe call to action, footer.
import { type Html, html, type Renderable } from './html.ts';

/** The signed-in reader a page is rendered for (signed-out readers get the cacheable page: undefined). */
export type Viewer = {
  handle: string;
  displayName: string;
  admin: boolean;
  verified: boolean;
  /** The CSRF token every form on the page carries. */
  csrf: string;
  /** Which of the page's papers this reader has upvoted. */
  voted: ReadonlySet<string>;
};

export type NavKey = 'day' | 'week' | 'month' | 'trending' | 'search' | 'none';

export type PageOptions = {
  title: string;
  siteName: string;
  description?: string;
  nav?: NavKey;
  query?: string;
  /** Extra <head> elements (alternate links, canonical). */
  head?: Renderable;
  /** Math on the page: include the KaTeX stylesheet. */
  math?: boolean;
  body: Renderable;
  viewer?: Viewer | undefined;
};

/** The hidden field that every state-changing form carries. */
export const csrfField = (v: Viewer | { csrf: string }): Html => html`<input type="hidden" name="_csrf" value="${v.csrf}">`;

function account(v: Viewer | undefined): Html {
  if (!v) return html`<nav class="account" aria-label="Account"><a href="/login">Log in</a> <a class="button secondary" href="/signup">Sign up</a></nav>`;
  // The rest of the account sits in a menu (details/summary: it opens without JavaScript), so the
  // header keeps one row on a laptop screen whatever the name's length.
  return html`<nav class="account" aria-label="Account">
      <a href="/submit" title="Submit a paper">Submit</a>
      <details class="menu">
        <summary title="Your account"><span class="name">${v.displayName}</span></summary>
        <ul>
          <li><a href="/for-you" title="Papers related to your upvotes">For you</a></li>
          <li><a href="/users/${v.handle}">Your profile</a></li>
          <li><a href="/settings">Settings</a></li>
          ${v.admin ? html`<li><a href="/admin">Moderation</a></li>` : ''}
          <li><form method="post" action="/logout">${csrfField(v)}<button type="submit" class="link">Log out</button></form></li>
        </ul>
      </details>
    </nav>`;
}

const NAV: { key: NavKey; href: string; label: string }[] = [
  { key: 'day', href: '/', label: 'Daily' },
  { key: 'week', href: '/papers/week', label: 'Weekly' },
  { key: 'month', href: '/papers/month', label: 'Monthly' },
  { key: 'trending', href: '/trending', label: 'Trending' },
];

export function layout(o: PageOptions): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${o.siteName}</title>
<meta name="description" content="${o.description ?? 'Daily research papers, curated by the community.'}">
<meta name="color-scheme" content="light dark">
${o.viewer ? html`<meta name="csrf-token" content="${o.viewer.csrf}">` : ''}
<link rel="stylesheet" href="/static/app.css">
${o.math !== false ? html`<link rel="stylesheet" href="/static/katex/katex.min.css">` : ''}
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${o.head}
<script src="/static/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <div class="bar">
    <a class="brand" href="/"><img src="/static/favicon.svg" alt="" width="24" height="24"> ${o.siteName}</a>
    <nav aria-label="Views">
      <ul>${NAV.map(
        (n) => html`<li><a href="${n.href}"${n.key === o.nav ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
      )}</ul>
    </nav>
    <form class="search" role="search" action="/search" method="get">
      <label class="visually-hidden" for="site-q">Search papers</label>
      <input id="site-q" type="search" name="q" value="${o.query ?? ''}" placeholder="Search papers" maxlength="1000" aria-keyshortcuts="/" data-suggest>
      <button type="submit">Search</button>
    </form>
    <button class="theme-toggle" type="button" hidden aria-label="Switch between light and dark theme">◐</button>
    ${account(o.viewer)}
  </div>
  ${o.viewer && !o.viewer.verified ? html`<div class="notice verify-notice">Please confirm your email address: follow the link we mailed you. <form method="post" action="/settings/verify" class="inline">${csrfField(o.viewer)}<button type="submit" class="link">Send it again</button></form></div>` : ''}
  <div class="cta">
    <p>Get trending papers in your email inbox!</p>
    <form class="cta-form" method="get" action="/subscribe">
      <label class="visually-hidden" for="cta-email">Your email address</label>
      <input id="cta-email" type="email" name="email" placeholder="you@example.org" autocomplete="email" maxlength="254">
      <button type="submit" class="button">Subscribe</button>
    </form>
  </div>
</header>
<main id="main">
${o.body}
</main>
<footer class="site">
  <p>${o.siteName} · papers from <a href="https://arxiv.org">arXiv</a>, curated by the community ·
  <a href="/orgs">Organizations</a> · <a href="/api/docs">API</a> · <a href="/about">About trending</a></p>
</footer>
</body>
</html>`;
}
