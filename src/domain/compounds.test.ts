import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinedCompounds } from './compounds.ts';

describe('joinedCompounds', () => {
  const cases: [string, string[], string][] = [
    ['a hyphenated word', ['We fine-tune pre-trained models.'], 'finetune pretrained'],
    ['chains of parts', ['state-of-the-art results'], 'stateoftheart'],
    ['letters with digits', ['GPT-4o beats COVID-19 and IL-6 on 3-D data'], 'GPT4o COVID19 IL6 3D'],
    ['Unicode hyphen and non-breaking hyphen', ['multi\u2010view and X\u2011ray'], 'multiview Xray'],
    ['a number range is not a compound', ['pages 10-20 in 2019-2021'], ''],
    ['an en dash is a range, not a hyphen', ['Bose–Einstein', 'no hyphens here'], ''],
    ['repeats are kept, across texts in order', ['self-attention', 'self-attention and cross-attention'], 'selfattention selfattention crossattention'],
    ['a dangling hyphen joins nothing', ['pre- and post-training', '-x y-'], 'posttraining'],
    ['a double hyphen joins nothing; a trailing one ends the compound', ['a--b and x-y- z'], 'xy'],
    ['accented letters', ['Schrödinger-Föllmer bridge'], 'SchrödingerFöllmer'],
  ];
  for (const [name, texts, expected] of cases) {
    it(name, () => assert.equal(joinedCompounds(...texts), expected));
  }
});
