// A local HTTP server that replays recorded arXiv responses: the only stand-in for the network edge.
// Each route matches a request by a predicate on its URL and answers from a script: a list of
// responses used in turn (the last one repeats), so a test can say "503 once, then the page".
import { createServer, type Server } from 'node:http';

export type Reply = { status?: number; headers?: Record<string, string>; body: string; /** Send only this many bytes of the body, then close. */ truncateAt?: number };
export type Route = { match: (url: URL) => boolean; replies: Reply[] };
export type Replay = { url: string; requests: { url: URL; at: number }[]; close(): Promise<void> };

export async function startReplay(routes: Route[]): Promise<Replay> {
  const requests: Replay['requests'] = [];
  const used = new Map<Route, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url, at: Date.now() });
    const route = routes.find((r) => r.match(url));
    if (!route) {
      res.writeHead(404).end('no recorded response');
      return;
    }
    const n = used.get(route) ?? 0;
    used.set(route, n + 1);
    const reply = route.replies[Math.min(n, route.replies.length - 1)]!;
    const body = Buffer.from(reply.body);
    if (reply.truncateAt !== undefined) {
      // Announce the whole body, send part of it, then drop the connection: a truncated response.
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml', 'content-length': String(body.length), ...reply.headers });
      res.write(body.subarray(0, reply.truncateAt));
      res.socket?.destroy();
      return;
    }
    res.writeHead(reply.status ?? 200, { 'content-type': 'text/xml; charset=utf-8', ...reply.headers });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
