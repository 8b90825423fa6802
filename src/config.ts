// The only reader of process.env: every option in one table (name, default, meaning), parsed,
// validated and frozen. `paperboy config` prints the table with the values in force.
import { resolve } from 'node:path';
import { isValidTimeZone } from './domain/period.ts';
import { err, ok, type Result } from './domain/result.ts';
import type { EmbedderConfig } from './embed/embedder.ts';
import { managedModel } from './embed/models.ts';
import type { FusionMethod } from './search/fusion.ts';
import type { DatabaseLocation } from './store/store.ts';

export type Config = Readonly<{
  host: string;
  port: number;
  database: DatabaseLocation;
  databaseUrl: string;
  /** Where rate-limit counters are shared when set (else the database on PostgreSQL, memory on SQLite). */
  redis: Readonly<{ url: string; prefix: string }> | undefined;
  demoData: boolean;
  migrateOnStart: boolean;
  timeZone: string;
  publicUrl: string;
  siteName: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  trustProxy: boolean;
  pageCacheSeconds: number;
  arxivOaiUrl: string;
  arxivApiUrl: string;
  arxivDelayMs: number;
  harvestSource: 'arxiv-oai' | 'arxiv-api';
  harvestCategories: string[];
  harvestCron: string;
  embedder: EmbedderConfig;
  semanticWeight: number;
  similarSemanticWeight: number;
  fusion: FusionMethod;
  vectorAnnThreshold: number;
  /** Where the HNSW vector index is saved between runs; undefined = not saved. */
  vectorIndexFile: string | undefined;
  /** Where retrained models live; undefined = no retraining (an in-memory database, or MODELS_DIR=none). */
  modelsDir: string | undefined;
  /** When the managed static model is retrained; undefined = never. */
  retrainCron: string | undefined;
  retrainMinPapers: number;
  digestCron: string;
  mailCron: string;
  webhookCron: string;
  mailClaimSeconds: number;
  /** Signs sessions' CSRF tokens and mail links; undefined = a random one kept in the database. */
  secretKey: string | undefined;
  mail: Readonly<{ smtpUrl: string | undefined; from: string; dir: string }>;
  sessionDays: number;
  submission: Readonly<{ requireVerifiedEmail: boolean; perDay: number; maxAgeDays: number }>;
  commentEditMinutes: number;
  /** Multiplies every rate limit (2 = twice as many requests allowed). */
  rateLimitFactor: number;
  /** Webhooks may target private and loopback addresses (tests, an intranet). */
  webhookAllowPrivate: boolean;
}>;

type Option = { name: string; default: string; meaning: string; secret?: boolean };

