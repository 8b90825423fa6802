// A browser stand-in for in-process web tests: keeps cookies like a browser, fetches a page to read
// its CSRF token, and posts forms url-encoded (app.inject: no network, the real app and database).
import type { FastifyInstance } from 'fastify';

export type Reply = { status: number; body: string; headers: Record<string, string | string[] | number | undefined>; location: string | undefined };

export class WebClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly app: FastifyInstance,
    readonly ip = '127.0.0.1',
  ) {}

  private cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private keep(setCookie: string | string[] | number | undefined): void {
    for (const c of [setCookie ?? []].flat()) {
      const [pair, ...attrs] = String(c).split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const expired = attrs.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
      if (expired || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  async request(method: 'GET' | 'POST' | 'DELETE', url: string, o: { form?: Record<string, string | string[]>; json?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'user-agent': 'web-client test', ...o.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    let payload: string | undefined;
    if (o.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(o.form)) for (const x of [v].flat()) p.append(k, x);
      payload = p.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (o.json !== undefined) {
      payload = JSON.stringify(o.json);
      headers['content-type'] = 'application/json';
    }
    const r = await this.app.inject({ method, url, headers, payload, remoteAddress: this.ip });
    this.keep(r.headers['set-cookie']);
    return { status: r.statusCode, body: r.body, headers: r.headers, location: r.headers.location as string | undefined };
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, { headers });

  /** The CSRF token of the forms on a page (fetching the page sets the browser cookie it is bound to). */
  async csrf(url = '/login'): Promise<string> {
    const page = await this.get(url);
    const m = /name="_csrf" value="([^"]+)"/.exec(page.body) ?? /<meta name="csrf-token" content="([^"]+)"/.exec(page.body);
    if (!m) throw new Error(`no CSRF token on ${url} (status ${page.status})`);
    return m[1]!;
  }

  /** Posts a form the way a browser does after loading `from` (which supplies the token). */
  async post(url: string, form: Record<string, string | string[]> = {}, from = '/settings', headers?: Record<string, string>): Promise<Reply> {
    const _csrf = await this.csrf(from);
    return this.request('POST', url, { form: { _csrf, ...form }, headers });
  }

  get signedIn(): boolean {
    return this.cookies.has('pb_session');
  }
}
