// The digest job in its own process (a second node of the same site), for the concurrency test.
import { loadConfig } from '../src/config.ts';
import { runDigests } from '../src/jobs/digests.ts';
import { createDeps } from '../src/main.ts';

const config = loadConfig();
if (!config.ok) throw new Error(config.error.join('; '));
const now = new Date(process.env.NOW!);
const deps = await createDeps(config.value, { now: () => now }, { info() {}, warn() {}, error() {} });
const run = await runDigests(deps);
await deps.mail.idle();
await deps.store.close();
process.stdout.write(JSON.stringify(run));
