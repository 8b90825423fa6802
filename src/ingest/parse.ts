// Turns a source into chunks of validated papers and problems, CHUNK records at a time.
// (Parsing in a worker thread was tried: on 2 cores it was no faster, the writer being the bottleneck.)
import type { Readable } from 'node:stream';
import type { PaperInput } from '../domain/paper.ts';
import { openSource, readRecords, type SourceFormat } from './read.ts';
import { toPaperInput } from './records.ts';

export type IngestProblem = { line: number; field: string; message: string };
export type ParsedChunk = { papers: PaperInput[]; problems: IngestProblem[]; read: number };

export const CHUNK = 5000;
/** Past this many problems a source is not worth reading further: it will be rejected anyway. */
export const MAX_PROBLEMS = 20;

export async function* parseStream(input: Readable, format: SourceFormat = 'auto'): AsyncGenerator<ParsedChunk> {
  let chunk: ParsedChunk = { papers: [], problems: [], read: 0 };
  let problems = 0;
  for await (const item of readRecords(input, format)) {
    chunk.read++;
    if ('syntaxError' in item) {
      chunk.problems.push({ line: item.line, field: '(json)', message: item.syntaxError });
      problems++;
    } else {
      const r = toPaperInput(item.value);
      if (r.ok) chunk.papers.push(r.paper);
      else {
        for (const e of r.errors) chunk.problems.push({ line: item.line, ...e });
        problems += r.errors.length;
      }
    }
    if (problems >= MAX_PROBLEMS) break;
    if (chunk.read >= CHUNK) {
      yield chunk;
      chunk = { papers: [], problems: [], read: 0 };
    }
  }
  yield chunk;
}

/** Parses a file, or stdin for "-". */
export const parseFile = (path: string, format?: SourceFormat): AsyncGenerator<ParsedChunk> =>
  parseStream(openSource(path), format);
