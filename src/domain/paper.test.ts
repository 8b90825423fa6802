import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findGithubRepo, findProjectPage, hash53, isLocalPaperId, localPaperId, nameKey, sharedAuthors } from './paper.ts';

describe('links found in text', () => {
  const repos: [string, string | undefined][] = [
    ['Code: https://github.com/owner/repo.', 'https://github.com/owner/repo'],
    ['at github.com/Alpha-Innovator/TrustGeoGen)', 'https://github.com/Alpha-Innovator/TrustGeoGen'],
    ['https://github.com/XueruiSu/Trust-Region-Preference-Approximation.git', 'https://github.com/XueruiSu/Trust-Region-Preference-Approximation'],
    ['see https://github.com/a/b/tree/main/x', 'https://github.com/a/b'],
    ['no code here', undefined],
  ];
  for (const [text, want] of repos) it(`github in ${JSON.stringify(text)}`, () => assert.equal(findGithubRepo(text), want));

  it('finds project pages', () => {
    assert.equal(findProjectPage('Project page: https://nurbs.github.io/splat/.'), 'https://nurbs.github.io/splat/');
    assert.equal(findProjectPage('Our website https://example.org/proj, code https://github.com/a/b'), 'https://example.org/proj');
    assert.equal(findProjectPage('Code at https://github.com/a/b and data at https://zenodo.org/x'), undefined);
  });
});

describe('ids and names', () => {
  it('derives stable local ids from titles, ignoring case and punctuation', () => {
    const a = localPaperId('Mirror Descent Policy Optimization');
    assert.equal(a, localPaperId('mirror descent: policy optimization'));
    assert.notEqual(a, localPaperId('Mirror Descent Value Optimization'));
    assert.ok(isLocalPaperId(a), a);
    assert.equal(hash53('x'), hash53('x'));
  });
  it('folds author names for lookup', () => {
    assert.equal(nameKey('José  García-Pérez'), 'jose garcia perez');
    assert.equal(nameKey('KAIMING HE'), nameKey('Kaiming He'));
  });
  it('finds the authors two papers share, as the second spells them, in its order', () => {
    const a = { authors: ['Ada Lovelace', 'José García-Pérez', 'Alan Turing'] };
    assert.deepEqual(sharedAuthors(a, { authors: ['Alan Turing', 'Grace Hopper', 'jose garcia perez'] }), ['Alan Turing', 'jose garcia perez']);
    assert.deepEqual(sharedAuthors(a, { authors: ['Grace Hopper'] }), []);
    assert.deepEqual(sharedAuthors({ authors: [] }, a), []);
  });
});
