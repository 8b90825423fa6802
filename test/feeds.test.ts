// Feeds of every list view, through the web app on a real SQLite store: each format is checked for
// its specification's required elements, RSS and Atom are parsed as strict XML (saxes) and by a real
// feed parser (@rowanmanning/feed-parser), and JSON Feed against the 1.1 spec's required fields.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import type { FastifyInstance } from 'fastify';
import { SaxesParser } from 'saxes';
import type { Deps } from '../src/deps.ts';
import { buildApp } from '../src/web/app.ts';
import { paper, testDeps } from './helpers.ts';

const NASTY = 'Attention <script>alert(1)</script> & "quotes" \u0007bell';
const PAPERS = [
  paper({ id: '2606.30001', title: 'Diffusion models for proteins in $\\mathbb{R}^3$', abstract: 'We bound the loss by $\\mathcal{L} \\le \\sum_i x_i^2$ and fold proteins.', featuredDate: '2026-06-30', upvotes: 12, categories: ['cs.LG', 'q-bio.BM'], organization: { name: 'acme', fullname: 'Acme Labs' } }),
  paper({ id: '2606.30002', title: NASTY, abstract: 'Text with <b>tags</b> & ampersands.', featuredDate: '2026-06-29', upvotes: 3, authors: ['Grace <Hopper>'] }),
  paper({ id: '2606.30003', title: 'Diffusion for robots', abstract: 'Robots move.', featuredDate: '2026-06-10', upvotes: 40 }),
];

/** Strict XML 1.0 well-formedness: throws on the first error. */
function wellFormed(xml: string): void {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
}

