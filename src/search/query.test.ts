import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asName, MAX_TERMS, parseQuery, withSince, withSort } from './query.ts';

const none = { authors: [], categories: [], orgs: [], excludedCategories: [], excludedOrgs: [], since: undefined, until: undefined };

describe('parseQuery: words and phrases', () => {
  const cases: [string, string[][]][] = [
    ['diffusion transformer', [['diffusion'], ['transformer']]],
    ['"trust region" policy', [['trust', 'region'], ['policy']]],
    ['the attention is all you need', [['attention'], ['you'], ['need']]],
    ['the of and', [['the'], ['of'], ['and']]], // only stop words: keep them
    ['foo AND (bar OR baz*)', [['foo'], ['and'], ['bar'], ['or'], ['baz']].filter((g) => !['and', 'or'].includes(g[0]!))],
    ['"unbalanced quote', [['unbalanced', 'quote']]],
    ['""', []],
    ['*** --- !!!', []],
    ['Über naïve ПРИВЕТ 日本語', [['über'], ['naïve'], ['привет'], ['日本語']]],
    ['NEAR(a b)', [['near'], ['b']]], // 'a' is a stop word
    ['GPT-4o  gpt 4o', [['gpt'], ['4o']]],
  ];
  for (const [input, groups] of cases) {
    it(JSON.stringify(input), () => {
      const q = parseQuery(input);
      assert.deepEqual(q.groups, groups);
      assert.deepEqual(q.filters, none);
    });
  }
  it('caps long input', () => {
    const q = parseQuery(Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' '));
    assert.equal(q.groups.length, MAX_TERMS);
    assert.equal(q.truncated, true);
    assert.ok(q.text.length <= 1000);
  });
});

describe('parseQuery: operators and filters', () => {
  const cases: [string, Partial<ReturnType<typeof parseQuery>>][] = [
    ['llm -survey -"position paper"', { groups: [['llm']], excluded: [['survey'], ['position', 'paper']] }],
    ['author:"Kaiming He" vision', { groups: [['vision']], filters: { ...none, authors: ['Kaiming He'] } }],
    ['author:Hinton', { groups: [], filters: { ...none, authors: ['Hinton'] } }],
    ['cat:cs.LG cat:stat.ML kernels', { groups: [['kernels']], filters: { ...none, categories: ['cs.LG', 'stat.ML'] } }],
    ['org:Google', { groups: [], filters: { ...none, orgs: ['google'] } }],
    ['year:2025 agents', { groups: [['agents']], filters: { ...none, since: '2025-01-01', until: '2025-12-31' } }],
    ['since:2026-06-01 until:2026-06-30', { groups: [], filters: { ...none, since: '2026-06-01', until: '2026-06-30' } }],
    ['sort:trending robots', { groups: [['robots']], sort: 'trending' }],
    // Malformed or unknown syntax is plain text.
    ['year:twenty', { groups: [['year'], ['twenty']], filters: none }],
    ['since:2026-13-45', { groups: [['since'], ['2026'], ['13'], ['45']], filters: none }],
    ['cat:<script>', { groups: [['cat'], ['script']], filters: none }],
    ['title:transformers', { groups: [['title'], ['transformers']], filters: none }],
    ['sort:best', { groups: [['sort'], ['best']], sort: undefined }],
    ['author:', { groups: [['author']], filters: none }],
    ['-author:"X Y"', { groups: [], excluded: [['x', 'y']], filters: none }],
    ['robots -cat:cs.CV -org:Meta', { groups: [['robots']], excluded: [], filters: { ...none, excludedCategories: ['cs.CV'], excludedOrgs: ['meta'] } }],
    ['-cat:<bad>', { groups: [], excluded: [['bad']], filters: none }],
  ];
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      const q = parseQuery(input);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(q[k as keyof typeof q], v, `${k} of ${input}`);
    });
  }
});

describe('withSort: the same query in another order', () => {
  const cases: [string, 'relevance' | 'date' | 'trending', string][] = [
    ['agents', 'date', 'agents sort:date'],
    ['agents sort:date', 'trending', 'agents sort:trending'],
    ['sort:DATE agents  sort:trending', 'relevance', 'agents'],
    ['author:"Kaiming He" -cat:cs.CV "trust region"', 'date', 'author:"Kaiming He" -cat:cs.CV "trust region" sort:date'],
    // Not a sort, so kept as typed: an unknown order, an exclusion, a quoted word.
    ['sort:best -sort:date "sort:date"', 'date', 'sort:best -sort:date "sort:date" sort:date'],
    // An unclosed quote is closed before the sort, which it would swallow.
    ['"trust region', 'date', '"trust region" sort:date'],
    ['author:"Kai Mi', 'trending', 'author:"Kai Mi" sort:trending'],
    ['', 'date', 'sort:date'],
  ];
  for (const [input, sort, want] of cases) {
    it(`${JSON.stringify(input)} by ${sort}`, () => {
      const out = withSort(input, sort);
      assert.equal(out, want);
      const [before, after] = [parseQuery(input), parseQuery(out)];
      assert.equal(after.sort, sort === 'relevance' ? undefined : sort);
      assert.deepEqual(after.groups, before.groups, 'the words are the same');
      assert.deepEqual(after.filters, before.filters, 'the filters are the same');
    });
  }
});

describe('asName: a query read as a name', () => {
  const cases: [string, string | undefined][] = [
    ['Kaiming He', 'kaiming he'],
    ['  José   García-Pérez ', 'jose garcia perez'],
    ['"Yann LeCun"', 'yann lecun'],
    ['google', 'google'],
    ['Jane A. Doe', 'jane a doe'], // "a" is a stop word to search, not to a name
    // Not only a name: a filter, an exclusion, an order, or more words than a name has.
    ['Kaiming He cat:cs.CV', undefined],
    ['Kaiming He -survey', undefined],
    ['Kaiming He sort:date', undefined],
    ['one two three four five six', undefined],
    ['cat:cs.CV', undefined],
    ['', undefined],
    ['***', undefined],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(asName(parseQuery(input)), want));
});

describe('withSince: the same query over another span of days', () => {
  const cases: [string, string | undefined, string][] = [
    ['agents', '2026-06-01', 'agents since:2026-06-01'],
    ['agents year:2025 sort:date', '2026-06-01', 'agents sort:date since:2026-06-01'],
    ['since:2026-01-01 until:2026-03-31 cat:cs.CV', undefined, 'cat:cs.CV'],
    // Malformed dates are words, and an exclusion is no filter: kept.
    ['since:2026-13-45 -year:2025 agents', '2026-06-01', 'since:2026-13-45 -year:2025 agents since:2026-06-01'],
    ['"trust region', undefined, '"trust region"'],
  ];
  for (const [input, since, want] of cases) {
    it(`${JSON.stringify(input)} since ${since ?? 'any time'}`, () => {
      const out = withSince(input, since);
      assert.equal(out, want);
      const [before, after] = [parseQuery(input), parseQuery(out)];
      assert.equal(after.filters.since, since);
      assert.equal(after.filters.until, undefined);
      assert.deepEqual(after.groups, before.groups, 'the words are the same');
      assert.deepEqual(after.filters.categories, before.filters.categories);
      assert.equal(after.sort, before.sort);
    });
  }
});
