// Upvotes: one per user per paper, set on or off (idempotent, so a double click or a retried
// request cannot count twice). The vote and the paper's count change in one transaction.
import type { Deps } from '../deps.ts';
import { err, ok, type Result } from '../domain/result.ts';
import type { User } from '../domain/user.ts';
import type { VoteResult } from '../store/votes.ts';

export type VoteError = 'not_found' | 'banned';

export async function vote(d: Deps, user: User, paperId: string, on: boolean): Promise<Result<VoteResult, VoteError>> {
  if (user.banned) return err('banned');
  const now = d.clock.now().toISOString();
  const r = await d.store.transaction((tx) => tx.votes.set(user.id, paperId, on, now));
  return r ? ok(r) : err('not_found');
}
