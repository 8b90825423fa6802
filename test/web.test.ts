// Web routes in-process (app.inject) on a real SQLite database holding the bundled demo corpus.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildApp } from '../src/web/app.ts';
import { silentLog, testDeps } from './helpers.ts';

const app = await buildApp(await testDeps({ DEMO_DATA: 'true' }));

const get = async (url: string) => {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.body, headers: r.headers, json: () => JSON.parse(r.body) };
};
const upvotesOf = (body: string) => [...body.matchAll(/<span class="upvotes"[^>]*><span aria-hidden="true">▲<\/span> (\d+)/g)].map((m) => Number(m[1]));
const cardIds = (body: string) => [...body.matchAll(/<h3><a href="\/papers\/([^"]+)">/g)].map((m) => m[1]);

describe('daily pages', () => {
  it('shows the newest featured day on or before today, with the subscribe call to action', async () => {
    const r = await get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] as string, /text\/html; charset=utf-8/);
    assert.match(r.body, /Get trending papers in your email inbox!/);
    assert.match(r.body, /<form class="cta-form" method="get" action="\/subscribe">[\s\S]*?<input id="cta-email" type="email" name="email"[\s\S]*?Subscribe<\/button>/);
    assert.match(r.body, /<h2 class="period-title">Jul 1, 2026<\/h2>/);
    assert.match(r.body, /<a class="prev-period" href="\/papers\/date\/2026-06-30">/);
    assert.doesNotMatch(r.body, /class="next-period"/);
    assert.match(r.body, /300 papers featured this day/);
    assert.equal(cardIds(r.body).length, 30);
    const votes = upvotesOf(r.body);
    assert.deepEqual(votes, [...votes].sort((a, b) => b - a), 'trending within one day = most votes first');
  });

  it('navigates days, skipping days without papers, and sorts by newest', async () => {
    const r = await get('/papers?date=2026-06-29');
    assert.match(r.body, /<a class="prev-period" href="\/papers\/date\/2026-06-26">/);
    assert.match(r.body, /<a class="next-period" href="\/papers\/date\/2026-06-30">/);
    const empty = await get('/papers/date/2026-06-27');
    assert.equal(empty.status, 200);
    assert.match(empty.body, /No papers were featured this day/);
    assert.match(empty.body, /class="prev-period" href="\/papers\/date\/2026-06-26"/);
    const newest = await get('/papers/date/2026-06-29?sort=newest');
    const ids = cardIds(newest.body);
    assert.deepEqual(ids, [...ids].sort().reverse());
    assert.match(newest.body, /<a rel="next" href="\/papers\/date\/2026-06-29\?sort=newest&amp;p=1">Next page/);
  });

  it('has week and month views with their own navigation', async () => {
    const w = await get('/papers/week/2026-W26');
    assert.equal(w.status, 200);
    assert.match(w.body, /Week 26, 2026 \(Jun 22, 2026 – Jun 28, 2026\)/);
    assert.match(w.body, /class="prev-period" href="\/papers\/week\/2026-W25"/);
    assert.match(w.body, /class="next-period" href="\/papers\/week\/2026-W27"/);
    assert.match(w.body, /1090 papers featured this week/); // 266+537+... of Jun 22-28 in the demo
    const m = await get('/papers?month=2026-06');
    assert.match(m.body, /<h2 class="period-title">June 2026<\/h2>/);
    assert.match(m.body, /class="next-period" href="\/papers\/month\/2026-07"/);
    const latest = await get('/papers/week');
    assert.equal(latest.status, 302);
    assert.equal(latest.headers.location, '/papers/week/2026-W27');
  });

  it('answers bad period parameters with a 400 page naming the parameter', async () => {
    for (const [url, text] of [
      ['/papers?date=2026-13-01', /date must be a calendar date YYYY-MM-DD/],
      ['/papers?week=2026-W60', /week must be an ISO week YYYY-Www/],
      ['/papers?date=2026-06-01&amp;week=2026-W20'.replace('&amp;', '&'), /give only one of date, week and month/],
      ['/papers/week/abc', /“abc” is not an ISO week YYYY-Www/],
      ['/papers?sort=best', /sort must be trending or newest/],
      ['/papers?p=-1', /p must be a whole number from 0 to 1000/],
    ] as const) {
      const r = await get(url);
      assert.equal(r.status, 400, url);
      assert.match(r.body, text, url);
    }
  });

  it('ranks /trending by the trending score', async () => {
    const r = await get('/trending');
    assert.equal(r.status, 200);
    assert.match(r.body, /Papers featured Jun 25, 2026 – Jul 1, 2026/);
    assert.equal(cardIds(r.body).length, 30);
  });
});

