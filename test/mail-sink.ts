// A real SMTP server on loopback (smtp-server) that keeps what it receives, parsed by mailparser:
// the mail tests' receiving end. It can be told to refuse the next messages with an SMTP code.
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type MailSink = {
  url: string;
  messages: ParsedMail[];
  /** Resolves with the first message to `to` (case-insensitive) matching `test`, waiting up to `ms`. */
  waitFor(to: string, test?: (m: ParsedMail) => boolean, ms?: number): Promise<ParsedMail>;
  /** The next n messages are refused with this SMTP reply code (e.g. 451 transient, 550 permanent). */
  refuse(n: number, code: number): void;
  /** Every message to this address is refused at RCPT TO with this code (a dead mailbox). */
  refuseRecipient(address: string, code: number): void;
  close(): Promise<void>;
};

const recipients = (m: ParsedMail): string[] =>
  [m.to].flat().flatMap((a) => (a ? a.value.map((v) => (v.address ?? '').toLowerCase()) : []));

export async function startMailSink(): Promise<MailSink> {
  const messages: ParsedMail[] = [];
  let refusals: { left: number; code: number } = { left: 0, code: 0 };
  const deadMailboxes = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, done) {
      const code = deadMailboxes.get(address.address.toLowerCase());
      if (!code) return done();
      const e = new Error(`mailbox ${address.address} unavailable`) as Error & { responseCode: number };
      e.responseCode = code;
      done(e);
    },
    onData(stream, _session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (refusals.left > 0) {
          refusals.left--;
          const e = new Error(`refused by the test (${refusals.code})`) as Error & { responseCode: number };
          e.responseCode = refusals.code;
          return done(e);
        }
        messages.push(await simpleParser(Buffer.concat(chunks)));
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(to, test = () => true, ms = 10_000) {
      const until = Date.now() + ms;
      for (;;) {
        const m = messages.find((x) => recipients(x).includes(to.toLowerCase()) && test(x));
        if (m) return m;
        if (Date.now() > until) throw new Error(`no mail to ${to} within ${ms} ms (got ${messages.length}: ${messages.map((x) => `${recipients(x)} "${x.subject}"`).join('; ')})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    refuse(n, code) {
      refusals = { left: n, code };
    },
    refuseRecipient(address, code) {
      deadMailboxes.set(address.toLowerCase(), code);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The first link in a mail's text part that starts with `prefix`. */
export function linkIn(m: ParsedMail, prefix: string): string {
  const found = (m.text ?? '').match(/https?:\/\/\S+/g)?.find((u) => u.includes(prefix));
  if (!found) throw new Error(`no link containing ${prefix} in "${m.subject}": ${m.text}`);
  return found;
}
