// Requests still being handled, so a server that stops closes its store only after them. Closing the
// HTTP server waits for open connections, but not for a handler whose client has gone away: it runs
// on, and without this its next query would meet a closed store ("driver has already been destroyed").
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when no request is being handled, or after `timeoutMs`; true if none was left. */
    requestsSettled(timeoutMs: number): Promise<boolean>;
  }
}

/** Call before any other hook and before the routes are declared, so every request and handler is counted. */
export function trackRequests(app: FastifyInstance): void {
  // A request is busy until both its response has closed (sent, or the client gone) and its
  // handler, if it ran, has returned: each is one unfinished part.
  const busy = new Map<FastifyRequest, number>();
  let settled: (() => void)[] = [];
  const begin = (req: FastifyRequest) => busy.set(req, (busy.get(req) ?? 0) + 1);
  const end = (req: FastifyRequest) => {
    const left = (busy.get(req) ?? 1) - 1;
    if (left > 0) return void busy.set(req, left);
    busy.delete(req);
    if (busy.size > 0) return;
    for (const resolve of settled) resolve();
    settled = [];
  };

  app.addHook('onRequest', (req, reply, done) => {
    begin(req);
    reply.raw.once('close', () => end(req));
    done();
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = async function (this: FastifyInstance, req, reply) {
      begin(req);
      try {
        return await handler.call(this, req, reply);
      } finally {
        end(req);
      }
    };
  });
  app.decorate('requestsSettled', (timeoutMs: number) => {
    if (busy.size === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      settled.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  });
}