describe('feeds', () => {
  let app: FastifyInstance;
  let deps: Deps;
  before(async () => {
    deps = await testDeps({ PAGE_CACHE_SECONDS: '0', PUBLIC_URL: 'https://papers.example.org' }, '2026-07-01T12:00:00Z');
    await deps.store.transaction((tx) => tx.papers.upsertMany(PAPERS, '2026-07-01T00:00:00Z'));
    // A saved filter's private feed: strict (every word), with exclusions.
    const user = (await deps.store.users.create({ email: 'f@example.org', handle: 'feeder', displayName: 'F', passwordHash: null, now: '2026-07-01T00:00:00Z' }))!;
    await deps.store.subscriptions.addFilter({ userId: user.id, name: 'Diffusion, no robots', query: 'diffusion -robots', feedToken: 'filter-feed-token', now: '2026-07-01T00:00:00Z' });
    app = await buildApp(deps);
  });

  const views = [
    ['daily', '', ['2606.30001', '2606.30002']],
    ['weekly', '', ['2606.30001', '2606.30002']],
    ['monthly', '', ['2606.30003', '2606.30001', '2606.30002']],
    ['trending', '', ['2606.30001', '2606.30002']],
    ['search', '?q=diffusion', ['2606.30001', '2606.30003']],
    ['author', '?name=ada%20lovelace', ['2606.30001', '2606.30003']],
    ['org', '?name=acme', ['2606.30001']],
    ['filter', '?token=filter-feed-token', ['2606.30001']],
  ] as const;
  const ids = (links: (string | null | undefined)[]) => links.map((l) => /\/papers\/(.+)$/.exec(l ?? '')?.[1]).sort();

  for (const [view, query, expected] of views) {
    it(`${view}: RSS 2.0, Atom 1.0 and JSON Feed 1.1 with the view's papers`, async () => {
      const rss = await app.inject({ url: `/feeds/${view}.rss${query}` });
      assert.equal(rss.statusCode, 200, rss.body);
      assert.equal(rss.headers['content-type'], 'application/rss+xml; charset=utf-8');
      wellFormed(rss.body);
      assert.match(rss.body, /<rss version="2\.0"/);
      for (const required of ['<title>', '<link>https://papers.example.org/', '<description>']) assert.ok(rss.body.includes(required), required);
      const r = parseFeed(rss.body);
      assert.equal(r.meta.type, 'rss');
      assert.deepEqual(ids(r.items.map((i) => i.url)), [...expected].sort());
      for (const i of r.items) {
        assert.ok(i.title && i.id && i.published, JSON.stringify(i));
        assert.match(i.id!, /^https:\/\/papers\.example\.org\/papers\//);
      }

      const atom = await app.inject({ url: `/feeds/${view}.atom${query}` });
      assert.equal(atom.statusCode, 200);
      assert.equal(atom.headers['content-type'], 'application/atom+xml; charset=utf-8');
      wellFormed(atom.body);
      const a = parseFeed(atom.body);
      assert.equal(a.meta.type, 'atom');
      assert.ok(a.title && a.updated && /<feed[^>]*>\s*<id>https:\/\/papers\.example\.org\//.test(atom.body), 'feed id, title and updated are required (RFC 4287 4.1.1)');
      assert.deepEqual(ids(a.items.map((i) => i.url)), [...expected].sort());
      for (const i of a.items) assert.ok(i.id && i.title && i.updated && i.authors.length > 0, 'entry id, title, updated and an author (4.1.2)');
      assert.ok(atom.body.includes(`<link rel="self" type="application/atom+xml" href="https://papers.example.org/feeds/${view}.atom${query.replace('%20', '%20')}"/>`));

      const json = await app.inject({ url: `/feeds/${view}.json${query}` });
      assert.equal(json.statusCode, 200);
      assert.equal(json.headers['content-type'], 'application/feed+json; charset=utf-8');
      const j = json.json() as { version: string; title: string; feed_url: string; items: { id: string; url: string; content_html: string; content_text: string }[] };
      assert.equal(j.version, 'https://jsonfeed.org/version/1.1');
      assert.ok(j.title);
      assert.match(j.feed_url, new RegExp(`^https://papers\\.example\\.org/feeds/${view}\\.json`));
      assert.deepEqual(ids(j.items.map((i) => i.url)), [...expected].sort());
      for (const i of j.items) assert.ok(typeof i.id === 'string' && (i.content_html || i.content_text));
    });
  }

  it('renders math as MathML in HTML content and keeps the TeX in plain text', async () => {
    const j = (await app.inject({ url: '/feeds/daily.json' })).json() as { items: { id: string; content_html: string; content_text: string }[] };
    const item = j.items.find((i) => i.id.endsWith('2606.30001'))!;
    assert.match(item.content_html, /<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML"/);
    assert.doesNotMatch(item.content_html, /class="katex-html"/, 'no layout spans that need KaTeX\'s stylesheet');
    assert.ok(item.content_text.includes('$\\mathcal{L} \\le \\sum_i x_i^2$'));
  });

  it('titles items in plain text, their math as Unicode, in every format', async () => {
    const j = (await app.inject({ url: '/feeds/daily.json' })).json() as { items: { id: string; title: string }[] };
    assert.equal(j.items.find((i) => i.id.endsWith('2606.30001'))!.title, 'Diffusion models for proteins in ℝ³');
    for (const format of ['rss', 'atom']) {
      assert.match((await app.inject({ url: `/feeds/daily.${format}` })).body, /<title>Diffusion models for proteins in ℝ³<\/title>/, format);
    }
  });

  it('escapes every piece of paper text and drops characters XML forbids', async () => {
    for (const format of ['rss', 'atom'] as const) {
      const body = (await app.inject({ url: `/feeds/daily.${format}` })).body;
      assert.ok(!body.includes('<script>'));
      assert.ok(!body.includes('\u0007'));
      const feed = parseFeed(body);
      const item = feed.items.find((i) => i.url?.endsWith('2606.30002'))!;
      assert.equal(item.title, NASTY.replace('\u0007', ''));
      // The abstract's own "<b>" is text: escaped in the HTML, whose markup is escaped again in the XML.
      assert.ok(body.includes('Text with &amp;lt;b&amp;gt;tags&amp;lt;/b&amp;gt; &amp;amp; ampersands.'));
    }
    const j = (await app.inject({ url: '/feeds/daily.json' })).json() as { items: { title: string; authors: { name: string }[] }[] };
    assert.ok(j.items.some((i) => i.title === NASTY && i.authors[0]!.name === 'Grace <Hopper>'));
  });

  it('is linked from every list page, in <head> and in the page', async () => {
    const pages = [
      ['/', '/feeds/daily.rss'],
      ['/papers/week/2026-W27', '/feeds/weekly.atom'],
      ['/papers/month/2026-06', '/feeds/monthly.json'],
      ['/trending', '/feeds/trending.rss'],
      ['/search?q=diffusion%20models', '/feeds/search.rss?q=diffusion%20models'],
      ['/authors/Ada%20Lovelace', '/feeds/author.atom?name=Ada%20Lovelace'],
      ['/orgs/acme', '/feeds/org.json?name=acme'],
    ];
    for (const [url, feed] of pages) {
      const body = (await app.inject({ url: url! })).body;
      const type = feed!.includes('.rss') ? 'application/rss+xml' : feed!.includes('.atom') ? 'application/atom+xml' : 'application/feed+json';
      assert.ok(body.includes(`<link rel="alternate" type="${type}"`) && body.includes(`href="${feed!.replaceAll('&', '&amp;')}"`), `${url} links ${feed}`);
      assert.match(body, /<p class="feeds">Follow this list:/);
    }
  });

  it('says what is wrong with a feed URL', async () => {
    const noQuery = await app.inject({ url: '/feeds/search.rss' });
    assert.equal(noQuery.statusCode, 400);
    assert.match(noQuery.body, /A search feed needs a query/);
    assert.equal((await app.inject({ url: '/feeds/hourly.rss' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/feeds/daily.xml' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/feeds/author.rss?name=Nobody%20Here' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/feeds/org.atom?name=nope' })).statusCode, 404);
    assert.equal((await app.inject({ url: `/feeds/search.rss?q=${'x'.repeat(1001)}` })).statusCode, 400);
  });
});
