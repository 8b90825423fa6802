// The onnx embedder: a sentence-embedding model exported to ONNX (the layout of a Hugging Face model
// folder: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx), run in-process by
// @huggingface/transformers on onnxruntime-node, mean-pooled and normalised. Remote loading is off:
// the folder is all it reads. The package is an optional dependency (~400 MB with onnxruntime); a
// deployment without it gets a clear error asking for it.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Embedder, EmbedderConfig } from './embedder.ts';

type OnnxConfig = Extract<EmbedderConfig, { kind: 'onnx' }>;
const BATCH = 16;

export async function onnxEmbedder(c: OnnxConfig): Promise<Embedder> {
  const dir = resolve(c.path);
  for (const f of ['config.json', 'tokenizer.json', join('onnx', 'model.onnx')]) {
    if (!existsSync(join(dir, f))) throw new Error(`onnx embedding model ${dir}: ${f} is missing (a Hugging Face model folder exported to ONNX)`);
  }
  let hf: typeof import('@huggingface/transformers');
  try {
    hf = await import('@huggingface/transformers');
  } catch {
    throw new Error('EMBEDDER=onnx needs the optional package @huggingface/transformers: run `npm install --include=optional`');
  }
  hf.env.allowRemoteModels = false;
  hf.env.allowLocalModels = true;
  hf.env.localModelPath = `${dirname(dir)}/`;
  const extract = await hf.pipeline('feature-extraction', basename(dir), { dtype: 'fp32', device: 'cpu' });
  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const t = await extract(texts.slice(i, i + BATCH), { pooling: 'mean', normalize: true });
      const [n, d] = t.dims as [number, number];
      const data = t.data as Float32Array;
      for (let r = 0; r < n; r++) out.push(data.slice(r * d, (r + 1) * d));
    }
    return out;
  };
  const weights = join(dir, 'onnx', 'model.onnx');
  const fingerprint = createHash('sha1').update(readFileSync(join(dir, 'config.json'))).update(String(statSync(weights).size)).digest('hex').slice(0, 10);
  const [probe] = await run(['dimension probe']);
  const dimensions = probe!.length;
  return {
    model: `onnx:${basename(dir)}:${dimensions}:${fingerprint}`,
    dimensions,
    embed: (texts, purpose) => run(texts.map((t) => (purpose === 'query' ? c.queryPrefix : c.documentPrefix) + t)),
  };
}
