// Reads a source of paper records: JSON lines or one JSON array, gzip'd or not (detected from the
// bytes), from a file or stdin. Yields each decoded record with its line number, or a syntax error
// with the line it is on, so callers can say file:line.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { type XmlNode, xmlElements } from './xml.ts';

export type SourceFormat = 'auto' | 'jsonl' | 'json' | 'atom' | 'oai';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['auto', 'jsonl', 'json', 'atom', 'oai'];
export type XmlFormat = 'atom' | 'oai';
export type SourceItem =
  | { line: number; value: unknown }
  | { line: number; xml: XmlFormat; node: XmlNode }
  | { line: number; resumptionToken: string }
  | { line: number; syntaxError: string };

/** The elements that make a record in each XML format (and OAI-PMH's paging and error elements). */
const XML_RECORDS: Record<XmlFormat, ReadonlySet<string>> = {
  atom: new Set(['entry']),
  oai: new Set(['record', 'resumptionToken', 'error']),
};

export function openSource(path: string): Readable {
  return path === '-' ? process.stdin : createReadStream(path);
}

async function* chunks(input: Readable): AsyncGenerator<Buffer> {
  for await (const c of input) yield typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
}

/** Reads a stream's first chunk; returns it and a stream that replays it before the rest. */
async function peek(input: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const it = chunks(input);
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  const stream = ReadableStream.from(
    (async function* () {
      if (head.length) yield head;
      yield* it;
    })(),
  );
  return { head, stream };
}

/** Gunzips when the stream starts with the gzip magic bytes; returns the decoded stream and how it starts. */
async function decoded(input: Readable): Promise<{ stream: Readable; first: string }> {
  const raw = await peek(input);
  const gz = raw.head[0] === 0x1f && raw.head[1] === 0x8b;
  const text = gz ? await peek(raw.stream.pipe(createGunzip())) : raw;
  return { stream: text.stream, first: text.head.subarray(0, 4096).toString('utf8') };
}

/** Which format a source is in, from its first bytes (after gunzipping). */
export function detectFormat(first: string): Exclude<SourceFormat, 'auto'> {
  const s = first.trimStart();
  if (s.startsWith('[')) return 'json';
  if (s.startsWith('<')) return /<OAI-PMH[\s>]/.test(s) ? 'oai' : 'atom';
  return 'jsonl';
}

/**
 * The records of a source in batches (one batch per chunk read): JSON lines are split and decoded
 * synchronously within a batch, so a large file costs one async step per chunk, not per line.
 */
export async function* readRecordBatches(input: Readable, format: SourceFormat = 'auto'): AsyncGenerator<SourceItem[]> {
  const { stream, first } = await decoded(input);
  const kind = format === 'auto' ? detectFormat(first) : format;
  let line = 0;
  try {
    if (kind === 'json') {
      let text = '';
      for await (const c of stream) text += c;
      yield [...arrayItems(text)];
    } else if (kind === 'atom' || kind === 'oai') {
      for await (const item of xmlElements(stream, XML_RECORDS[kind])) {
        if ('error' in item) {
          yield [{ line: item.line, syntaxError: item.error }];
          return;
        }
        line = item.node.line;
        if (item.node.name === 'resumptionToken') {
          const token = item.node.text.trim();
          if (token) yield [{ line, resumptionToken: token }];
        } else if (item.node.name === 'error') {
          const code = item.node.attrs.code ?? 'error';
          // An empty harvest window is not a problem of the data.
          if (code !== 'noRecordsMatch') yield [{ line, syntaxError: `OAI-PMH error ${code}: ${item.node.text.trim()}` }];
        } else {
          yield [{ line, xml: kind, node: item.node }];
        }
      }
    } else {
      const decoder = new StringDecoder('utf8');
      let rest = '';
      const lines = function* (text: string): Generator<SourceItem> {
        for (const raw of text.split('\n')) {
          line++;
          const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          if (l.length === 0 || (l.charCodeAt(0) <= 32 && l.trim() === '')) continue;
          try {
            yield { line, value: JSON.parse(l) };
          } catch (e) {
            yield { line, syntaxError: (e as Error).message };
          }
        }
      };
      for await (const chunk of stream) {
        const text = rest + decoder.write(chunk as Buffer);
        const cut = text.lastIndexOf('\n');
        if (cut < 0) {
          rest = text;
          continue;
        }
        rest = text.slice(cut + 1);
        yield [...lines(text.slice(0, cut))];
      }
      rest += decoder.end();
      if (rest) yield [...lines(rest)];
    }
  } catch (e) {
    // A stream that breaks off (a truncated gzip, a read error) is a problem of this source, at this line.
    const code = (e as NodeJS.ErrnoException).code;
    const what = code?.startsWith('Z_') ? 'truncated or corrupt gzip data' : 'the source could not be read to its end';
    yield [{ line: line + 1, syntaxError: `${what}: ${(e as Error).message}` }];
  }
}

export async function* readRecords(input: Readable, format: SourceFormat = 'auto'): AsyncGenerator<SourceItem> {
  for await (const batch of readRecordBatches(input, format)) yield* batch;
}

/** Splits a JSON array into its top-level elements and decodes each, keeping each element's line number. */
export function* arrayItems(text: string): Generator<SourceItem> {
  let i = text.indexOf('[');
  let line = 1 + countNewlines(text, 0, Math.max(0, i));
  if (i < 0) {
    yield { line: 1, syntaxError: 'expected a JSON array' };
    return;
  }
  i++;
  let depth = 0;
  let inString = false;
  let start = -1;
  let startLine = line;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (start < 0 && c !== undefined && !/[\s,\]]/.test(c)) {
      start = i;
      startLine = line;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) {
        if (start >= 0) yield decode(text.slice(start, i), startLine);
        return;
      }
      depth--;
    } else if (c === ',' && depth === 0 && start >= 0) {
      yield decode(text.slice(start, i), startLine);
      start = -1;
    }
  }
  if (start >= 0) yield decode(text.slice(start), startLine);
  yield { line, syntaxError: 'unexpected end of input: the JSON array is not closed' };
}

function decode(s: string, line: number): SourceItem {
  try {
    return { line, value: JSON.parse(s) };
  } catch (e) {
    return { line, syntaxError: (e as Error).message };
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