export const OPTIONS: readonly Option[] = [
  { name: 'HOST', default: '127.0.0.1', meaning: 'Interface to listen on (0.0.0.0 for all).' },
  { name: 'PORT', default: '3000', meaning: 'TCP port of the web server.' },
  { name: 'DATABASE_URL', default: 'sqlite:./data/paperboy.db', meaning: 'Where the data lives: sqlite:PATH (sqlite::memory: for a throwaway one) or postgres://USER@HOST:PORT/DATABASE.', secret: false },
  { name: 'DATABASE_READ_URL', default: '', meaning: 'PostgreSQL only: a read replica (postgres://...) that serves anonymous pages, feeds, search and the read API; signed-in pages and every write use DATABASE_URL. Empty = DATABASE_URL serves all.', secret: true },
  { name: 'REDIS_URL', default: '', meaning: 'redis://HOST:PORT/DB: keep the rate-limit counters of every node there instead of in the database (if Redis is down, requests pass unlimited and a warning is logged). Empty = the database (PostgreSQL) or memory (SQLite).', secret: true },
  { name: 'REDIS_PREFIX', default: 'paperboy:', meaning: 'Prefix of every key paperboy writes to Redis (several sites can share one Redis).' },
  { name: 'DEMO_DATA', default: 'true', meaning: 'Load the bundled demo corpus when the database has no papers.' },
  { name: 'MIGRATE_ON_START', default: 'true', meaning: 'Apply pending migrations when the server starts; false = refuse to start until `paperboy migrate`.' },
  { name: 'TIME_ZONE', default: 'UTC', meaning: 'IANA zone that decides which featured day is "today".' },
  { name: 'PUBLIC_URL', default: 'http://localhost:PORT', meaning: 'The site\'s public base URL, for absolute links.' },
  { name: 'SITE_NAME', default: 'paperboy', meaning: 'Name shown in the header and titles.' },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent.' },
  { name: 'PAGE_CACHE_SECONDS', default: '60', meaning: 'Serve an anonymous GET from memory for up to this long while no data changed; 0 turns the cache off.' },
  { name: 'ARXIV_OAI_URL', default: 'https://export.arxiv.org/oai2', meaning: "arXiv's OAI-PMH endpoint (or a mirror's)." },
  { name: 'ARXIV_API_URL', default: 'https://export.arxiv.org/api/query', meaning: "arXiv's search API endpoint (or a mirror's)." },
  { name: 'ARXIV_DELAY_MS', default: '3000', meaning: 'Milliseconds between two requests to arXiv (arXiv asks for at least 3 s; lower only for your own mirror).' },
  { name: 'HARVEST_CATEGORIES', default: '', meaning: 'Categories the daily harvest job fetches, e.g. cs.LG,cs.CL; empty = no scheduled harvest.' },
  { name: 'HARVEST_SOURCE', default: 'arxiv-oai', meaning: 'arxiv-oai or arxiv-api: where the daily harvest fetches from.' },
  { name: 'HARVEST_CRON', default: '30 1 * * *', meaning: 'When the daily harvest runs (cron syntax, in TIME_ZONE).' },
  { name: 'EMBEDDER', default: 'static', meaning: 'Semantic search: static (word vectors; by default the model trained on the site\'s papers), openai (an OpenAI-compatible embeddings endpoint), onnx (a model folder) or none.' },
  { name: 'EMBEDDER_MODEL', default: '', meaning: 'static: a model folder (empty = the bundled model, replaced by retrained ones); onnx: the model folder; openai: the model name sent to the endpoint.' },
  { name: 'MODELS_DIR', default: 'DATABASE.models', meaning: 'Where models trained on the site\'s papers are kept ("none" = no retraining).' },
  { name: 'RETRAIN_CRON', default: '0 4 * * 0', meaning: 'When the static model is retrained on the site\'s papers (default Sundays 04:00; "off" = never). Only the default model is retrained, and a new one replaces it only if it scores at least as well.' },
  { name: 'DIGEST_CRON', default: '*/5 * * * *', meaning: 'How often the digest job looks for subscriptions whose delivery time has come (cron, in TIME_ZONE).' },
  { name: 'MAIL_CRON', default: '* * * * *', meaning: 'How often queued mail is retried and mail queued by other nodes is sent (it also goes out right after it is queued).' },
  { name: 'MAIL_CLAIM_SECONDS', default: '120', meaning: 'How long a node\'s claim on a queued message lasts: if the node dies, another sends the message after this.' },
  { name: 'WEBHOOK_CRON', default: '* * * * *', meaning: 'How often new papers are matched against webhooks and deliveries retried.' },
  { name: 'RETRAIN_MIN_PAPERS', default: '10000', meaning: 'Fewest papers worth retraining on (smaller corpora keep the bundled model).' },
  { name: 'EMBEDDER_URL', default: 'http://127.0.0.1:8080/v1', meaning: 'openai: base URL of the endpoint (POST {URL}/embeddings).' },
  { name: 'EMBEDDER_API_KEY', default: '', meaning: 'openai: bearer token, if the endpoint wants one.', secret: true },
  { name: 'EMBEDDER_DIMENSIONS', default: '', meaning: 'openai: ask for vectors of this size (models that support it); empty = the model\'s own.' },
  { name: 'EMBEDDER_BATCH', default: '64', meaning: 'openai: texts per request.' },
  { name: 'EMBEDDER_TIMEOUT_MS', default: '30000', meaning: 'openai: time allowed per request before it is retried.' },
  { name: 'EMBEDDER_QUERY_PREFIX', default: '', meaning: 'onnx: text put before queries (e.g. "query: " for E5 models).' },
  { name: 'EMBEDDER_DOCUMENT_PREFIX', default: '', meaning: 'onnx: text put before papers (e.g. "passage: ").' },
  { name: 'SEMANTIC_WEIGHT', default: '0.5', meaning: 'Share of meaning in search ranking, 0-1 (0 = words only; 0.5: within noise of the best on held-out arXiv papers, and better than words alone on SciFact; npm run eval:embeddings and eval:search).' },
  { name: 'SIMILAR_SEMANTIC_WEIGHT', default: '0.5', meaning: 'Share of meaning in related papers, 0-1 (0.5 was best on held-out papers at finding papers that share an author).' },
  { name: 'FUSION', default: 'score', meaning: 'How word and meaning rankings combine: score (normalised scores) or rrf (reciprocal rank fusion).' },
  { name: 'VECTOR_ANN_THRESHOLD', default: '100000', meaning: 'Exact vector search below this many papers, an HNSW index from there on.' },
  { name: 'VECTOR_INDEX_FILE', default: 'DATABASE.vectors.usearch', meaning: 'Where the HNSW index is saved between runs ("none" = rebuild at start).' },
  { name: 'SECRET_KEY', default: '', meaning: 'Secret that signs CSRF tokens and unsubscribe links (32+ characters); empty = a random one generated once and kept in the database.', secret: true },
  { name: 'SMTP_URL', default: '', meaning: 'Where mail is sent, e.g. smtps://user:pass@mail.example.org:465; empty = written as .eml files to MAIL_DIR.', secret: true },
  { name: 'MAIL_FROM', default: 'SITE_NAME <noreply@localhost>', meaning: 'The From address of every email.' },
  { name: 'MAIL_DIR', default: 'DATABASE.mail', meaning: 'Folder that receives mail as .eml files when SMTP_URL is empty.' },
  { name: 'SESSION_DAYS', default: '30', meaning: 'A sign-in lasts this many days after the last visit.' },
  { name: 'SUBMIT_REQUIRE_VERIFIED', default: 'true', meaning: 'Only users who confirmed their email address may submit papers.' },
  { name: 'SUBMIT_PER_DAY', default: '10', meaning: 'Most papers one user may submit in 24 hours.' },
  { name: 'SUBMIT_MAX_AGE_DAYS', default: '14', meaning: 'A submitted paper must have reached arXiv at most this many days ago.' },
  { name: 'COMMENT_EDIT_MINUTES', default: '15', meaning: 'How long after posting its author may edit a comment.' },
  { name: 'RATE_LIMIT_FACTOR', default: '1', meaning: 'Multiplies every rate limit (sign-up, login, reset, submit, comment, vote); see README.' },
  { name: 'WEBHOOK_ALLOW_PRIVATE', default: 'false', meaning: 'Let webhooks target private, loopback and link-local addresses (off: a webhook must not reach the server\'s own network).' },
  { name: 'TRUST_PROXY', default: 'false', meaning: 'true behind a reverse proxy: client IPs and https come from X-Forwarded-* headers.' },
];

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function bool(name: string, v: string, errors: string[]): boolean {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  errors.push(`${name}: expected true or false, got "${v}"`);
  return false;
}

