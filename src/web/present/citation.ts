// A paper as a BibTeX entry (arXiv's own @misc convention), for the "Cite" box of the paper page.
import { isArxivId } from '../../domain/arxiv-id.ts';
import { nameKey, type Paper } from '../../domain/paper.ts';

const year = (p: Paper): string => (p.submittedDate ?? p.announcedDate ?? p.featuredDate).slice(0, 4);

/** firstauthorlastnameYEARfirsttitleword, ASCII letters only: vaswani2017attention. */
export function citationKey(p: Paper): string {
  const last = nameKey(p.authors[0] ?? 'anonymous').split(' ').at(-1) ?? 'anonymous';
  const word = nameKey(p.title).split(' ').find((w) => w.length > 3) ?? 'paper';
  return `${last}${year(p)}${word}`.replace(/[^a-z0-9]/g, '');
}

export function bibtex(p: Paper): string {
  const fields: [string, string | undefined][] = [
    ['title', `{${p.title}}`],
    ['author', p.authors.length ? p.authors.join(' and ') : undefined],
    ['year', year(p)],
    ['eprint', isArxivId(p.id) ? p.id : undefined],
    ['archivePrefix', isArxivId(p.id) ? 'arXiv' : undefined],
    ['primaryClass', p.primaryCategory],
    ['doi', p.doi],
    ['url', isArxivId(p.id) ? `https://arxiv.org/abs/${p.id}` : undefined],
  ];
  const body = fields.filter(([, v]) => v).map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@misc{${citationKey(p)},\n${body}\n}`;
}