describe('paper pages', () => {
  it('shows the full abstract with math rendered, the three dates, links and similar papers', async () => {
    const r = await get('/papers/2606.28471');
    assert.equal(r.status, 200);
    assert.match(r.body, /<span class="katex">/);
    assert.match(r.body, /Submitted to arXiv<\/dt><dd>June 2026 \(from the arXiv id\)/);
    assert.match(r.body, /Announced on arXiv<\/dt><dd>Jun 30, 2026/);
    assert.match(r.body, /Featured here<\/dt><dd><a href="\/papers\/date\/2026-06-30">Jun 30, 2026/);
    assert.match(r.body, /href="https:\/\/arxiv.org\/abs\/2606.28471"/);
    assert.match(r.body, /href="https:\/\/arxiv.org\/pdf\/2606.28471"/);
    assert.match(r.body, /<link rel="canonical" href="http:\/\/localhost:3000\/papers\/2606\.28471">/);
    assert.match(r.body, /<meta property="og:title" content="[^"]+">/);
    assert.match(r.body, /<summary>Cite \(BibTeX\)<\/summary>\s*<pre><code>@misc\{\w+2026\w+,\n {2}title = /);
    const similar = r.body.slice(r.body.indexOf('id="similar-h"'));
    assert.equal(cardIds(similar).length, 6);
    assert.ok(!cardIds(similar).includes('2606.28471'));
  });

  it('says which authors a similar paper shares with the paper', async () => {
    const r = await get('/papers/2606.24477');
    const similar = r.body.slice(r.body.indexOf('id="similar-h"'));
    assert.ok(cardIds(similar).includes('2606.07577'), 'OmniMem, by four of its six authors, is among its similar papers');
    const card = similar.slice(similar.indexOf('<a href="/papers/2606.07577">'));
    assert.match(card.slice(0, card.indexOf('</li>')), /<p class="why">Also by Guangzhi Sun, Yixuan Li and 2 more\.<\/p>/);
  });

  it('titles the page and its link preview in text, math as Unicode', async () => {
    const r = await get('/papers/2606.24477');
    assert.match(r.body, /<title>video-SALMONN-R³: Learning to ReWatch, ReAsk, and ReAnswer for Efficient Video Understanding · /);
    assert.match(r.body, /<meta property="og:title" content="video-SALMONN-R³: Learning/);
    assert.match(r.body, /<meta property="og:description" content="Video large language models \(LLMs\) are often constrained[^"$]*">/);
    const math = await get('/papers/2606.09522'); // math in its title and its abstract's first words
    const preview = /<meta property="og:description" content="([^"]*)">/.exec(math.body)![1]!;
    assert.doesNotMatch(preview, /\$|\\[a-z]+/, preview);
  });

  it('finds a paper by any spelling of its id and 404s unknown ones', async () => {
    assert.equal((await get('/papers/2606.28471v2')).status, 200);
    assert.equal((await get('/papers/arXiv:2606.28471')).status, 200);
    const missing = await get('/papers/2606.99999');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /No paper with the id “2606.99999”/);
    assert.equal((await get('/papers/hep-th/9901001')).status, 404);
    assert.equal((await get('/papers/%3Cscript%3E')).status, 404);
  });

  it('shows seed-page cards: counts of authors, organization badges and pages, code links', async () => {
    const s = await get('/search?q=DISPO');
    assert.match(s.body, /<span class="authors">7 authors<\/span>/);
    const org = await get('/orgs/google');
    assert.equal(org.status, 200);
    assert.match(org.body, /<h1>Google<\/h1>/);
    const id = cardIds(org.body)[0]!;
    const p = await get(`/papers/${id}`);
    assert.match(p.body, /<a class="org" href="\/orgs\/google">Google<\/a>/);
    assert.equal((await get('/orgs/nobody')).status, 404);
    const mdpo = await get('/search?q=%22Mirror+Descent+Policy+Optimization%22');
    assert.match(mdpo.body, /href="https:\/\/github.com\/manantomar\/Mirror-Descent-Policy-Optimization"/);
  });

  it('lists an author\'s papers whatever the case of the name', async () => {
    const p = await get('/papers/2606.28471');
    const name = decodeURIComponent(/<p class="authors-full"><a href="\/authors\/([^"]+)"/.exec(p.body)![1]!);
    const r = await get(`/authors/${encodeURIComponent(name.toUpperCase())}`);
    assert.equal(r.status, 200);
    assert.ok(cardIds(r.body).includes('2606.28471'));
    assert.equal((await get('/authors/Nobody%20At%20All')).status, 404);
  });

  it('lists an author\'s or an organization\'s papers newest or most upvoted first, with their number', async () => {
    const votes = (body: string) => [...body.matchAll(/<span class="upvotes" title="(\d+) upvotes?"/g)].map((m) => Number(m[1]));
    const newest = await get('/authors/Trung-Nghia%20Le');
    assert.match(newest.body, /<p class="byline">19 papers, newest first\.<\/p>/);
    assert.match(newest.body, /<a href="\/authors\/Trung-Nghia%20Le\?sort=upvoted">Most upvoted<\/a>/);
    const upvoted = await get('/authors/Trung-Nghia%20Le?sort=upvoted');
    assert.match(upvoted.body, /<p class="byline">19 papers, most upvoted first\.<\/p>/);
    assert.match(upvoted.body, /aria-current="true">Most upvoted</);
    assert.deepEqual(cardIds(upvoted.body).sort(), cardIds(newest.body).sort(), 'the same papers');
    const v = votes(upvoted.body);
    assert.deepEqual(v, [...v].sort((a, b) => b - a), 'most upvoted first');
    assert.notDeepEqual(cardIds(upvoted.body), cardIds(newest.body), 'in another order');
    const org = await get('/orgs/google?sort=upvoted');
    assert.match(org.body, /<p class="byline">\d+ papers?, most upvoted first\.<\/p>/);
    const ov = votes(org.body);
    assert.deepEqual(ov, [...ov].sort((a, b) => b - a));
    // The directory of organizations, most papers first, linked from each organization's page.
    assert.match(org.body, /<p class="eyebrow"><a href="\/orgs">Organization<\/a><\/p>/);
    const dir = await get('/orgs');
    assert.equal(dir.status, 200);
    const rows = [...dir.body.matchAll(/<tr><td><a href="\/orgs\/([^"]+)">[^<]+<\/a> <span class="hint">[^<]+<\/span><\/td><td>(\d+)<\/td><\/tr>/g)];
    assert.ok(rows.some((r) => r[1] === 'google' && r[2] === '1'), 'Google, with its one paper');
    const counts = rows.map((r) => Number(r[2]));
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
    const bad = await get('/authors/Trung-Nghia%20Le?sort=best');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /sort/);
    assert.match(bad.body, /must be newest or upvoted/);
  });
});

