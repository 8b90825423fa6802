import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paper } from '../domain/paper.ts';
import { compoundMarker, paperMatcher, stem } from './match.ts';
import { parseQuery } from './query.ts';

const paper = (over: Partial<Paper>): Paper => ({
  id: '2606.00001', title: 'Diffusion Transformers for Robot Planning', abstract: 'We train policies with trust region methods.',
  authors: ['Ada Lovelace', 'Kaiming He'], affiliations: [], authorCount: 2, categories: ['cs.RO', 'cs.LG'], primaryCategory: 'cs.RO',
  comment: undefined, journalRef: undefined, doi: undefined, submittedDate: undefined, updatedDate: undefined, version: undefined, versions: [],
  announcedDate: undefined, featuredDate: '2026-06-30', upvotes: 0, githubRepo: undefined, projectPage: undefined,
  organization: { name: 'deepmind', fullname: 'DeepMind' }, withdrawn: false, deleted: false, hidden: false, submittedBy: undefined, comments: 0, ...over,
});

describe('stem', () => {
  for (const [w, s] of <[string, string][]>[['transformers', 'transformer'], ['policies', 'policy'], ['planning', 'plann'], ['plans', 'plan'], ['trained', 'train'], ['boxes', 'box'], ['class', 'class'], ['focus', 'focus'], ['analysis', 'analysis'], ['gas', 'gas']]) {
    it(`${w} -> ${s}`, () => assert.equal(stem(w), s));
  }
});

describe('paperMatcher', () => {
  const cases: [string, boolean][] = [
    ['', true],
    ['diffusion transformer', true],
    ['transformer policy', true],
    ['"trust region"', true],
    ['"region trust"', false],
    ['diffusion -robot', false],
    ['diffusion -"language model"', true],
    ['cat:cs.LG', true],
    ['cat:cs.CV cat:cs.RO', true],
    ['cat:cs.CV', false],
    ['-cat:cs.RO', false],
    ['-cat:cs.CV planning', true],
    ['org:deepmind', true],
    ['org:openai', false],
    ['-org:DeepMind', false],
    ['author:"kaiming he"', true],
    ['author:"Kaiming He" author:"Geoffrey Hinton"', false],
    ['since:2026-07-01', false],
    ['until:2026-06-30 year:2026', true],
    ['lovelace', true],
    ['quantum', false],
  ];
  for (const [q, want] of cases) it(JSON.stringify(q), () => assert.equal(paperMatcher(parseQuery(q))(paper({})), want));
  it('a closed form matches its hyphenated spelling, as the index does; a hyphenated query means its parts', () => {
    const p = paper({ title: 'Pre-trained Transformers for Multi-View Planning' });
    for (const [q, want] of <[string, boolean][]>[['pretrained', true], ['multiview planning', true], ['"pretrained transformers"', false], ['pre-trained', true], ['pre', true], ['-multiview', false], ['selfattention', false]]) {
      assert.equal(paperMatcher(parseQuery(q))(p), want, q);
    }
  });
  it('a paper without an organization passes -org: and fails org:', () => {
    assert.equal(paperMatcher(parseQuery('-org:x'))(paper({ organization: undefined })), true);
    assert.equal(paperMatcher(parseQuery('org:x'))(paper({ organization: undefined })), false);
  });
});

describe('compoundMarker', () => {
  const mark = (text: string, q: string) => compoundMarker(parseQuery(q), '[', ']').mark(text);
  it('marks the hyphenated spellings of the query words, stemmed', () => {
    assert.equal(mark('Pre-trained models and a pre-training recipe', 'pretrained'), '[Pre-trained] models and a [pre-training] recipe');
    assert.equal(mark('Multi-View X-rays', 'xray multiview'), '[Multi-View] [X-rays]');
  });
  it('leaves other compounds, phrases and marked words alone', () => {
    assert.equal(mark('self-attention in pre-trained models', 'pretrained attention'), 'self-attention in [pre-trained] models');
    assert.equal(mark('pre-trained', '"pre trained"'), 'pre-trained');
    assert.equal(mark('pre-[trained] models', 'pretrained trained'), 'pre-[trained] models');
    assert.equal(mark('pre-trained', ''), 'pre-trained');
  });
  it('cuts a window of the text around the first hyphenated spelling, at spaces', () => {
    const around = (text: string, q: string, chars: number) => compoundMarker(parseQuery(q), '[', ']').around(text, chars);
    const text = 'We study ten robots in one lab. Each robot learns from demonstrations and then from its own multi-view cameras over many weeks of play.';
    assert.equal(around(text, 'multiview', 60), '…from its own [multi-view] cameras over many weeks of play.');
    assert.equal(around(text, 'multiview', 40), '…its own [multi-view] cameras over many…');
    assert.equal(around('A multi-view study of robots', 'multiview', 60), 'A [multi-view] study of robots');
    assert.equal(around(text, 'pretrained', 60), undefined);
    assert.equal(around(text, '', 60), undefined);
  });
});
