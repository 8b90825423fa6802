// Every arXiv format, parsed from the recorded samples in test/fixtures.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { splitAuthorList } from './arxiv-xml.ts';
import { type ParsedChunk, parseFile, parseStream } from './parse.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures');

async function parseAll(chunks: AsyncIterable<ParsedChunk>): Promise<ParsedChunk> {
  const all: ParsedChunk = { papers: [], deleted: [], problems: [], rejected: [], read: 0 };
  for await (const c of chunks) {
    all.papers.push(...c.papers);
    all.deleted.push(...c.deleted);
    all.problems.push(...c.problems);
    all.rejected.push(...c.rejected);
    all.read += c.read;
    all.resumptionToken = c.resumptionToken ?? all.resumptionToken;
  }
  return all;
}
const fixture = (name: string, maxProblems?: number) => parseAll(parseFile(join(FIXTURES, name), 'auto', maxProblems));

describe('arXiv API Atom', () => {
  it('reads ids with versions, dates, authors with affiliations, categories, comment, journal ref and DOI', async () => {
    const r = await fixture('arxiv-api-query.atom.xml');
    assert.deepEqual(r.problems, []);
    assert.equal(r.papers.length, 3);
    const [a, b, c] = r.papers;
    assert.equal(a!.id, '2605.30355');
    assert.equal(a!.version, 2);
    assert.equal(a!.title, 'Cosm: Collective Switched Motion for Fast and Accurate Sparse Ising Optimization');
    assert.ok(!a!.abstract.includes('\n'), 'hard wraps joined');
    assert.deepEqual(a!.authors, ['Kenneth M. Zick', 'Nikhil Shukla', 'Alexander Marakov']);
    assert.deepEqual(a!.affiliations, ['Booz Allen Hamilton', 'University of Virginia', '']);
    assert.deepEqual(a!.categories, ['cs.CE', 'math.OC', 'physics.comp-ph']);
    assert.equal(a!.primaryCategory, 'cs.CE');
    assert.equal(a!.submittedDate, '2026-06-01');
    assert.equal(a!.updatedDate, '2026-06-12');
    assert.equal(a!.featuredDate, '2026-06-01');
    assert.equal(a!.journalRef, 'Phys. Rev. E 113, 064301 (2026)');
    assert.equal(a!.doi, '10.1103/PhysRevE.113.064301');
    assert.equal(a!.comment, '12 pages');
    assert.equal(b!.version, 1);
    assert.equal(c!.version, 3);
  });
});

describe('OAI-PMH', () => {
  it('reads arXiv-format records, the resumptionToken, and deleted records as tombstones', async () => {
    const p1 = await fixture('oai-arxiv-page1.xml');
    assert.deepEqual(p1.problems, []);
    assert.deepEqual(p1.papers.map((p) => p.id), ['2605.30400', '2605.30415']);
    assert.equal(p1.resumptionToken, '7314452|1001');
    assert.deepEqual(p1.papers[0]!.authors, ['Ahmed Abdeen Hamed', 'Luis M. Rocha']);
    assert.equal(p1.papers[1]!.submittedDate, '2026-05-29');
    assert.equal(p1.papers[1]!.updatedDate, '2026-06-02');
    const p2 = await fixture('oai-arxiv-page2.xml');
    assert.deepEqual(p2.papers.map((p) => p.id), ['2605.30437']);
    assert.deepEqual(p2.deleted, ['2605.30355']);
    assert.equal(p2.resumptionToken, undefined, 'an empty token ends the list');
  });

  it('reads arXivRaw: every version with its date, and a withdrawal', async () => {
    const r = await fixture('oai-arxivraw.xml');
    assert.deepEqual(r.problems, []);
    const p = r.papers[0]!;
    assert.deepEqual(p.versions, [
      { version: 1, date: '2026-05-29' },
      { version: 2, date: '2026-06-10' },
      { version: 3, date: '2026-06-20' },
    ]);
    assert.equal(p.version, 3);
    assert.equal(p.submittedDate, '2026-05-29');
    assert.equal(p.updatedDate, '2026-06-20');
    assert.deepEqual(p.authors, ['Surendar Devasundaram', 'Saber Latibari Banafsheh', 'Abhijit Mahalanobis']);
    assert.equal(p.withdrawn, true);
  });

  it('reports malformed XML with its line, and OAI-PMH errors', async () => {
    const bad = await parseAll(parseStream(Readable.from(['<?xml version="1.0"?>\n<OAI-PMH>\n<ListRecords>\n<record><header></record>\n'])));
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.problems[0]!.line, 4);
    assert.match(bad.problems[0]!.message, /malformed XML/);
    const err = await parseAll(parseStream(Readable.from(['<OAI-PMH><error code="badResumptionToken">expired</error></OAI-PMH>'])));
    assert.match(err.problems[0]!.message, /OAI-PMH error badResumptionToken: expired/);
    const none = await parseAll(parseStream(Readable.from(['<OAI-PMH><error code="noRecordsMatch">none</error></OAI-PMH>'])));
    assert.deepEqual(none.problems, [], 'an empty window is not an error');
  });
});

describe('arXiv metadata snapshot', () => {
  it('reads versions, LaTeX-accented names, old-style ids and withdrawals', async () => {
    const r = await fixture('arxiv-snapshot.jsonl');
    assert.deepEqual(r.problems, []);
    const [a, b, c] = r.papers;
    assert.equal(a!.id, '0704.0001');
    assert.deepEqual(a!.authors, ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan']);
    assert.deepEqual(a!.versions, [{ version: 1, date: '2007-04-02' }, { version: 2, date: '2007-07-24' }]);
    assert.equal(a!.title, 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies');
    assert.equal(a!.doi, '10.1103/PhysRevD.76.013009');
    assert.equal(a!.featuredDate, '2007-04-02');
    assert.equal(b!.id, 'hep-th/9901001');
    assert.deepEqual(b!.authors, ['G. Götz', 'J. Müller']);
    assert.match(b!.title, /\$\\mathcal\{N\}=2\$/, 'math kept for rendering');
    assert.equal(c!.withdrawn, true);
    assert.equal(a!.withdrawn, false);
  });

  it('rejects records without id or title, with invalid ids or categories, naming the field', async () => {
    const lines = [
      JSON.stringify({ title: 'No id', versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }),
      JSON.stringify({ id: '0704.0002', versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }),
      JSON.stringify({ id: '9999.99999999', title: 'Bad id', versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }),
      JSON.stringify({ id: '0704.0003', title: 'Bad category', categories: 'hep-ph <b>x</b>', versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }),
    ];
    const r = await parseAll(parseStream(Readable.from([`${lines.join('\n')}\n`])));
    assert.deepEqual(
      r.problems.map((p) => `${p.line}:${p.field}`),
      ['1:id', '2:title', '3:id', '4:categories[1]'],
    );
  });
});

describe('sources', () => {
  it('reads gzip transparently and reports a truncated gzip with the line reached', async () => {
    const text = readFileSync(join(FIXTURES, 'arxiv-snapshot.jsonl'));
    const ok = await parseAll(parseStream(Readable.from([gzipSync(text)])));
    assert.equal(ok.papers.length, 3);
    const cut = gzipSync(text).subarray(0, 200);
    const bad = await parseAll(parseStream(Readable.from([cut])));
    assert.match(bad.problems.at(-1)!.message, /truncated or corrupt gzip data/);
  });

  it('splits free-text author lists', () => {
    assert.deepEqual(splitAuthorList('A. One (MIT, Cambridge), B. Two and C. Thr{\\"e}e'), ['A. One', 'B. Two', 'C. Thrëe']);
  });
});
