// From a request to the Viewer a page is rendered for: the signed-in user, the CSRF token for the
// page's forms and which of the page's papers they upvoted. Signed-out readers have no viewer, and
// their pages stay cacheable.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { User } from '../domain/user.ts';
import type { Repos } from '../store/store.ts';
import { csrfToken } from './auth.ts';
import type { Viewer } from './views/layout.ts';

/** Who asks: handed to renderers, which know the papers on the page. `reads`: where the page reads from. */
export type Who = { user: User | undefined; csrf: () => string; reads: Repos };

/**
 * Where a request reads shared data: signed-in users (and API tokens) from the primary, so they see
 * their own writes at once; everyone else from the read replica (DATABASE_READ_URL), if there is one.
 */
export const readsFor = (deps: Deps, req: FastifyRequest): Repos => (req.user ? deps.store : deps.store.replica);

export const who = (deps: Deps, req: FastifyRequest, reply: FastifyReply): Who => ({ user: req.user, csrf: () => csrfToken(deps, req, reply), reads: readsFor(deps, req) });

export async function viewerOf(deps: Deps, w: Who, paperIds: string[] = []): Promise<Viewer | undefined> {
  const u = w.user;
  if (!u) return undefined;
  return {
    handle: u.handle,
    displayName: u.displayName,
    admin: u.role === 'admin' && !u.banned,
    verified: u.emailVerified,
    csrf: w.csrf(),
    voted: await deps.store.votes.votedAmong(u.id, paperIds),
  };
}

/** The viewer for a page about no papers in particular (errors, forms), without a database read. */
export function viewerNow(deps: Deps, req: FastifyRequest, reply: FastifyReply): Viewer | undefined {
  const u = req.user;
  if (!u) return undefined;
  return { handle: u.handle, displayName: u.displayName, admin: u.role === 'admin' && !u.banned, verified: u.emailVerified, csrf: csrfToken(deps, req, reply), voted: new Set() };
}
