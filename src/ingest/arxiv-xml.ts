// arXiv's XML formats -> PaperInput, one record (a tree from xml.ts) at a time. Pure.
//   Atom entries of the arXiv API (`/api/query`)
//   OAI-PMH records with metadataPrefix `arXiv` (created/updated dates) or `arXivRaw` (every version
//   with its date); a record whose header says status="deleted" becomes a tombstone.
import { parseArxivId } from '../domain/arxiv-id.ts';
import { cleanName } from '../domain/latex-text.ts';
import type { PaperInput } from '../domain/paper.ts';
import { type Mapped, normalisePaper, type RawPaper } from './normalise.ts';
import { child, children, textOf, type XmlNode } from './xml.ts';

const day = (s: string | undefined): string | undefined => {
  if (!s) return undefined;
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return s.slice(0, 10);
  const t = Date.parse(s); // RFC 2822 dates of arXivRaw versions: "Mon, 2 Jan 2025 18:00:00 GMT"
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().slice(0, 10);
};

/** An Atom <entry> of the arXiv API. */
export function atomEntry(e: XmlNode): Mapped {
  const rawId = textOf(e, 'id');
  if (rawId?.includes('/api/errors')) {
    return { ok: false, errors: [{ field: 'entry', message: `arXiv API error: ${textOf(e, 'summary') ?? textOf(e, 'title') ?? rawId}` }] };
  }
  const id = rawId ? parseArxivId(rawId) : undefined;
  const links = children(e, 'link');
  const raw: RawPaper = {
    id: rawId,
    version: id?.ok ? id.value.version : undefined,
    title: textOf(e, 'title'),
    abstract: textOf(e, 'summary'),
    authors: children(e, 'author').map((a) => ({ name: textOf(a, 'name') ?? '', affiliation: textOf(a, 'affiliation') })),
    categories: children(e, 'category').map((c) => c.attrs.term ?? ''),
    primaryCategory: child(e, 'primary_category')?.attrs.term,
    comment: textOf(e, 'comment'),
    journalRef: textOf(e, 'journal_ref'),
    doi: textOf(e, 'doi') ?? links.find((l) => l.attrs.title === 'doi')?.attrs.href?.replace(/^https?:\/\/(dx\.)?doi\.org\//, ''),
    submittedDate: day(textOf(e, 'published')),
    updatedDate: day(textOf(e, 'updated')),
    versions: undefined,
  };
  return normalisePaper(raw);
}

/** An OAI-PMH <record> in the arXiv or arXivRaw metadata format. */
export function oaiRecord(r: XmlNode): Mapped | { deleted: string } {
  const header = child(r, 'header');
  const identifier = header ? textOf(header, 'identifier') : undefined;
  const oaiId = identifier?.replace(/^oai:arXiv\.org:/i, '');
  if (header?.attrs.status === 'deleted') {
    const id = oaiId ? parseArxivId(oaiId) : undefined;
    if (id?.ok) return { deleted: id.value.id };
    return { ok: false, errors: [{ field: 'header.identifier', message: `deleted record without a valid arXiv id: "${identifier ?? ''}"` }] };
  }
  const meta = child(r, 'metadata')?.children[0];
  if (!meta) return { ok: false, errors: [{ field: 'metadata', message: 'record has no metadata' }] };
  const raw = meta.name === 'arXivRaw' ? fromArxivRaw(meta) : fromArxivFormat(meta);
  return normalisePaper({ ...raw, id: raw.id ?? oaiId });
}

function fromArxivFormat(m: XmlNode): RawPaper {
  const authors = children(child(m, 'authors') ?? m, 'author').map((a) => ({
    name: [textOf(a, 'forenames'), textOf(a, 'keyname'), textOf(a, 'suffix')].filter(Boolean).join(' '),
    affiliation: textOf(a, 'affiliation'),
  }));
  const categories = (textOf(m, 'categories') ?? '').split(/\s+/).filter(Boolean);
  return {
    id: textOf(m, 'id'),
    version: undefined,
    title: textOf(m, 'title'),
    abstract: textOf(m, 'abstract'),
    authors,
    categories,
    primaryCategory: categories[0],
    comment: textOf(m, 'comments'),
    journalRef: textOf(m, 'journal-ref'),
    doi: textOf(m, 'doi'),
    submittedDate: day(textOf(m, 'created')),
    updatedDate: day(textOf(m, 'updated')),
    versions: undefined,
  };
}

function fromArxivRaw(m: XmlNode): RawPaper {
  const versions = children(m, 'version').map((v) => ({
    version: Number((v.attrs.version ?? '').replace(/^v/, '')),
    date: day(textOf(v, 'date')) ?? '',
  }));
  const categories = (textOf(m, 'categories') ?? '').split(/\s+/).filter(Boolean);
  return {
    id: textOf(m, 'id'),
    version: versions.at(-1)?.version,
    title: textOf(m, 'title'),
    abstract: textOf(m, 'abstract'),
    authors: splitAuthorList(textOf(m, 'authors') ?? '').map((name) => ({ name, affiliation: undefined })),
    categories,
    primaryCategory: categories[0],
    comment: textOf(m, 'comments'),
    journalRef: textOf(m, 'journal-ref'),
    doi: textOf(m, 'doi'),
    submittedDate: versions[0]?.date,
    updatedDate: versions.at(-1)?.date,
    versions,
  };
}

/**
 * arXiv's free-text author lists: "A. One, B. Two and C. Three", affiliations in parentheses,
 * LaTeX accents. Commas inside parentheses do not split.
 */
export function splitAuthorList(s: string): string[] {
  const flat = s.replace(/\s+/g, ' ');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i]!;
    if (c === '(') depth++;
    if (c === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && (c === ',' || flat.startsWith(' and ', i))) {
      out.push(cur);
      cur = '';
      if (c !== ',') i += 4;
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out.map((a) => cleanName(a.replace(/\([^)]*\)/g, ''))).filter(Boolean);
}

export type { PaperInput };
