import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toPaperInput } from './records.ts';

const sample = {
  id: '2606.28471',
  title: '  A   Title\n with  spaces ',
  abstract: 'First line\nwrapped here.\n  Second paragraph, code at https://github.com/o/r.',
  authors: ['A. One', 'B. Two'],
  categories: ['cs.LG', 'stat.ML'],
  primary_category: 'cs.LG',
  comment: null,
  date: '2026-06-30',
};

describe('toPaperInput: paperboy JSONL', () => {
  it('maps an arxiv-sample record, deriving links and dates', () => {
    const r = toPaperInput(sample);
    assert.ok(r.ok);
    assert.equal(r.paper.id, '2606.28471');
    assert.equal(r.paper.title, 'A Title with spaces');
    assert.equal(r.paper.abstract, 'First line wrapped here.\nSecond paragraph, code at https://github.com/o/r.');
    assert.equal(r.paper.githubRepo, 'https://github.com/o/r');
    assert.equal(r.paper.announcedDate, '2026-06-30');
    assert.equal(r.paper.featuredDate, '2026-06-30');
    assert.equal(r.paper.upvotes, undefined);
    assert.equal(r.paper.comment, undefined);
  });
  it('drops control characters from the text, keeping its whitespace as spaces', () => {
    const r = toPaperInput({ ...sample, title: 'A\u0002 Title\u0003\u007f', abstract: 'One\u0000 line,\ttabbed\fand \u001bfed.' });
    assert.ok(r.ok);
    assert.equal(r.paper.title, 'A Title');
    assert.equal(r.paper.abstract, 'One line, tabbed and fed.');
  });
  it('keeps a version given in the id and normalises it away', () => {
    const r = toPaperInput({ ...sample, id: 'arXiv:2606.28471v3' });
    assert.ok(r.ok);
    assert.equal(r.paper.id, '2606.28471');
    assert.equal(r.paper.version, 3);
  });
  it('names every bad field', () => {
    const r = toPaperInput({ ...sample, id: 'nope', authors: ['ok', 7], date: '2026-02-30', upvotes: -1 });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual(
      r.errors.map((e) => e.field),
      ['id', 'authors[1]', 'date', 'upvotes'],
    );
    assert.match(r.errors.find((e) => e.field === 'date')!.message, /YYYY-MM-DD/);
  });
  it('rejects non-objects and missing fields', () => {
    assert.deepEqual(toPaperInput([1, 2]), { ok: false, errors: [{ field: '(record)', message: 'expected a JSON object' }] });
    const r = toPaperInput({ id: '2606.28471' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field), ['title', 'abstract', 'authors', 'date']);
  });
});

describe('toPaperInput: Hugging Face', () => {
  const item = {
    paper: {
      id: '2606.23693',
      authors: [{ _id: 'x', name: 'Jane Doe', hidden: false }],
      publishedAt: '2026-06-24T17:59:58.000Z',
      title: 'HF paper',
      summary: 'Summary.',
      upvotes: 7,
      githubRepo: null,
    },
    publishedAt: '2026-06-25T01:12:33.196Z',
    numComments: 1,
  };
  it('maps a daily_papers item: item date = featured, paper date = submitted', () => {
    const r = toPaperInput(item);
    assert.ok(r.ok);
    assert.equal(r.paper.featuredDate, '2026-06-25');
    assert.equal(r.paper.submittedDate, '2026-06-24');
    assert.deepEqual(r.paper.authors, ['Jane Doe']);
    assert.equal(r.paper.upvotes, 7);
    assert.equal(r.paper.githubRepo, undefined);
  });
  it('gives a paper without an arXiv id a stable local id and keeps its author count', () => {
    const r = toPaperInput({ paper: { title: 'No id here', summary: 's', authors: [], numAuthors: 7, publishedAt: '2026-01-31T00:00:00.000Z' } });
    assert.ok(r.ok);
    assert.match(r.paper.id, /^pb-/);
    assert.equal(r.paper.authorCount, 7);
    assert.equal(r.paper.featuredDate, '2026-01-31');
  });
  it('maps a bare HF paper object', () => {
    const r = toPaperInput(item.paper);
    assert.ok(r.ok);
    assert.equal(r.paper.featuredDate, '2026-06-24');
  });
  it('reports the nested field at fault', () => {
    const r = toPaperInput({ paper: { ...item.paper, publishedAt: 'yesterday' }, publishedAt: 'soon' });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors.map((e) => e.field).sort(), ['paper.publishedAt', 'publishedAt']);
  });
});
