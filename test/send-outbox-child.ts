// A mail sender in its own process, for the crash test: drains the outbox of DATABASE_URL one message
// at a time and, with CRASH_AFTER=K, kills itself (SIGKILL: no clean-up) right after the K-th message
// is recorded as sent. CLOCK_OFFSET_MS moves its clock forward (a restart after claims ran out).
import { loadConfig } from '../src/config.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { createMailSender } from '../src/mail/sender.ts';
import { openStore } from '../src/store/store.ts';

const config = loadConfig();
if (!config.ok) throw new Error(config.error.join('; '));
const offset = Number(process.env.CLOCK_OFFSET_MS ?? 0);
const crashAfter = Number(process.env.CRASH_AFTER ?? 0);
const store = openStore(config.value.database);
const mailer = createMailer(config.value.mail);
let sent = 0;
const sender = createMailSender(store, mailer, () => new Date(Date.now() + offset), { warn() {}, error() {} }, {
  concurrency: 1,
  onSent: () => {
    if (crashAfter && ++sent === crashAfter) process.kill(process.pid, 'SIGKILL');
  },
});
await sender.drain();
mailer.close();
await store.close();
