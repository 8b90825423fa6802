// Sending one email: over SMTP (nodemailer, SMTP_URL), or, with no SMTP configured, into a folder
// as .eml files (one per message, readable by any mail client), so every flow works out of the box.
// Errors say whether retrying can help: a 5xx reply from the server is permanent.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export type Mail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** A stable id (the outbox row's): a message sent again after a crash mid-send carries the same Message-ID, which mailboxes deduplicate. */
  messageId?: string;
};

export interface Mailer {
  /** Where mail goes, for logs: "smtp://host:port" or the folder. */
  readonly description: string;
  send(m: Mail): Promise<void>;
  close(): void;
}

/** A failed send; `permanent` = the server refused it for good (5xx), retrying will not help. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export type MailerConfig = { smtpUrl: string | undefined; from: string; dir: string };

export function createMailer(c: MailerConfig): Mailer {
  return c.smtpUrl ? smtpMailer(c.smtpUrl, c.from) : folderMailer(c.dir, c.from);
}

const domainOf = (from: string) => /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
const messageIdOf = (m: Mail, from: string) => (m.messageId ? `<${m.messageId}@${domainOf(from)}>` : undefined);

function smtpMailer(url: string, from: string): Mailer {
  // Pooled: a few connections stay open and carry many messages (digests go out by the thousand).
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 4, maxMessages: Number.POSITIVE_INFINITY } as Parameters<typeof nodemailer.createTransport>[0], { from });
  const safe = new URL(url);
  return {
    description: `${safe.protocol}//${safe.host}`,
    async send(m) {
      try {
        await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId: messageIdOf(m, from) });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        throw new MailError(`SMTP: ${(e as Error).message}`, typeof code === 'number' && code >= 500 && code < 600);
      }
    },
    close: () => transport.close(),
  };
}

function folderMailer(dir: string, from: string): Mailer {
  const build = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let n = 0;
  return {
    description: dir,
    async send(m) {
      const info = await build.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers, messageId: messageIdOf(m, from) });
      mkdirSync(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${++n}.eml`;
      // Written under a temporary name and renamed: a reader never sees half a message.
      writeFileSync(join(dir, `.${name}`), info.message as Buffer);
      renameSync(join(dir, `.${name}`), join(dir, name));
    },
    close() {},
  };
}
