// The openai embedder: any server that implements OpenAI's POST /v1/embeddings (vLLM, llama.cpp,
// Ollama, text-embeddings-inference, LocalAI, or a hosted API). Batched, with a timeout per request
// and retries with exponential backoff on 429, 5xx and network errors (Retry-After honoured).
import { backoffMs, retryAfterMs } from '../domain/retry.ts';
import { type Embedder, type EmbedderConfig, normalize } from './embedder.ts';

type OpenAiConfig = Extract<EmbedderConfig, { kind: 'openai' }>;
const RETRIES = 4;
const BACKOFF = { backoffMs: 500, maxBackoffMs: 15_000 };
/** Longest Retry-After honoured. */
const MAX_WAIT_MS = 60_000;

export class EmbeddingError extends Error {}

export async function openaiEmbedder(c: OpenAiConfig, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<Embedder> {
  const endpoint = `${c.url.replace(/\/$/, '')}/embeddings`;

  async function request(input: string[]): Promise<Float32Array[]> {
    const body = JSON.stringify({ model: c.model, input, encoding_format: 'float', ...(c.dimensions ? { dimensions: c.dimensions } : {}) });
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let wait: number | undefined;
      let problem: string;
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {}) },
          body,
          signal: AbortSignal.timeout(c.timeoutMs),
        });
        status = res.status;
        const text = await res.text();
        if (res.ok) return parse(text, input.length);
        problem = `answered HTTP ${res.status}: ${text.slice(0, 200)}`;
        wait = retryAfterMs(res.headers.get('retry-after'), Date.now());
      } catch (e) {
        if (e instanceof EmbeddingError) throw e;
        problem = (e as Error).name === 'TimeoutError' ? `did not answer within ${c.timeoutMs} ms` : `could not be reached: ${(e as Error).message}`;
      }
      const retryable = status === 0 || status === 429 || status >= 500;
      if (!retryable || attempt >= RETRIES) throw new EmbeddingError(`embeddings endpoint ${endpoint} ${problem}`);
      await sleep(Math.min(wait ?? backoffMs(BACKOFF, attempt), MAX_WAIT_MS));
    }
  }

  function parse(text: string, n: number): Float32Array[] {
    let json: { data?: { index?: number; embedding?: unknown }[] };
    try {
      json = JSON.parse(text);
    } catch {
      throw new EmbeddingError(`embeddings endpoint ${endpoint} answered with something other than JSON: ${text.slice(0, 100)}`);
    }
    const data = json.data;
    if (!Array.isArray(data) || data.length !== n) {
      throw new EmbeddingError(`embeddings endpoint ${endpoint} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${n} texts`);
    }
    const out: Float32Array[] = new Array(n);
    data.forEach((d, i) => {
      if (!Array.isArray(d.embedding) || d.embedding.some((x) => typeof x !== 'number')) {
        throw new EmbeddingError(`embeddings endpoint ${endpoint}: data[${i}].embedding is not an array of numbers`);
      }
      out[d.index ?? i] = normalize(Float32Array.from(d.embedding as number[]));
    });
    return out;
  }

  const embedAll = async (texts: string[]) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += c.batchSize) out.push(...(await request(texts.slice(i, i + c.batchSize))));
    return out;
  };
  // The dimension is whatever the model returns: ask once.
  const [probe] = await embedAll(['dimension probe']);
  const dimensions = probe!.length;
  return {
    model: `openai:${c.model}:${dimensions}`,
    dimensions,
    async embed(texts) {
      const vs = await embedAll(texts);
      for (const v of vs) if (v.length !== dimensions) throw new EmbeddingError(`embeddings endpoint ${endpoint} returned ${v.length} dimensions, expected ${dimensions}`);
      return vs;
    },
  };
}