export function parseDatabaseUrl(url: string): Result<DatabaseLocation, string> {
  const m = /^sqlite:(.+)$/.exec(url);
  if (m) return ok({ engine: 'sqlite', path: m[1] === ':memory:' ? ':memory:' : resolve(m[1]!) });
  if (/^postgres(ql)?:\/\/./.test(url)) return ok({ engine: 'postgres', url });
  return err(`expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE, got "${url}"`);
}

/** Parses an environment into a Config, or lists every problem, one line per option. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Result<Config, string[]> {
  const errors: string[] = [];
  const get = (name: string): string => {
    const v = env[name];
    return v === undefined || v === '' ? OPTIONS.find((o) => o.name === name)!.default : v;
  };
  const port = Number(get('PORT'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) errors.push(`PORT: expected an integer 0-65535, got "${get('PORT')}"`);
  const databaseUrl = get('DATABASE_URL');
  const db = parseDatabaseUrl(databaseUrl);
  if (!db.ok) errors.push(`DATABASE_URL: ${db.error}`);
  const readUrl = get('DATABASE_READ_URL');
  if (readUrl !== '') {
    if (!/^postgres(ql)?:\/\/./.test(readUrl)) errors.push(`DATABASE_READ_URL: expected postgres://USER@HOST:PORT/DATABASE, got "${readUrl}"`);
    else if (db.ok && db.value.engine !== 'postgres') errors.push('DATABASE_READ_URL: a read replica needs DATABASE_URL on PostgreSQL too');
  }
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== '' && !/^rediss?:\/\/./.test(redisUrl)) errors.push(`REDIS_URL: expected redis://HOST:PORT (or rediss:// for TLS), got "${redisUrl}"`);
  const pageCacheSeconds = Number(get('PAGE_CACHE_SECONDS'));
  if (!Number.isFinite(pageCacheSeconds) || pageCacheSeconds < 0) {
    errors.push(`PAGE_CACHE_SECONDS: expected a number of seconds >= 0, got "${get('PAGE_CACHE_SECONDS')}"`);
  }
  const arxivDelayMs = Number(get('ARXIV_DELAY_MS'));
  if (!Number.isInteger(arxivDelayMs) || arxivDelayMs < 0) errors.push(`ARXIV_DELAY_MS: expected milliseconds >= 0, got "${get('ARXIV_DELAY_MS')}"`);
  const harvestSource = get('HARVEST_SOURCE');
  if (harvestSource !== 'arxiv-oai' && harvestSource !== 'arxiv-api') errors.push(`HARVEST_SOURCE: expected arxiv-oai or arxiv-api, got "${harvestSource}"`);
  const harvestCategories = (env.HARVEST_CATEGORIES ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  for (const c of harvestCategories) if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(c)) errors.push(`HARVEST_CATEGORIES: "${c}" is not an arXiv category`);
  const harvestCron = get('HARVEST_CRON');
  if (harvestCron.trim().split(/\s+/).length < 5) errors.push(`HARVEST_CRON: expected a cron expression like "30 1 * * *", got "${harvestCron}"`);
  const urls: Record<string, string> = {};
  for (const name of ['ARXIV_OAI_URL', 'ARXIV_API_URL', 'EMBEDDER_URL']) {
    try {
      urls[name] = new URL(get(name)).toString().replace(/\/$/, '');
    } catch {
      errors.push(`${name}: not an absolute URL: "${get(name)}"`);
    }
  }
  const num = (name: string, min: number, max: number): number => {
    const v = Number(get(name));
    if (!Number.isFinite(v) || v < min || v > max) errors.push(`${name}: expected a number from ${min} to ${max}, got "${get(name)}"`);
    return v;
  };
  const embedderKind = get('EMBEDDER');
  const embedderModel = get('EMBEDDER_MODEL');
  const modelsDirRaw = get('MODELS_DIR');
  const modelsDir =
    modelsDirRaw === 'none' || !db.ok || (db.value.engine === 'sqlite' && db.value.path === ':memory:')
      ? undefined
      : modelsDirRaw === 'DATABASE.models'
        ? db.value.engine === 'sqlite' ? `${db.value.path}.models` : resolve('data/models')
        : resolve(modelsDirRaw);
  const cron = (name: string): string => {
    const v = get(name);
    if (v.trim().split(/\s+/).length < 5) errors.push(`${name}: expected a cron expression like "*/5 * * * *", got "${v}"`);
    return v;
  };
  const retrainCron = get('RETRAIN_CRON');
  if (retrainCron !== 'off' && retrainCron.trim().split(/\s+/).length < 5) errors.push(`RETRAIN_CRON: expected a cron expression like "0 4 * * 0" or off, got "${retrainCron}"`);
  let embedder: EmbedderConfig = { kind: 'none' };
  if (embedderKind === 'static') {
    embedder = embedderModel ? { kind: 'static', path: resolve(embedderModel), managed: false } : { kind: 'static', path: managedModel(modelsDir), managed: true };
  } else if (embedderKind === 'onnx') {
    if (!embedderModel) errors.push(`EMBEDDER_MODEL: EMBEDDER=${embedderKind} needs the model folder`);
    embedder = { kind: 'onnx', path: resolve(embedderModel), queryPrefix: env.EMBEDDER_QUERY_PREFIX ?? '', documentPrefix: env.EMBEDDER_DOCUMENT_PREFIX ?? '' };
  } else if (embedderKind === 'openai') {
    if (!embedderModel) errors.push('EMBEDDER_MODEL: EMBEDDER=openai needs the model name the endpoint serves');
    const dims = get('EMBEDDER_DIMENSIONS');
    embedder = {
      kind: 'openai',
      url: urls.EMBEDDER_URL ?? '',
      model: embedderModel,
      apiKey: get('EMBEDDER_API_KEY') || undefined,
      dimensions: dims ? num('EMBEDDER_DIMENSIONS', 1, 65536) : undefined,
      batchSize: num('EMBEDDER_BATCH', 1, 10000),
      timeoutMs: num('EMBEDDER_TIMEOUT_MS', 1, 3_600_000),
    };
  } else if (embedderKind !== 'none') {
    errors.push(`EMBEDDER: expected none, static, openai or onnx, got "${embedderKind}"`);
  }
  const fusion = get('FUSION');
  if (fusion !== 'score' && fusion !== 'rrf') errors.push(`FUSION: expected score or rrf, got "${fusion}"`);
  const indexFileRaw = get('VECTOR_INDEX_FILE');
  const vectorIndexFile =
    indexFileRaw === 'none' || !db.ok || (db.value.engine === 'sqlite' && db.value.path === ':memory:')
      ? undefined
      : indexFileRaw === 'DATABASE.vectors.usearch'
        ? db.value.engine === 'sqlite' ? `${db.value.path}.vectors.usearch` : resolve('data/vectors.usearch')
        : resolve(indexFileRaw);
  const timeZone = get('TIME_ZONE');
  if (!isValidTimeZone(timeZone)) errors.push(`TIME_ZONE: unknown IANA time zone "${timeZone}"`);
  const logLevel = get('LOG_LEVEL');
  if (!(LEVELS as readonly string[]).includes(logLevel)) errors.push(`LOG_LEVEL: expected one of ${LEVELS.join(', ')}, got "${logLevel}"`);
  const publicUrlRaw = env.PUBLIC_URL || `http://localhost:${port}`;
  let publicUrl = publicUrlRaw;
  try {
    publicUrl = new URL(publicUrlRaw).toString().replace(/\/$/, '');
  } catch {
    errors.push(`PUBLIC_URL: not an absolute URL: "${publicUrlRaw}"`);
  }
  const secretKey = get('SECRET_KEY') || undefined;
  if (secretKey !== undefined && secretKey.length < 32) errors.push('SECRET_KEY: use at least 32 characters (or leave it empty for a generated one)');
  const smtpUrl = get('SMTP_URL') || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^/]/.test(smtpUrl)) errors.push('SMTP_URL: expected smtp://host:port or smtps://user:pass@host:port');
  const mailDirRaw = get('MAIL_DIR');
  const mailDir =
    mailDirRaw === 'DATABASE.mail'
      ? db.ok && db.value.engine === 'sqlite' && db.value.path !== ':memory:' ? `${db.value.path}.mail` : resolve('data/mail')
      : resolve(mailDirRaw);
  const siteName = get('SITE_NAME');
  const mailFrom = get('MAIL_FROM').replace('SITE_NAME', siteName);
  const int = (name: string, min: number, max: number): number => {
    const v = num(name, min, max);
    if (!Number.isInteger(v)) errors.push(`${name}: expected a whole number, got "${get(name)}"`);
    return v;
  };
  const config = {
    host: get('HOST'),
    port,
    database: (db.ok ? (db.value.engine === 'postgres' && readUrl ? { ...db.value, readUrl } : db.value) : { engine: 'sqlite' as const, path: ':memory:' }) as DatabaseLocation,
    redis: redisUrl === '' ? undefined : { url: redisUrl, prefix: get('REDIS_PREFIX') },
    databaseUrl,
    demoData: bool('DEMO_DATA', get('DEMO_DATA'), errors),
    migrateOnStart: bool('MIGRATE_ON_START', get('MIGRATE_ON_START'), errors),
    timeZone,
    publicUrl,
    siteName,
    logLevel: logLevel as Config['logLevel'],
    trustProxy: bool('TRUST_PROXY', get('TRUST_PROXY'), errors),
    pageCacheSeconds,
    arxivOaiUrl: urls.ARXIV_OAI_URL ?? '',
    arxivApiUrl: urls.ARXIV_API_URL ?? '',
    arxivDelayMs,
    harvestSource: harvestSource as Config['harvestSource'],
    harvestCategories,
    harvestCron,
    embedder,
    semanticWeight: num('SEMANTIC_WEIGHT', 0, 1),
    similarSemanticWeight: num('SIMILAR_SEMANTIC_WEIGHT', 0, 1),
    fusion: fusion as FusionMethod,
    vectorAnnThreshold: num('VECTOR_ANN_THRESHOLD', 0, Number.MAX_SAFE_INTEGER),
    vectorIndexFile,
    modelsDir,
    retrainCron: retrainCron === 'off' ? undefined : retrainCron,
    retrainMinPapers: num('RETRAIN_MIN_PAPERS', 0, Number.MAX_SAFE_INTEGER),
    digestCron: cron('DIGEST_CRON'),
    mailCron: cron('MAIL_CRON'),
    webhookCron: cron('WEBHOOK_CRON'),
    mailClaimSeconds: num('MAIL_CLAIM_SECONDS', 1, 86_400),
    secretKey,
    mail: { smtpUrl, from: mailFrom, dir: mailDir },
    sessionDays: num('SESSION_DAYS', 1, 3650),
    submission: {
      requireVerifiedEmail: bool('SUBMIT_REQUIRE_VERIFIED', get('SUBMIT_REQUIRE_VERIFIED'), errors),
      perDay: int('SUBMIT_PER_DAY', 0, 100000),
      maxAgeDays: int('SUBMIT_MAX_AGE_DAYS', 0, 100000),
    },
    commentEditMinutes: num('COMMENT_EDIT_MINUTES', 0, 525600),
    rateLimitFactor: num('RATE_LIMIT_FACTOR', 0.01, 1_000_000),
    webhookAllowPrivate: bool('WEBHOOK_ALLOW_PRIVATE', get('WEBHOOK_ALLOW_PRIVATE'), errors),
  };
  return errors.length > 0 ? err(errors) : ok(Object.freeze(config));
}
