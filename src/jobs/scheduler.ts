// The in-process schedule: one table of { name, cron, run }, each run a plain async function of deps
// (the CLI calls the same functions). croner fires them in the site's time zone and never lets a
// run overlap the previous one.
import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Deps } from '../deps.ts';
import { harvestDaily } from './harvest-daily.ts';
import { runDigests } from './digests.ts';
import { describeRetrain, retrainEmbeddings } from './retrain.ts';
import { runWebhooks } from './webhooks.ts';

export type Job = {
  name: string;
  cron: (deps: Deps) => string;
  enabled: (deps: Deps) => boolean;
  run: (deps: Deps) => Promise<unknown>;
  /** Runs often: log failures only. */
  quiet?: boolean;
};

export const JOBS: readonly Job[] = [
  { name: 'harvest', cron: (d) => d.config.harvestCron, enabled: (d) => d.config.harvestCategories.length > 0, run: harvestDaily },
  // Mail is sent right after the commit that queues it; this catches retries and other processes' mail.
  { name: 'mail', cron: (d) => d.config.mailCron, enabled: () => true, run: (d) => d.mail.drain(), quiet: true },
  { name: 'digests', cron: (d) => d.config.digestCron, enabled: () => true, run: runDigests, quiet: true },
  { name: 'webhooks', cron: (d) => d.config.webhookCron, enabled: () => true, run: runWebhooks, quiet: true },
  {
    name: 'retrain',
    cron: (d) => d.config.retrainCron ?? '',
    enabled: (d) => d.config.retrainCron !== undefined && d.config.embedder.kind === 'static' && d.config.embedder.managed && d.config.modelsDir !== undefined,
    run: async (d) => d.log.info(`retrain: ${describeRetrain(await retrainEmbeddings(d))}`),
  },
];

export type Scheduler = {
  jobs: string[];
  /** No further runs start; resolves when the runs under way have ended, or after `timeoutMs` (false then). */
  stop(timeoutMs?: number): Promise<boolean>;
};

/** This process, as job_runs records it. */
const NODE = `${hostname()}:${process.pid}`;
/** Claims are kept this long (a row per run and job otherwise), and forgotten at most this often. */
const KEEP_RUNS_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** When each store (database) last forgot old claims, on its deps' clock. */
const prunedAt = new WeakMap<Deps['store'], number>();

/**
 * Runs a job's scheduled run unless another node sharing the database claimed it: each fire is
 * keyed by (job, scheduled time), the same on every node, so N nodes run it once. Returns whether
 * this node ran it.
 */
export async function runScheduled(deps: Deps, j: Job, scheduledFor: Date): Promise<boolean> {
  const key = scheduledFor.toISOString().slice(0, 19);
  const now = () => deps.clock.now().toISOString();
  if (!(await deps.store.jobs.claim(j.name, key, NODE, now()))) return false;
  const started = Date.now();
  try {
    await j.run(deps);
    await deps.store.jobs.finish(j.name, key, now(), undefined);
    if (!j.quiet) deps.log.info(`job ${j.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    await deps.store.jobs.finish(j.name, key, now(), (e as Error).message).catch(() => {});
    deps.log.error(`job ${j.name} failed`, e);
  }
  const nowMs = deps.clock.now().getTime();
  const last = prunedAt.get(deps.store);
  if (last === undefined || nowMs - last >= PRUNE_EVERY_MS || nowMs < last) {
    prunedAt.set(deps.store, nowMs);
    await deps.store.jobs.prune(new Date(nowMs - KEEP_RUNS_MS).toISOString().slice(0, 19));
  }
  return true;
}

export function startScheduler(deps: Deps, jobs: readonly Job[] = JOBS): Scheduler {
  const underway = new Set<Promise<unknown>>();
  const running = jobs.filter((j) => j.enabled(deps)).map(
    (j) =>
      new Cron(j.cron(deps), { name: j.name, timezone: deps.config.timeZone, protect: true }, async (self: Cron) => {
        const run = runScheduled(deps, j, self.currentRun() ?? new Date()).catch((e) => deps.log.error(`job ${j.name} could not be scheduled`, e));
        underway.add(run);
        await run.finally(() => underway.delete(run));
      }),
  );
  return {
    jobs: running.map((c) => c.name ?? ''),
    stop: async (timeoutMs = 10_000) => {
      for (const c of running) c.stop();
      if (underway.size === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const ended = await Promise.race([Promise.all(underway).then(() => true as const), late]);
      clearTimeout(timer);
      return ended;
    },
  };
}
