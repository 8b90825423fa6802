// Turns a source into chunks of validated papers and problems, CHUNK records at a time.
// (Parsing in a worker thread was tried twice: on 2 cores it was no faster, the writer being the
// bottleneck. The second time, 2026-12-02, one worker kept for file after file, two chunks ahead: the
// sample's 17 files are a chunk each, so nothing overlapped; one 300,000-paper file took 58.6-62.4 s
// against 58.8-61.2 s on this thread, with 20% more CPU.)
import type { Readable } from 'node:stream';
import type { PaperInput } from '../domain/paper.ts';
import { atomEntry, oaiRecord } from './arxiv-xml.ts';
import type { Mapped } from './normalise.ts';
import { openSource, readRecordBatches, type SourceFormat, type SourceItem } from './read.ts';
import { toPaperInput } from './records.ts';

export type IngestProblem = { line: number; field: string; message: string };
/** A record that failed, kept whole for a rejects file. */
export type Rejected = { line: number; record: unknown; problems: IngestProblem[] };
export type ParsedChunk = {
  papers: PaperInput[];
  /** Ids of records the source reports deleted (OAI-PMH tombstones). */
  deleted: string[];
  problems: IngestProblem[];
  rejected: Rejected[];
  read: number;
  /** Set on the chunk that saw an OAI-PMH resumptionToken: the next page's key. */
  resumptionToken?: string;
};

export const CHUNK = 5000;
/** Past this many problems a source is not worth reading further: it will be rejected anyway. */
export const MAX_PROBLEMS = 20;

const emptyChunk = (): ParsedChunk => ({ papers: [], deleted: [], problems: [], rejected: [], read: 0 });

function mapItem(item: SourceItem): Mapped | { deleted: string } {
  if ('value' in item) return toPaperInput(item.value);
  if ('xml' in item) return item.xml === 'atom' ? atomEntry(item.node) : oaiRecord(item.node);
  throw new Error('unreachable');
}

/**
 * Parses a source into chunks. `maxProblems` stops reading a source that is rejected anyway; with
 * Infinity (skip-invalid mode) every record is read and the bad ones are returned whole in `rejected`.
 */
export async function* parseStream(
  input: Readable,
  format: SourceFormat = 'auto',
  maxProblems = MAX_PROBLEMS,
): AsyncGenerator<ParsedChunk> {
  let chunk = emptyChunk();
  let problems = 0;
  for await (const batch of readRecordBatches(input, format)) {
    for (const item of batch) {
      if ('resumptionToken' in item) {
        chunk.resumptionToken = item.resumptionToken;
        continue;
      }
      chunk.read++;
      if ('syntaxError' in item) {
        const p = { line: item.line, field: '(syntax)', message: item.syntaxError };
        chunk.problems.push(p);
        chunk.rejected.push({ line: item.line, record: null, problems: [p] });
        problems++;
      } else {
        const r = mapItem(item);
        if ('deleted' in r) chunk.deleted.push(r.deleted);
        else if (r.ok) chunk.papers.push(r.paper);
        else {
          const ps = r.errors.map((e) => ({ line: item.line, ...e }));
          chunk.problems.push(...ps);
          chunk.rejected.push({ line: item.line, record: 'value' in item ? item.value : item.node, problems: ps });
          problems += ps.length;
        }
      }
      if (problems >= maxProblems) {
        yield chunk;
        return;
      }
      if (chunk.read >= CHUNK) {
        yield chunk;
        chunk = emptyChunk();
      }
    }
  }
  yield chunk;
}

/** Parses a file, or stdin for "-". */
export const parseFile = (path: string, format?: SourceFormat, maxProblems?: number): AsyncGenerator<ParsedChunk> =>
  parseStream(openSource(path), format, maxProblems);