describe('search page', () => {
  it('highlights matches and pages', async () => {
    const r = await get('/search?q=diffusion');
    assert.equal(r.status, 200);
    assert.match(r.body, /<mark>[Dd]iffusion<\/mark>/);
    assert.equal(cardIds(r.body).length, 20);
    assert.match(r.body, /rel="next" href="\/search\?q=diffusion&amp;p=1"/);
    // Follow the search: its feeds, or a digest of the papers matching it, the form filled in.
    const email = r.body.match(/<a href="(\/subscribe\?query=[^"]+)">by email<\/a>/)?.[1];
    assert.equal(email, '/subscribe?query=diffusion');
    assert.match((await get(email!)).body, /<input id="f-query" name="query" type="text" value="diffusion"/);
  });

  it('offers papers as the reader types, as escaped options with their math', async () => {
    const r = await get('/search/suggestions?q=SALMONN');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] as string, /^text\/html/);
    const options = r.body.match(/<li role="option"[^>]*><a href="\/papers\/[^"]+" tabindex="-1">/g) ?? [];
    assert.ok(options.length >= 1 && options.length <= 6, r.body);
    assert.match(r.body, /^<li role="option" aria-selected="false"><a href="\/papers\/2606\.24477" tabindex="-1">video-SALMONN-R<span class="katex"><math/);
    assert.equal((await get('/search/suggestions?q=a')).body, '', 'nothing for one character');
    const typing = await get('/search/suggestions?q=diffu');
    assert.match(typing.body, /^<li [^>]*class="completion"><a href="\/search\?q=diffusion" tabindex="-1">Search <q>diffusion<\/q>/);
    assert.ok((typing.body.match(/<li /g) ?? []).length === 7, 'the completion and six papers');
    assert.doesNotMatch(typing.body, /Did you mean/);
    const hostile = await get(`/search/suggestions?q=${encodeURIComponent('<script>x</script> diffusion')}`);
    assert.equal(hostile.status, 200);
    assert.doesNotMatch(hostile.body, /<script/);
  });

  it('renders math in highlighted titles and snippets', async () => {
    const r = await get('/search?q=SALMONN');
    assert.match(r.body, /video-<mark>SALMONN<\/mark>-R<span class="katex">/);
    assert.doesNotMatch(r.body, /R\$\^3\$/);
  });

  it('says which words no paper has, and shows the papers with every other word', async () => {
    const r = await get(`/search?q=${encodeURIComponent('diffusion distilqwenx')}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /No paper has <q>distilqwenx<\/q>, so it was left out: showing papers with every other word\./);
    assert.deepEqual(cardIds(r.body), cardIds((await get('/search?q=diffusion')).body));
    const two = await get(`/search?q=${encodeURIComponent('diffusion distilqwenx "policy diffusion zebra"')}`);
    assert.match(two.body, /No paper has <q>distilqwenx<\/q> or <q>policy diffusion zebra<\/q>, so they were left out/);
  });

  it('understands the query language and says what it searched for', async () => {
    const r = await get(`/search?q=${encodeURIComponent('diffusion cat:cs.CV -video sort:date')}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Searching words <q>diffusion<\/q> · without <q>video<\/q> · in cs\.CV · newest first\./);
    const api = (await get(`/api/papers/search?q=${encodeURIComponent('cat:cs.CV diffusion')}&limit=5`)).json();
    assert.equal(api.length, 5);
    for (const i of api) assert.ok(i.paper.categories.includes('cs.CV'));
    const orgOnly = await get('/search?q=org%3Agoogle');
    assert.match(orgOnly.body, /<a class="org" href="\/orgs\/google">Google<\/a>/);
  });

  it('offers the same search in each order, keeping its words and filters', async () => {
    const r = await get(`/search?q=${encodeURIComponent('diffusion cat:cs.CV')}`);
    const tabs = r.body.match(/<ul class="tabs" aria-label="Order">.*?<\/ul>/s)?.[0] ?? '';
    const links = [...tabs.matchAll(/<a href="([^"]+)"( aria-current="true")?>([^<]+)<\/a>/g)].map((m) => [m[3], m[1]!.replaceAll('&amp;', '&'), m[2] !== undefined]);
    assert.deepEqual(links, [
      ['Relevance', `/search?q=${encodeURIComponent('diffusion cat:cs.CV')}`, true],
      ['Newest', `/search?q=${encodeURIComponent('diffusion cat:cs.CV sort:date')}`, false],
      ['Trending', `/search?q=${encodeURIComponent('diffusion cat:cs.CV sort:trending')}`, false],
    ]);
    const newest = await get(links[1]![1] as string);
    assert.match(newest.body, /<a href="\/search\?q=diffusion%20cat%3Acs\.CV" *>Relevance<\/a>/);
    assert.match(newest.body, /aria-current="true">Newest</);
    const api = (await get(`/api/papers/search?q=${encodeURIComponent('diffusion cat:cs.CV sort:date')}&limit=20`)).json();
    assert.deepEqual(cardIds(newest.body), api.map((i: { paper: { id: string } }) => i.paper.id));
    assert.notDeepEqual(cardIds(newest.body), cardIds(r.body), 'another order');
    // A search by filters alone lists newest first or by trending score: no relevance to order by.
    const browse = await get('/search?q=cat%3Acs.CV');
    const order = browse.body.match(/<ul class="tabs" aria-label="Order">.*?<\/ul>/s)?.[0] ?? '';
    assert.doesNotMatch(order, /Relevance/);
    assert.match(order, /<a href="\/search\?q=cat%3Acs\.CV" aria-current="true">Newest<\/a>/);
  });

  it('offers the same search over the past week, month or year of featured days', async () => {
    const spanLinks = (body: string) =>
      [...(body.match(/<ul class="tabs" aria-label="Featured">.*?<\/ul>/s)?.[0] ?? '').matchAll(/<a href="([^"]+)"( aria-current="true")?>([^<]+)<\/a>/g)].map((m) => ({
        label: m[3]!,
        href: m[1]!.replaceAll('&amp;', '&'),
        current: m[2] !== undefined,
      }));
    const r = await get(`/search?q=${encodeURIComponent('diffusion sort:date')}`);
    const links = spanLinks(r.body);
    assert.deepEqual(links.map((l) => [l.label, l.current]), [['Any time', true], ['Past week', false], ['Past month', false], ['Past year', false]]);
    const sinceOf = (href: string) => /since%3A(\d{4}-\d{2}-\d{2})/.exec(href)?.[1];
    const [week, month, year] = links.slice(1).map((l) => sinceOf(l.href)!);
    // Counted back from one day, the newest featured day: the demo's newest papers.
    const newest = (await get('/api/daily_papers?limit=1')).json()[0].paper.featuredAt.slice(0, 10);
    const back = (d: string, n: number) => new Date(Date.parse(d) - n * 86_400_000).toISOString().slice(0, 10);
    assert.deepEqual([week, month, year], [back(newest, 6), back(newest, 29), back(newest, 364)]);
    assert.equal(links[1]!.href, `/search?q=${encodeURIComponent(`diffusion sort:date since:${week}`)}`, 'the order is kept');
    const pastWeek = await get(links[1]!.href);
    assert.deepEqual(spanLinks(pastWeek.body).map((l) => l.current), [false, true, false, false]);
    assert.match(pastWeek.body, /Searching words <q>diffusion<\/q> · featured from [A-Z][a-z]{2} \d{1,2}, \d{4} · newest first\./);
    const api = (await get(`/api/papers/search?q=${encodeURIComponent(`diffusion since:${week}`)}&limit=50`)).json();
    assert.ok(api.length > 0);
    for (const i of api) assert.ok(i.paper.featuredAt.slice(0, 10) >= week!, `${i.paper.id} was featured in the past week`);
    // Dates that leave nothing offer the spans, to widen the search.
    const none = await get(`/search?q=${encodeURIComponent('diffusion until:2001-01-01')}`);
    assert.match(none.body, /No papers match/);
    assert.deepEqual(spanLinks(none.body)[0], { label: 'Any time', href: '/search?q=diffusion', current: false });
    // A query with its own dates marks no span.
    assert.deepEqual(spanLinks((await get('/search?q=diffusion%20year%3A2026')).body).map((l) => l.current), [false, false, false, false]);
  });

  it('links the author or organization a query names, on the page and among the suggestions', async () => {
    const r = await get(`/search?q=${encodeURIComponent('trung nghia LE')}`);
    // Spelled as the newest paper spells it, as the author page does.
    assert.match(r.body, /<p class="named">Author: <a href="\/authors\/Trung-Nghia%20Le">Trung-Nghia Le<\/a>, 19 papers<\/p>/);
    const author = await get('/authors/Trung-Nghia%20Le');
    assert.equal(cardIds(author.body).length, 19, 'the count is the author page\'s');
    const org = await get('/search?q=Google');
    assert.match(org.body, /<p class="named">Organization: <a href="\/orgs\/google">Google<\/a><\/p>/);
    assert.doesNotMatch((await get('/search?q=diffusion')).body, /class="named"/);
    assert.doesNotMatch((await get(`/search?q=${encodeURIComponent('trung nghia le cat:cs.CV')}`)).body, /class="named"/, 'a filter makes it no name');
    const typing = await get(`/search/suggestions?q=${encodeURIComponent('Trung Nghia Le')}`);
    assert.match(typing.body, /^<li role="option" aria-selected="false" class="named"><a href="\/authors\/Trung-Nghia%20Le" tabindex="-1">Author: Trung-Nghia Le<\/a><\/li>/);
  });

  it('never fails on odd queries', async () => {
    const odd = ['', '"', '""', '*', 'AND', 'OR (', 'NEAR(a b)', "'", '\\', '%', '^', '-', 'title:x', '日本語 ПРИВЕТ', '🙂', '\u0000', 'x'.repeat(10_240), 'a '.repeat(5000)];
    for (const q of odd) {
      const r = await get(`/search?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, `q=${JSON.stringify(q.slice(0, 20))}`);
      assert.match(r.body, /<h1>Search/);
    }
    const empty = await get('/search?q=');
    assert.match(empty.body, /Search tips/);
    const none = await get('/search?q=%22%22');
    assert.match(none.body, /it has no words or numbers/);
    const words = 'model data learning neural network training performance results method approach task language image video large deep benchmark dataset framework system evaluation generation accuracy feature reasoning agent';
    const long = await get(`/search?q=${encodeURIComponent(`${words} `.repeat(40))}`);
    assert.equal(long.status, 200);
    assert.match(long.body, /Your query was long; only its first words were used/);
    assert.match(long.body, /No paper has all of these words/);
    const tooLong = await get(`/search?q=${'x'.repeat(20_001)}`);
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body, /q must be at most 20,000 characters/);
  });
});

describe('JSON API', () => {
  it('serves daily papers in the Hugging Face shape', async () => {
    const r = await get('/api/daily_papers?date=2026-06-30&limit=5');
    assert.equal(r.status, 200);
    const items = r.json();
    assert.equal(items.length, 5);
    const item = items[0];
    assert.equal(item.publishedAt, '2026-06-30T00:00:00.000Z');
    assert.equal(typeof item.paper.id, 'string');
    assert.equal(typeof item.paper.title, 'string');
    assert.equal(typeof item.paper.summary, 'string');
    assert.ok(Array.isArray(item.paper.authors) && typeof item.paper.authors[0].name === 'string');
    assert.equal(item.paper.publishedAt, '2026-06-30T00:00:00.000Z');
    assert.equal(typeof item.paper.upvotes, 'number');
    const votes = items.map((i: { paper: { upvotes: number } }) => i.paper.upvotes);
    assert.deepEqual(votes, [...votes].sort((a, b) => b - a));
    const page2 = (await get('/api/daily_papers?date=2026-06-30&limit=5&p=1')).json();
    assert.equal(page2.length, 5);
    assert.notEqual(page2[0].paper.id, items[0].paper.id);
  });

  it('serves weeks and months and newest-first order', async () => {
    const week = (await get('/api/daily_papers?week=2026-W27&limit=100&sort=publishedAt')).json();
    assert.equal(week.length, 100);
    assert.ok(week.every((i: { publishedAt: string }) => i.publishedAt >= '2026-06-29' && i.publishedAt < '2026-07-06'));
    assert.equal(week[0].publishedAt, '2026-07-01T00:00:00.000Z');
    const month = (await get('/api/daily_papers?month=2026-01')).json();
    assert.equal(month.length, 7, 'the seven seed cards dated January 2026');
    assert.equal(month.filter((i: { paper: { id: string } }) => i.paper.id.startsWith('pb-')).length, 6, 'six of them without an arXiv id');
  });

  it('rejects every bad parameter with a 400 naming it', async () => {
    const cases: [string, string][] = [
      ['date=2026-02-30', 'date'],
      ['date=yesterday', 'date'],
      ['week=2026-27', 'week'],
      ['month=2026-13', 'month'],
      ['sort=popular', 'sort'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['p=-1', 'p'],
      ['p=1.5', 'p'],
      ['date=2026-06-30&month=2026-06', 'month'],
    ];
    for (const [qs, parameter] of cases) {
      const r = await get(`/api/daily_papers?${qs}`);
      assert.equal(r.status, 400, qs);
      const body = r.json();
      assert.equal(body.parameter, parameter, qs);
      assert.equal(body.error, 'Bad Request');
      assert.match(body.message, new RegExp(`^${parameter} `), qs);
    }
  });

  it('serves one paper and search results', async () => {
    const p = (await get('/api/papers/2606.28471v1')).json();
    assert.equal(p.id, '2606.28471');
    assert.equal(p.featuredAt, '2026-06-30T00:00:00.000Z');
    const missing = await get('/api/papers/2606.99999');
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error, 'Not Found');
    const s = (await get('/api/papers/search?q=trust+region+policy&limit=3')).json();
    assert.equal(s.length, 3);
    assert.match(s[0].paper.title, /trust|region|polic/i);
    assert.deepEqual((await get('/api/papers/search?q=')).json(), []);
  });

  it('publishes an OpenAPI document that describes the endpoints and both dates', async () => {
    const doc = (await get('/api/openapi.json')).json();
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/daily_papers', '/api/papers/{id}', '/api/papers/search']) assert.ok(doc.paths[path]?.get, path);
    const params = doc.paths['/api/daily_papers'].get.parameters.map((p: { name: string }) => p.name).sort();
    assert.deepEqual(params, ['date', 'limit', 'month', 'p', 'sort', 'week']);
    assert.ok(!doc.paths['/'], 'pages are not in the API document');
    assert.match(JSON.stringify(doc), /featured/);
    const q = doc.paths['/api/papers/search'].get.parameters.find((p: { name: string }) => p.name === 'q');
    for (const syntax of ['"exact phrase"', 'author:"Name"', 'cat:cs.LG', '-org:', 'since:', 'sort:relevance|date|trending'])
      assert.ok(q.description.includes(syntax), `the search language's ${syntax} is documented`);
    const docs = await get('/api/docs');
    assert.equal(docs.status, 200);
    assert.match(docs.body, /GET \/api\/daily_papers/);
  });
});

