// Builds the configured embedder. Each kind loads on demand: `onnx` pulls in onnxruntime only when used.
import type { Embedder, EmbedderConfig } from './embedder.ts';

export async function createEmbedder(c: EmbedderConfig): Promise<Embedder | undefined> {
  switch (c.kind) {
    case 'none':
      return undefined;
    case 'static':
      return (await import('./static.ts')).loadStaticEmbedder(c.path);
    case 'openai':
      return (await import('./openai.ts')).openaiEmbedder(c);
    case 'onnx':
      return (await import('./onnx.ts')).onnxEmbedder(c);
  }
}
