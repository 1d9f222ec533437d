/**
 * What keeps a local server safe from the web pages its user visits (issue: a cross-site text/plain POST replaced a
 * curated registry record; a foreign Host header was accepted, so DNS rebinding worked):
 * - a write token, made at first start and kept beside the store (mode 0600). Every write (POST, PUT, PATCH, DELETE)
 *   needs it, as `Authorization: Bearer <token>` or as the HttpOnly, SameSite=Strict cookie the dashboard gets by
 *   opening the link printed at start (`/?token=…`). Without it the server is read-only for that client.
 * - Host must name this server (loopback names, or the address it was told to bind), and a request that says where it
 *   comes from (Origin) must come from this server's own pages. CORS stays closed: no Access-Control-* headers.
 * - security headers on every response (Hono's secureHeaders: nosniff, frame denial, no referrer, a strict CSP).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Hono, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';

export const TOKEN_COOKIE = 'chokepoint_token';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const tokenPath = (storePath: string) => `${storePath}.token`;

/**
 * The store's write token: $CHOKEPOINT_TOKEN, else the token file beside the store, else a new one written there with
 * mode 0600. `created` tells the caller to print it (once).
 */
export function loadOrCreateToken(storePath: string): { token: string; file: string | null; created: boolean } {
  if (process.env.CHOKEPOINT_TOKEN) return { token: process.env.CHOKEPOINT_TOKEN, file: null, created: false };
  if (storePath === ':memory:') return { token: randomBytes(24).toString('base64url'), file: null, created: true };
  const file = tokenPath(storePath);
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return { token, file, created: false };
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync keeps the mode of an existing file
  return { token, file, created: true };
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

export interface SecurityOptions {
  /** Required for writes; null makes the server read-only. */
  token: string | null;
  /** Interface the server listens on, and its port: together they say which Host values are this server. */
  host: string;
  port: number;
  /** Where the token is kept, for the message a refused write gets. */
  tokenFile?: string | null;
  /** Why there is no token, for the message a refused write gets (default: started without one, --read-only). */
  readOnlyReason?: string;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Install the checks on an app; call before any route is added. */
export function secureApp(app: Hono, opts: SecurityOptions): void {
  const names =
    opts.host === '0.0.0.0' || opts.host === '::'
      ? null
      : new Set([...LOOPBACK, opts.host.includes(':') && !opts.host.startsWith('[') ? `[${opts.host}]` : opts.host]);
  const allowedHost = (h: string | undefined) => {
    if (!h) return false;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.toLowerCase());
    if (!m || (m[2] !== undefined && Number(m[2]) !== opts.port)) return false;
    return names === null || names.has(m[1]);
  };

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );

  const guard: MiddlewareHandler = async (c, next) => {
    const host = c.req.header('host');
    if (!allowedHost(host)) return c.json({ error: `Host "${(host ?? '').slice(0, 100)}" is not this server; open it as http://127.0.0.1:${opts.port}/` }, 421);
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== 'null') {
      let originHost = '';
      try {
        originHost = new URL(origin).host;
      } catch {
        // unparsable Origin: refused below
      }
      if (!allowedHost(originHost))
        return c.json({ error: `requests from ${origin.slice(0, 100)} are not accepted: this API serves its own dashboard only` }, 403);
    } else if (origin === 'null' && WRITE_METHODS.has(c.req.method)) {
      return c.json({ error: 'writes from an opaque origin are not accepted' }, 403);
    }
    // The dashboard link printed at start: trade the token in the URL for a cookie, then drop it from the address.
    const q = c.req.query('token');
    if (c.req.method === 'GET' && q !== undefined && c.req.path === '/') {
      if (!opts.token || !sameToken(q, opts.token)) return c.json({ error: 'wrong token' }, 401);
      setCookie(c, TOKEN_COOKIE, q, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    }
    if (WRITE_METHODS.has(c.req.method)) {
      if (!opts.token) return c.json({ error: `this server is read-only: ${opts.readOnlyReason ?? 'it was started without a write token'}` }, 403);
      const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
      const given = bearer ?? c.req.header('x-chokepoint-token') ?? getCookie(c, TOKEN_COOKIE);
      if (!given || !sameToken(given, opts.token)) {
        const where = opts.tokenFile ? ` (it is in ${opts.tokenFile})` : '';
        return c.json(
          { error: `writes need the token${where}: send "Authorization: Bearer <token>", or open the dashboard with the link printed at start` },
          401,
        );
      }
    }
    await next();
  };
  app.use('*', guard);
}
