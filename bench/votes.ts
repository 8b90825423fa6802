// npm run bench:votes — upvotes per second sustained over HTTP, as browsers send them: each request
// carries a signed-in user's session cookie and CSRF token and toggles that user's vote on one of the
// 500 newest papers (autocannon, 50 connections, 10 s), against `paperboy serve` on a SQLite
// database holding all 74,728 arxiv-sample papers and 2,000 users. Afterwards it checks that every
// paper's count equals its vote rows. RATE_LIMIT_FACTOR is raised for the run: with the default
// (300 votes a minute per user) the figure would measure the limiter. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { newToken, sign, tokenHash } from '../src/people/secrets.ts';
import { openStore } from '../src/store/store.ts';
import { loadSample } from './corpus.ts';

const ROOT = join(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const USERS = 2000;
const DB = join(ROOT, '.tmp', 'bench-votes.db');
const PORT = 3904;

mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const store = openStore({ engine: 'sqlite', path: DB });
await store.migrate(() => new Date().toISOString());
if ((await store.papers.stats()).papers < 74_000) {
  console.log('building the 74,728-paper votes database (once) ...');
  await loadSample(store);
}
const now = new Date().toISOString();
const expires = new Date(Date.now() + 86_400_000).toISOString();
const secret = Buffer.from(await store.outbox.settingOrInit('secret_key', newToken()));
const users: { cookie: string; csrf: string }[] = [];
for (let i = 0; i < USERS; i++) {
  const email = `bench-voter-${i}@example.org`;
  const user = (await store.users.byEmail(email)) ?? (await store.users.create({ email, handle: `bench-voter-${i}`, displayName: `Voter ${i}`, passwordHash: null, now }))!;
  const token = newToken();
  await store.users.createSession({ idHash: tokenHash(token), userId: user.id, now, expiresAt: expires, userAgent: 'bench', ip: '127.0.0.1' });
  users.push({ cookie: `pb_session=${token}`, csrf: sign(secret, `s:${tokenHash(token)}`) });
}
const papers = (await store.papers.listForPeriod({ start: '2000-01-01', end: '2100-01-01' }, 'newest', { limit: 500, offset: 0 }, Date.now())).papers.map((p) => p.id);
// Count before = upvotes - votes standing (earlier runs leave votes): after the run, upvotes must be baseline + votes.
const baseline = new Map<string, number>();
for (const id of papers) baseline.set(id, (await store.papers.byId(id))!.upvotes - (await store.votes.countFor(id)));
await store.close();

const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=.tmp/prof'] : []), 'bin/paperboy.js', 'serve'], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: `sqlite:${DB}`, LOG_LEVEL: 'warn', DEMO_DATA: 'false', PORT: String(PORT), RATE_LIMIT_FACTOR: '100000', EMBEDDER: 'none' },
  stdio: 'inherit',
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/healthz`)).ok) break;
    } catch {}
    if (i > 300) throw new Error('the server did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  let n = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = n++;
          const u = users[i % USERS]!;
          // Each (user, paper) pair alternates on and off, so both paths are measured.
          const paper = papers[Math.floor(i / USERS) % papers.length]!;
          return {
            ...req,
            path: `/papers/${paper}/upvote`,
            headers: { cookie: u.cookie, 'x-csrf-token': u.csrf, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
            body: `on=${Math.floor(i / (USERS * papers.length)) % 2 === 0 ? 1 : 0}`,
          };
        },
      },
    ],
  });
  const check = openStore({ engine: 'sqlite', path: DB });
  const wrong: string[] = [];
  for (const id of papers) {
    const p = await check.papers.byId(id);
    const voted = await check.votes.countFor(id);
    if (p && p.upvotes !== baseline.get(id)! + voted) wrong.push(`${id}: ${p.upvotes} upvotes, ${baseline.get(id)} + ${voted} votes`);
  }
  const totalVotes = (await Promise.all(papers.map((id) => check.votes.countFor(id)))).reduce((a, b) => a + b, 0);
  await check.close();
  console.log(`\nupvotes over HTTP: ${CONNECTIONS} connections, ${DURATION} s, ${USERS} signed-in users, 500 papers, SQLite with 74,728 papers`);
  console.log(`  ${result.requests.average.toFixed(0)} votes/s sustained (${result.requests.total} in total), latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
  console.log(`  errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}; ${totalVotes} votes standing; counts consistent with vote rows: ${wrong.length === 0 ? 'yes' : wrong.slice(0, 5).join('; ')}`);
} finally {
  server.kill('SIGINT');
}
