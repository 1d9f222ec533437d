/**
 * Response compression: brotli when the client accepts it, else gzip, for text bodies (JSON, CSV, HTML, Markdown,
 * JavaScript) of at least `threshold` bytes. Already-compressed types (XLSX, PDF, images) and responses that already
 * carry a Content-Encoding (the dashboard's precompressed .br/.gz files) pass through. `Vary: Accept-Encoding` is set
 * on every compressible response, so a shared cache keeps the variants apart.
 *
 * Why not Hono's `compress()`: in hono 4.13 it offers gzip and deflate only (CompressionStream; brotli is not among
 * Node 20's formats), and it cannot see the size of a `c.json()` body (no Content-Length), so it compresses even
 * 20-byte answers. Here the body, which the routes build in memory anyway, is read once, measured and compressed
 * off the event loop (node:zlib's async brotli/gzip). Brotli quality 5: about gzip's speed and 10-20% smaller; the
 * static assets get quality 11 at build time (web/vite.config.ts).
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type ContentCoding = 'br' | 'gzip';

/**
 * The coding to use for an Accept-Encoding header: brotli if acceptable (q > 0, named or via `*`), else gzip, else
 * none (identity). Among acceptable codings brotli wins even at a lower q: it is the smaller one.
 */
export function chooseEncoding(acceptEncoding: string | undefined): ContentCoding | null {
  if (!acceptEncoding) return null;
  const accepts = parseAccept(acceptEncoding);
  const q = (coding: string) => accepts.find((a) => a.type.toLowerCase() === coding)?.q ?? accepts.find((a) => a.type === '*')?.q ?? 0;
  if (q('br') > 0) return 'br';
  if (q('gzip') > 0) return 'gzip';
  return null;
}

export function compressBody(body: Uint8Array, coding: ContentCoding): Promise<Buffer> {
  return coding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      })
    : gz(body, { level: 6 });
}

/** Bodies smaller than this are sent as they are: compressing would add more header than it saves. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

/** Whether a response of this type and cache-control may be compressed (text, not `no-transform`). */
export function compressibleType(headers: Headers): boolean {
  const type = headers.get('content-type');
  if (!type || !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type)) return false;
  return !/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headers.get('cache-control') ?? '');
}

/** `Vary: Accept-Encoding` on the response in place; through Hono (which copies the Response) only if its headers are immutable. */
function appendVary(c: Context): void {
  try {
    c.res.headers.append('vary', 'Accept-Encoding');
  } catch {
    c.header('vary', 'Accept-Encoding', { append: true });
  }
}

export function compressResponses(opts: { threshold?: number } = {}): MiddlewareHandler {
  const threshold = opts.threshold ?? COMPRESS_THRESHOLD_BYTES;
  return async function compressResponse(c, next) {
    await next();
    // Only headers and status until a body is to be compressed: reading `body` turns @hono/node-server's light Response
    // into a web stream, and a kept 0.5 MB answer sent through that stream cost 2.5 ms of CPU instead of one socket write.
    if (c.req.method === 'HEAD' || c.res.status === 206 || c.res.status === 204 || c.res.status === 304) return;
    if (!compressibleType(c.res.headers)) return;
    if (!/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(c.res.headers.get('vary') ?? '')) appendVary(c);
    const res = c.res; // after appendVary, which may have replaced the Response instance
    if (res.headers.has('content-encoding')) return;
    const coding = chooseEncoding(c.req.header('accept-encoding'));
    if (!coding || !res.body) return;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared < threshold) return;
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength < threshold) {
      c.res = new Response(body, res);
      return;
    }
    const packed = await compressBody(body, coding);
    // Assigning c.res carries the old headers over (Hono), so the new ones are set after it. A response kept whole by
    // cacheResponses (cache.ts) arrives already encoded, from its own kept variant, and passed through above.
    c.res = new Response(new Uint8Array(packed), res);
    c.res.headers.set('content-encoding', coding);
    c.res.headers.set('content-length', String(packed.byteLength));
    const etag = c.res.headers.get('etag');
    if (etag && !etag.startsWith('W/')) c.res.headers.set('etag', `W/${etag}`);
  };
}
