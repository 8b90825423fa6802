// Accounts: who a user is, and the pure rules for what they type in (email, handle, password) and
// what they may do (roles, bans, the login backoff). Pure: no I/O, no hashing.
import { err, ok, type Result } from './result.ts';

export type Role = 'user' | 'admin';

export type User = {
  id: number;
  email: string;
  handle: string;
  displayName: string;
  role: Role;
  emailVerified: boolean;
  banned: boolean;
  upvotesPublic: boolean;
  hasPassword: boolean;
  createdAt: string;
};

export type FieldError = { field: string; message: string };

export const PASSWORD_MIN = 10;
/** argon2 takes any length; a bound keeps one request from hashing megabytes. */
export const PASSWORD_MAX = 256;

/** Trimmed and lower-cased: one account per mailbox however it is typed. */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function checkEmail(raw: string): Result<string, FieldError> {
  const email = normaliseEmail(raw);
  if (email.length > 254 || !/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:.]{2,}$/.test(email)) {
    return err({ field: 'email', message: 'Enter an email address like name@example.org.' });
  }
  return ok(email);
}

export function checkPassword(pw: string, email: string): Result<string, FieldError> {
  if (pw.length < PASSWORD_MIN) return err({ field: 'password', message: `Use at least ${PASSWORD_MIN} characters.` });
  if (pw.length > PASSWORD_MAX) return err({ field: 'password', message: `Use at most ${PASSWORD_MAX} characters.` });
  if (pw.toLowerCase() === email || /^(.)\1+$/.test(pw)) return err({ field: 'password', message: 'Choose a password that is not your email address or one repeated character.' });
  return ok(pw);
}

/** Handles name profile pages (/users/HANDLE): 3-30 of a-z, 0-9, _ and -, starting with a letter or digit. */
export function checkHandle(raw: string): Result<string, FieldError> {
  const handle = raw.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9_-]{2,29}$/.test(handle)) {
    return err({ field: 'handle', message: 'Use 3 to 30 letters, digits, _ or -, starting with a letter or digit.' });
  }
  return ok(handle);
}

/** A display name: any text, collapsed whitespace, 1-80 characters; defaults to the handle. */
export function displayName(raw: string | undefined, handle: string): string {
  const name = (raw ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return name || handle;
}

/** A handle proposed from an email address, for sign-up forms that leave it empty. */
export function handleFromEmail(email: string): string {
  const local = email.split('@')[0]!.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return (local.length >= 3 ? local : `${local}user`).slice(0, 24);
}

/**
 * Seconds a login must wait after `failures` consecutive failures for one account or one address:
 * none for the first 4 (typos), then doubling from 2 s up to 15 minutes. The wait applies to right
 * and wrong passwords alike, so it reveals nothing.
 */
export function loginBackoffSeconds(failures: number): number {
  if (failures < 5) return 0;
  return Math.min(900, 2 ** (failures - 4));
}

export const isAdmin = (u: User | undefined): boolean => u?.role === 'admin' && !u.banned;
