// Writes a tiny but real sentence-embedding model folder for the onnx embedder's tests: a BERT-style
// WordPiece tokenizer and an ONNX graph whose "last hidden state" is each token's row of a fixed
// embedding table (one Gather node). Serialised with a minimal protobuf writer below, so no
// model download or Python is needed. The pipeline around it (tokenizer, onnxruntime, pooling,
// normalisation) is the real one.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// protobuf wire format: varints, and length-delimited fields for strings, bytes and messages.
const varint = (n: number | bigint): number[] => {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
};
const int = (field: number, n: number): number[] => [...varint(field << 3), ...varint(n)];
const bytes = (field: number, b: Uint8Array | number[]): number[] => [...varint((field << 3) | 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;
const dim = (d: number | string) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d));
const valueInfo = (name: string, elem: number, dims: (number | string)[]) =>
  [...str(1, name), ...bytes(2, bytes(1, [...int(1, elem), ...bytes(2, dims.flatMap(dim))]))];

function onnxGather(table: Float32Array, rows: number, cols: number): Uint8Array {
  const tensor = [...int(1, rows), ...int(1, cols), ...int(2, FLOAT), ...str(8, 'embeddings'), ...bytes(9, [...new Uint8Array(table.buffer)])];
  const node = [...str(1, 'embeddings'), ...str(1, 'input_ids'), ...str(2, 'last_hidden_state'), ...str(3, 'lookup'), ...str(4, 'Gather')];
  const graph = [
    ...bytes(1, node),
    ...str(2, 'tiny'),
    ...bytes(5, tensor),
    ...bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    ...bytes(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    ...bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', cols])),
  ];
  const model = [...int(1, 8), ...str(2, 'paperboy-tests'), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, 13)])];
  return new Uint8Array(model);
}

/**
 * A model folder at `dir` over `words` (plus BERT's special tokens), each word embedded as the
 * given vector; special tokens embed as zeros, so a text's vector is the mean of its words'.
 */
export function writeTinyOnnxModel(dir: string, words: Record<string, number[]>): void {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const vocab = [...specials, ...Object.keys(words)];
  const cols = Object.values(words)[0]!.length;
  const table = new Float32Array(vocab.length * cols);
  vocab.forEach((w, i) => {
    table.set(words[w] ?? new Array(cols).fill(0), i * cols);
  });
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxGather(table, vocab.length, cols));
  const id = (t: string) => vocab.indexOf(t);
  const special = (t: string) => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((w, i) => [w, i])),
    },
  };
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }),
  );
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: cols, vocab_size: vocab.length }));
}
