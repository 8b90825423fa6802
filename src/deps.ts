// What every handler, job and command receives: explicit dependencies, no container.
import type { Config } from './config.ts';
import type { Fetcher } from './ingest/fetch.ts';
import type { Mailer } from './mail/mailer.ts';
import type { MailSender } from './mail/sender.ts';
import type { Search } from './search/search.ts';
import type { Store } from './store/store.ts';

export type Clock = { now(): Date };
export type Log = {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
};

export type Deps = {
  config: Config;
  store: Store;
  search: Search;
  clock: Clock;
  log: Log;
  /** HTTP to arXiv, with its politeness rules (the only network edge). */
  arxiv: Fetcher;
  mailer: Mailer;
  /** Sends what the outbox holds; wake() after committing a change that queued mail. */
  mail: MailSender;
  /** SECRET_KEY, or the one generated and kept in the database: signs CSRF tokens and mail links. */
  secret: Buffer;
};

export const systemClock: Clock = { now: () => new Date() };
