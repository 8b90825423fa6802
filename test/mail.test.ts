// The outbox and its sender against a real SMTP listener on loopback: delivery, retries with backoff
// on a transient refusal, giving up on a permanent one, the folder mailer, and several senders (as
// several processes would) sharing one outbox without sending anything twice.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { createMailer } from '../src/mail/mailer.ts';
import { createMailSender, RETRY_DELAYS_S } from '../src/mail/sender.ts';
import { openStore } from '../src/store/store.ts';
import { freshStore, silentLog, tempDir } from './helpers.ts';
import { type MailSink, startMailSink } from './mail-sink.ts';

let sink: MailSink;
before(async () => {
  sink = await startMailSink();
});
after(() => sink.close());

let t = Date.parse('2026-06-10T12:00:00Z');
const now = () => new Date(t);
const queue = (store: Awaited<ReturnType<typeof freshStore>>, to: string, subject: string) =>
  store.outbox.enqueue({ kind: 'test', to, message: { subject, text: `body of ${subject}`, html: `<p>${subject}</p>`, headers: { 'X-Paperboy-Test': '1' } }, now: now().toISOString() });

describe('the mail outbox', () => {
  it('sends queued mail over SMTP once, with both parts and the extra headers', async () => {
    const store = await freshStore();
    await queue(store, 'a@example.org', 'first');
    await queue(store, 'b@example.org', 'second');
    const mailer = createMailer({ smtpUrl: sink.url, from: 'paperboy <noreply@example.org>', dir: tempDir() });
    const sender = createMailSender(store, mailer, now, silentLog);
    assert.equal(await sender.drain(), 2);
    assert.equal(await sender.drain(), 0, 'nothing is sent twice');
    const m = await sink.waitFor('b@example.org');
    assert.equal(m.subject, 'second');
    assert.equal(m.text?.trim(), 'body of second');
    assert.match(String(m.html), /<p>second<\/p>/);
    assert.equal(m.headers.get('x-paperboy-test'), '1');
    assert.deepEqual(await store.outbox.counts(), { sent: 2 });
    mailer.close();
  });

  it('retries a transient refusal after a delay, and gives up at once on a permanent one', async () => {
    const store = await freshStore();
    await queue(store, 'retry@example.org', 'transient');
    const mailer = createMailer({ smtpUrl: sink.url, from: 'noreply@example.org', dir: tempDir() });
    const sender = createMailSender(store, mailer, now, silentLog);
    sink.refuse(1, 451);
    assert.equal(await sender.drain(), 0);
    assert.deepEqual(await store.outbox.counts(), { pending: 1 });
    assert.equal(await sender.drain(), 0, 'not due yet');
    t += RETRY_DELAYS_S[0]! * 1000;
    assert.equal(await sender.drain(), 1);
    await sink.waitFor('retry@example.org');

    await queue(store, 'gone@example.org', 'permanent');
    sink.refuse(1, 550);
    assert.equal(await sender.drain(), 0);
    assert.deepEqual(await store.outbox.counts(), { sent: 1, failed: 1 });
    t += 86_400_000;
    assert.equal(await sender.drain(), 0, 'a permanent failure is not retried');
    mailer.close();
  });

  it('writes .eml files to a folder when no SMTP server is configured', async () => {
    const store = await freshStore();
    const dir = tempDir();
    await queue(store, 'folder@example.org', 'to a folder');
    await createMailSender(store, createMailer({ smtpUrl: undefined, from: 'noreply@example.org', dir }), now, silentLog).drain();
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const m = await simpleParser(readFileSync(join(dir, files[0]!)));
    assert.equal(m.subject, 'to a folder');
  });

  it('lets several senders (separate database connections, like processes) share the outbox without duplicates', async () => {
    const path = join(tempDir(), 'shared.db');
    const a = openStore({ engine: 'sqlite', path });
    await a.migrate(() => now().toISOString());
    const b = openStore({ engine: 'sqlite', path });
    const N = 120;
    for (let i = 0; i < N; i++) await queue(a, `many-${i}@example.org`, `message ${i}`);
    const mailer = createMailer({ smtpUrl: sink.url, from: 'noreply@example.org', dir: tempDir() });
    const before = sink.messages.length;
    const sent = await Promise.all([a, b, a, b].map((s) => createMailSender(s, mailer, now, silentLog).drain()));
    assert.equal(sent.reduce((x, y) => x + y, 0), N);
    const got = sink.messages.slice(before).map((m) => m.subject);
    assert.equal(got.length, N);
    assert.equal(new Set(got).size, N, 'every message exactly once');
    mailer.close();
    await a.close();
    await b.close();
  });
});
