// `paperboy mail send` sends what the outbox holds now (the server does this by itself every minute);
// `paperboy mail status` counts messages by state.
import type { Log } from '../deps.ts';
import { createMailer } from '../mail/mailer.ts';
import { createMailSender } from '../mail/sender.ts';
import { withStore } from './context.ts';

const log: Log = { info: (m) => console.error(m), warn: (m) => console.error(`warning: ${m}`), error: (m, e) => console.error(`error: ${m}`, e ?? '') };

export async function mailSendCommand(): Promise<void> {
  await withStore(async (store, config) => {
    const mailer = createMailer(config.mail);
    try {
      const sent = await createMailSender(store, mailer, () => new Date(), log).drain();
      console.log(`sent ${sent} message${sent === 1 ? '' : 's'} to ${mailer.description}`);
    } finally {
      mailer.close();
    }
  });
}

export async function mailStatusCommand(opts: { json?: boolean }): Promise<void> {
  await withStore(async (store, config) => {
    const counts = await store.outbox.counts();
    if (opts.json) return console.log(JSON.stringify(counts));
    console.log(`outbox: ${counts.pending ?? 0} pending, ${counts.sent ?? 0} sent, ${counts.failed ?? 0} failed; mail goes to ${config.mail.smtpUrl ? 'SMTP' : config.mail.dir}`);
  });
}
