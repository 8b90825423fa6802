// arXiv identifiers: parse, validate and normalise both schemes, with an optional version.
//   new style (2007-04 on): YYMM.NNNN (to 1412) or YYMM.NNNNN (from 1501), e.g. 2501.01234v2
//   old style (to 2007-03): archive[.SUBJ]/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136
// Accepts ids wrapped in common forms: "arXiv:2501.01234", abs/pdf URLs, ".pdf" suffixes.
// Pure: no I/O.
import { err, ok, type Result } from './result.ts';

export type ArxivId = { id: string; version: number | undefined };
export type ArxivIdError = 'invalid_arxiv_id';

const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*)(?:\.([a-z]{2}))?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/i;
const WRAPPERS = [
  /^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i,
  /^arxiv:/i,
];

export function parseArxivId(input: string): Result<ArxivId, ArxivIdError> {
  let s = input.trim();
  for (const w of WRAPPERS) s = s.replace(w, '');
  s = s.replace(/\.pdf$/i, '').replace(/\/+$/, '');

  const n = NEW_STYLE.exec(s);
  if (n) {
    const [, yy, mm, num, v] = n as unknown as [string, string, string, string, string | undefined];
    const month = Number(mm);
    const yymm = Number(yy) * 100 + month;
    if (month < 1 || month > 12 || yymm < 704) return err('invalid_arxiv_id');
    // Five-digit sequence numbers started in January 2015.
    if ((num.length === 5) !== yymm >= 1501) return err('invalid_arxiv_id');
    return ok({ id: `${yy}${mm}.${num}`, version: v === undefined ? undefined : Number(v) });
  }
  const o = OLD_STYLE.exec(s);
  if (o) {
    const [, archive, subject, yy, mm, num, v] = o as unknown as [
      string, string, string | undefined, string, string, string, string | undefined,
    ];
    const month = Number(mm);
    if (month < 1 || month > 12) return err('invalid_arxiv_id');
    const arch = archive.toLowerCase() + (subject ? `.${subject.toUpperCase()}` : '');
    return ok({ id: `${arch}/${yy}${mm}${num}`, version: v === undefined ? undefined : Number(v) });
  }
  return err('invalid_arxiv_id');
}

export function isArxivId(id: string): boolean {
  return NEW_STYLE.test(id) || OLD_STYLE.test(id);
}

/** The month an arXiv id was minted in (its YYMM), as "YYYY-MM"; arXiv ids encode the v1 submission month. */
export function arxivIdMonth(id: string): string | undefined {
  const m = /^(\d{2})(\d{2})\./.exec(id) ?? /\/(\d{2})(\d{2})\d{3}$/.exec(id);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const century = yy >= 91 ? 1900 : 2000; // arXiv began in 1991
  return `${century + yy}-${m[2]}`;
}

export const arxivAbsUrl = (id: string): string => `https://arxiv.org/abs/${id}`;
export const arxivPdfUrl = (id: string): string => `https://arxiv.org/pdf/${id}`;
