import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paper } from '../../domain/paper.ts';
import { bibtex, citationKey } from './citation.ts';

const paper: Paper = {
  id: '2606.28471', title: 'Attention Is All You Need', abstract: '', authors: ['Ashish Vaswani', 'Noam Shazeer'], affiliations: [],
  authorCount: 2, categories: ['cs.CL'], primaryCategory: 'cs.CL', comment: undefined, journalRef: undefined, doi: undefined,
  submittedDate: '2026-06-29', updatedDate: undefined, version: undefined, versions: [], announcedDate: '2026-06-30',
  featuredDate: '2026-06-30', upvotes: 0, githubRepo: undefined, projectPage: undefined, organization: undefined,
  withdrawn: false, deleted: false, hidden: false, submittedBy: undefined, comments: 0,
};

describe('bibtex', () => {
  it('builds an arXiv-style @misc entry', () => {
    assert.equal(citationKey(paper), 'vaswani2026attention');
    assert.equal(
      bibtex(paper),
      '@misc{vaswani2026attention,\n  title = {{Attention Is All You Need}},\n  author = {Ashish Vaswani and Noam Shazeer},\n  year = {2026},\n' +
        '  eprint = {2606.28471},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL},\n  url = {https://arxiv.org/abs/2606.28471}\n}',
    );
  });
  it('copes with papers without an arXiv id or authors', () => {
    const local = { ...paper, id: 'pb-abc', authors: [], primaryCategory: undefined, submittedDate: undefined, announcedDate: undefined, title: 'Ünïcode — Tïtle' };
    assert.equal(citationKey(local), 'anonymous2026unicode');
    assert.doesNotMatch(bibtex(local), /eprint|author/);
  });
});
