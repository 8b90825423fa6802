import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanName, latexToUnicode } from './latex-text.ts';

describe('latexToUnicode', () => {
  const cases: [string, string][] = [
    ['G{\\"o}del', 'Gödel'],
    ['G\\"odel', 'Gödel'],
    ['G\\"{o}del', 'Gödel'],
    ["Bal\\'azs", 'Balázs'],
    ["Bal\\' azs", 'Balázs'],
    ['Fran\\c{c}ois', 'François'],
    ['Fran\\c cois', 'François'],
    ['\\v{S}koda', 'Škoda'],
    ['Erd\\H{o}s', 'Erdős'],
    ['Gau\\ss', 'Gauß'],
    ['{\\O}stergaard', 'Østergaard'],
    ['\\L{}ukasz', 'Łukasz'],
    ['Ca\\~{n}ete', 'Cañete'],
    ['Mu\\~noz', 'Muñoz'],
    ["Ar\\i k", 'Arık'],
    ["Y\\'{\\i}ld\\i z", 'Yíldız'],
    ['{\\AA}ngstr{\\"o}m', 'Ångström'],
    ['No markup at all', 'No markup at all'],
    ['Keeps \\alpha macros', 'Keeps \\alpha macros'],
  ];
  for (const [input, want] of cases) it(`${input} -> ${want}`, () => assert.equal(latexToUnicode(input), want));
  it('cleans names', () => assert.equal(cleanName('  Jos\\\'e \n  Garc\\\'ia '), 'José García'));
});