describe('errors and headers', () => {
  it('serves robots.txt that keeps crawlers off search and the API', async () => {
    const r = await get('/robots.txt');
    assert.equal(r.status, 200);
    assert.match(r.body, /Disallow: \/search/);
  });

  it('answers unknown pages with a 404 page and unknown API routes with JSON', async () => {
    const page = await get('/no/such/page');
    assert.equal(page.status, 404);
    assert.match(page.body, /Page not found/);
    const api = await get('/api/no-such');
    assert.equal(api.status, 404);
    assert.equal(api.json().statusCode, 404);
  });

  it('sends security headers with a CSP that allows no inline script', async () => {
    const r = await get('/');
    const csp = r.headers['content-security-policy'] as string;
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.doesNotMatch(r.body, /<script>|<script [^>]*>[^<]/);
    assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS over plain http');
  });

  it('turns an internal failure into a 500 that leaks nothing', async () => {
    const deps = await testDeps({ DEMO_DATA: 'false' });
    const broken = await buildApp(deps);
    await deps.store.close(); // every query now throws
    silentLog.errors.length = 0;
    for (const url of ['/', '/api/daily_papers', '/papers/2606.28471']) {
      const r = await broken.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 500, url);
      assert.doesNotMatch(r.body, /at |node_modules|\.ts|sqlite|kysely|driver|destroy/i, url);
      assert.match(r.body, /Something went wrong/);
    }
    assert.equal(silentLog.errors.length, 3, 'each failure is logged');
  });

  it('never answers 5xx to junk parameters', async () => {
    const junk = ['%', '%00', '%E0%A4%A', '..%2F..%2Fetc', "'; DROP TABLE papers;--", '<script>', '9'.repeat(400), '-1', 'NaN', '1e9', '[]', '{}'];
    const routes = [
      (v: string) => `/papers?date=${v}`, (v: string) => `/papers/week/${v}`, (v: string) => `/papers/month/${v}`,
      (v: string) => `/papers/${v}`, (v: string) => `/authors/${v}`, (v: string) => `/orgs/${v}`, (v: string) => `/search?q=${v}&p=${v}`,
      (v: string) => `/trending?p=${v}`, (v: string) => `/api/daily_papers?limit=${v}`, (v: string) => `/api/papers/${v}`,
      (v: string) => `/api/papers/search?q=${v}&limit=${v}`,
    ];
    for (const route of routes) {
      for (const v of junk) {
        const r = await get(route(v));
        assert.ok(r.status < 500, `${route(v)} -> ${r.status}`);
      }
    }
  });
});
