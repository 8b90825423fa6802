import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { arrayItems, readRecords, type SourceItem } from './read.ts';

async function collect(input: Readable): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const x of readRecords(input)) out.push(x);
  return out;
}

describe('readRecords', () => {
  it('reads JSON lines with line numbers, skipping blank lines and reporting bad JSON', async () => {
    const items = await collect(Readable.from(['{"a":1}\n\n{"a":', '2}\r\n{oops\n']));
    assert.deepEqual(items.slice(0, 2), [{ line: 1, value: { a: 1 } }, { line: 3, value: { a: 2 } }]);
    assert.equal(items[2]!.line, 4);
    assert.ok('syntaxError' in items[2]!);
  });
  it('gunzips transparently', async () => {
    const items = await collect(Readable.from([gzipSync('{"a":1}\n{"a":2}\n')]));
    assert.deepEqual(items, [{ line: 1, value: { a: 1 } }, { line: 2, value: { a: 2 } }]);
  });
  it('reads a JSON array, each element with the line it starts on', async () => {
    const items = await collect(Readable.from(['\n[\n  {"a": "x,]}"},\n  {"b": [1,\n2]}\n]\n']));
    assert.deepEqual(items, [{ line: 3, value: { a: 'x,]}' } }, { line: 4, value: { b: [1, 2] } }]);
  });
  it('reports an unclosed array and a bad element', () => {
    const items = [...arrayItems('[{"a":1}, {"b":}, {"c":3}')];
    assert.deepEqual(items[0], { line: 1, value: { a: 1 } });
    assert.ok('syntaxError' in items[1]!);
    assert.deepEqual(items[2], { line: 1, value: { c: 3 } });
    assert.match((items[3] as { syntaxError: string }).syntaxError, /not closed/);
  });
  it('reads an empty source as nothing', async () => {
    assert.deepEqual(await collect(Readable.from([])), []);
  });
});
