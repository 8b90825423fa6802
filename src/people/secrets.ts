// Secrets of the people side: random tokens (sessions, email links, API tokens) and their stored
// hashes, argon2id password hashes, HMAC signatures and their constant-time check.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** 256 random bits, URL-safe. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What the database keeps of a token: its SHA-256. Lookups go by this hash, so timing reveals nothing of the token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane): ~30 ms here. */
// algorithm 2 = Argon2id (the package's Algorithm enum is a const enum, which isolated modules cannot import).
const ARGON = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (pw: string): Promise<string> => hash(pw, ARGON);

/** Verified against a real hash when there is no account, so a login takes as long either way. */
let dummy: Promise<string> | undefined;
export async function checkPassword(stored: string | undefined, pw: string): Promise<boolean> {
  if (stored === undefined) {
    dummy ??= hashPassword('no account has this password');
    await verify(await dummy, pw).catch(() => false);
    return false;
  }
  return verify(stored, pw).catch(() => false);
}

export const sign = (secret: Buffer, data: string): string => createHmac('sha256', secret).update(data).digest('base64url');

/** Constant-time comparison of two strings (different lengths compare unequal without a timing hint on content). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
