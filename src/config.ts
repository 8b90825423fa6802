// The only reader of process.env: every option in one table (name, default, meaning), parsed,
// validated and frozen. `paperboy config` prints the table with the values in force.
import { resolve } from 'node:path';
import { isValidTimeZone } from './domain/period.ts';
import { err, ok, type Result } from './domain/result.ts';
import type { DatabaseLocation } from './store/store.ts';

export type Config = Readonly<{
  host: string;
  port: number;
  database: DatabaseLocation;
  databaseUrl: string;
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
}>;

type Option = { name: string; default: string; meaning: string };

export const OPTIONS: readonly Option[] = [
  { name: 'HOST', default: '127.0.0.1', meaning: 'Interface to listen on (0.0.0.0 for all).' },
  { name: 'PORT', default: '3000', meaning: 'TCP port of the web server.' },
  { name: 'DATABASE_URL', default: 'sqlite:./data/paperboy.db', meaning: 'Where the data lives: sqlite:PATH (sqlite::memory: for a throwaway one).' },
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
  if (/^postgres(ql)?:\/\//.test(url)) return err('PostgreSQL is not supported by this version yet; use sqlite:PATH');
  return err(`expected sqlite:PATH, got "${url}"`);
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
  for (const name of ['ARXIV_OAI_URL', 'ARXIV_API_URL']) {
    try {
      urls[name] = new URL(get(name)).toString().replace(/\/$/, '');
    } catch {
      errors.push(`${name}: not an absolute URL: "${get(name)}"`);
    }
  }
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
  const config = {
    host: get('HOST'),
    port,
    database: db.ok ? db.value : { engine: 'sqlite' as const, path: ':memory:' },
    databaseUrl,
    demoData: bool('DEMO_DATA', get('DEMO_DATA'), errors),
    migrateOnStart: bool('MIGRATE_ON_START', get('MIGRATE_ON_START'), errors),
    timeZone,
    publicUrl,
    siteName: get('SITE_NAME'),
    logLevel: logLevel as Config['logLevel'],
    trustProxy: bool('TRUST_PROXY', get('TRUST_PROXY'), errors),
    pageCacheSeconds,
    arxivOaiUrl: urls.ARXIV_OAI_URL ?? '',
    arxivApiUrl: urls.ARXIV_API_URL ?? '',
    arxivDelayMs,
    harvestSource: harvestSource as Config['harvestSource'],
    harvestCategories,
    harvestCron,
  };
  return errors.length > 0 ? err(errors) : ok(Object.freeze(config));
}
