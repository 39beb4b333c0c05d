import { ifNoneMatchMatches, notModified } from '../core/conditional';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import { EncodingNegotiator, type ContentCoding } from '../http/accept-encoding';
import { SYNC_COMPRESS_LIMIT, ZSTD_AVAILABLE, compressAsync, compressChunks, compressSync } from '../http/compression';
import { ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import type { StreamingHttpResponse } from '../http/streaming-http-response';
import { addVary } from '../http/cache-headers';

/** How a GZipMiddleware (or `@GzipPage`) compresses. */
export interface GZipOptions {
  /**
   * BREACH padding: up to this many random bytes in each gzip (and zstd) body; 0 turns it off
   * (deterministic output). Default 100, Django's `GZipMiddleware.max_random_bytes`.
   */
  maxRandomBytes?: number;
  /** Buffered bodies shorter than this many bytes are sent as they are. Default 200, Django's. */
  minLength?: number;
  /**
   * The codings offered, most preferred first; the client's q-values decide, this order breaks
   * ties. Default `['br', 'zstd', 'gzip']`, zstd only where node:zlib has it (Node 22.15+).
   */
  encodings?: readonly ContentCoding[];
}

const KNOWN_CODINGS: readonly ContentCoding[] = ['br', 'zstd', 'gzip'];
const DEFAULT_CODINGS: readonly ContentCoding[] = ZSTD_AVAILABLE ? KNOWN_CODINGS : ['br', 'gzip'];
const ACCEPT_ENCODING: readonly string[] = ['Accept-Encoding'];
const QUOTE = 0x22;
/** RFC 9111 §5.2.2.6 / §5.2.1.6: `no-transform` forbids changing the content (@fastify/compress honours it too). */
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/**
 * The rules of Django's GZipMiddleware (django/middleware/gzip.py), compiled once from the
 * options and applied to one response at a time; shared by GZipMiddleware and `@GzipPage`.
 * @internal
 */
export class ResponseCompressor {
  readonly maxRandomBytes: number;
  readonly minLength: number;
  private readonly negotiator: EncodingNegotiator;

  constructor(options: GZipOptions = {}) {
    this.maxRandomBytes = options.maxRandomBytes ?? 100;
    this.minLength = options.minLength ?? 200;
    if (!Number.isInteger(this.maxRandomBytes) || this.maxRandomBytes < 0) {
      throw new ImproperlyConfigured(`GZipMiddleware maxRandomBytes must be a whole number of bytes, 0 or more (got ${String(options.maxRandomBytes)}).`);
    }
    if (!Number.isFinite(this.minLength) || this.minLength < 0) {
      throw new ImproperlyConfigured(`GZipMiddleware minLength must be 0 or more bytes (got ${String(options.minLength)}).`);
    }
    const encodings = options.encodings ?? DEFAULT_CODINGS;
    for (const coding of encodings) {
      if (!KNOWN_CODINGS.includes(coding)) {
        throw new ImproperlyConfigured(`GZipMiddleware cannot compress with '${String(coding)}': use 'br', 'zstd' or 'gzip'.`);
      }
      if (coding === 'zstd' && !ZSTD_AVAILABLE) {
        throw new ImproperlyConfigured(`GZipMiddleware: this Node (${process.version}) has no zstd in node:zlib (it came in 22.15 and 23.8).`);
      }
    }
    if (encodings.length === 0) throw new ImproperlyConfigured('GZipMiddleware needs at least one encoding.');
    this.negotiator = new EncodingNegotiator([...encodings]);
  }

  /**
   * Compresses `response` for `request` when Django's rules allow it: not a short buffered body
   * (under `minLength` bytes), not one that has a `Content-Encoding` already; here also not a 206
   * (its Content-Range counts the bytes as they are), a 204 or 304 (no body), or a response
   * marked `Cache-Control: no-transform`. Then `Vary: Accept-Encoding` is added whatever the
   * client accepts (a cache must not give the gzip body to a client that did not ask for it),
   * and the body is compressed in the coding the client prefers: a buffered body whole, kept as
   * it is when compressing does not make it shorter; a streaming one chunk by chunk.
   * `Accept-Ranges` goes, since ranges of the compressed bytes are not served.
   *
   * The ETag of a compressed response names its coding: `"x"` (or `W/"x"`) becomes `W/"x-br"`,
   * see {@link encodedEtag}. Weak, as Django makes it (RFC 9110 §8.8.1: the bytes differ, the
   * meaning does not); suffixed, as Apache's `DeflateAlterETag AddSuffix` (its default), because
   * RFC 9110 §8.8.3 asks a content-encoded representation for a tag distinct from the
   * unencoded one's "to prevent potential conflicts during cache updates and range requests". A
   * browser asks for a Range with `Accept-Encoding: identity` (the Fetch standard), revalidating
   * the compressed copy it keeps with that copy's tag: the plain file's tag must not match it,
   * or the 304 has the browser cut the range out of its compressed bytes (Chromium:
   * net::ERR_CONTENT_DECODING_FAILED). Apache's known cost of the suffix, that the compressed
   * response is then never revalidated (the handler compares against `"x"`), is paid here
   * instead: before compressing a 2xx GET or HEAD, an `If-None-Match` naming the suffixed tag
   * (weak comparison, RFC 9110 §13.1.2) is answered with Django's 304 and nothing is compressed.
   */
  compress(request: HttpRequest, response: HttpResponse): MaybePromise<HttpResponse> {
    let body: string | Buffer | null = null;
    let length = 0;
    if (!response.streaming) {
      body = response.wireBody;
      length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
      // Django: "It's not worth attempting to compress really short responses."
      if (length < this.minLength) return response;
    }
    const headers = response.headers;
    if (headers.has('content-encoding')) return response;
    const status = response.statusCode;
    if (status === 206 || status === 204 || status === 304) return response;
    const cacheControl = headers.get('cache-control');
    if (cacheControl !== undefined && NO_TRANSFORM.test(cacheControl)) return response;

    addVary(response, ACCEPT_ENCODING);
    const coding = this.negotiator.select(request.req.headers['accept-encoding']);
    if (coding === null) return response;

    const etag = headers.get('etag');
    const codedEtag = etag === undefined ? undefined : encodedEtag(etag, coding);
    if (codedEtag !== undefined && notModifiedAs(request, status, codedEtag)) {
      headers.setUnchecked('ETag', codedEtag, 'etag');
      return notModified(response);
    }

    if (body === null) {
      const streaming = response as StreamingHttpResponse;
      streaming.streamingContent = compressChunks(streaming.streamingContent, coding, this.maxRandomBytes);
      // The compressed length is not known until the stream ends (Django deletes it too).
      headers.delete('content-length');
      return markEncoded(response, coding, codedEtag);
    }
    if (length > SYNC_COMPRESS_LIMIT) return this.compressLater(response, body, length, coding, codedEtag);
    return replaceBody(response, compressSync(body, coding, this.maxRandomBytes), length, coding, codedEtag);
  }

  private async compressLater(response: HttpResponse, body: string | Buffer, length: number, coding: ContentCoding, codedEtag: string | undefined): Promise<HttpResponse> {
    return replaceBody(response, await compressAsync(body, coding, this.maxRandomBytes), length, coding, codedEtag);
  }
}

/**
 * The ETag of the `coding` form of a representation tagged `etag`: `"x"` or `W/"x"` becomes
 * `W/"x-br"` (`-gzip`, `-zstd`), as Apache mod_deflate's and mod_brotli's `AddSuffix` add
 * `-gzip` / `-br` inside the quotes; undefined for a value that is not an entity-tag (left as
 * it is, as Django leaves it).
 * @example encodedEtag('"5f3a-1c"', 'br') // 'W/"5f3a-1c-br"'
 */
function encodedEtag(etag: string, coding: ContentCoding): string | undefined {
  const opening = etag.startsWith('W/') ? 2 : 0;
  if (etag.length < opening + 2 || etag.charCodeAt(opening) !== QUOTE || etag.charCodeAt(etag.length - 1) !== QUOTE) return undefined;
  return `W/${etag.slice(opening, -1)}-${coding}"`;
}

/**
 * Whether the request already holds the `codedEtag` representation (RFC 9110 §13.1.2), as the
 * core's check would find were it comparing against that tag: GET or HEAD, a 2xx (Django's
 * `get_conditional_response`).
 */
function notModifiedAs(request: HttpRequest, status: number, codedEtag: string): boolean {
  const ifNoneMatch = request.req.headers['if-none-match'];
  if (ifNoneMatch === undefined) return false;
  const method = request.method;
  if ((method !== 'GET' && method !== 'HEAD') || status < 200 || status > 299) return false;
  return ifNoneMatchMatches(ifNoneMatch, codedEtag);
}

/** A buffered body's compressed form, used only when shorter (Django: "only if it's actually shorter"). */
function replaceBody(response: HttpResponse, compressed: Buffer, length: number, coding: ContentCoding, codedEtag: string | undefined): HttpResponse {
  if (compressed.length >= length) return response;
  response.content = compressed;
  response.headers.setUnchecked('Content-Length', String(compressed.length), 'content-length');
  return markEncoded(response, coding, codedEtag);
}

function markEncoded(response: HttpResponse, coding: ContentCoding, codedEtag: string | undefined): HttpResponse {
  const headers = response.headers;
  if (codedEtag !== undefined) headers.setUnchecked('ETag', codedEtag, 'etag');
  headers.delete('accept-ranges');
  headers.setUnchecked('Content-Encoding', coding, 'content-encoding');
  return response;
}

/**
 * Compresses responses for clients that ask for it (Django's `GZipMiddleware`, which it follows
 * rule for rule; see {@link ResponseCompressor.compress}), in Brotli (quality 4), zstd (where
 * node:zlib has it: Node 22.15+) or gzip (level 6), whichever the request's `Accept-Encoding`
 * weighs highest, Brotli first among equals. Buffered bodies are compressed in one call (past
 * 64 KiB on the thread pool) and sent with their exact Content-Length; streaming bodies chunk by
 * chunk into one stream, flushed after each chunk, at the pace the socket takes them.
 *
 * gzip and zstd bodies carry up to `maxRandomBytes` (100) random bytes of padding against
 * BREACH, as Django 4.2+; Brotli has no place for them (docs/compression.md).
 *
 * Off by default, as in Django: not in `DEFAULT_MIDDLEWARE`, and an app without it pays nothing.
 * Put it first, outside every middleware that reads or changes the body (Django's ordering
 * advice), or compress single routes with `@GzipPage()`.
 * @example
 * createApp({ controllers, middleware: [GZipMiddleware, ...DEFAULT_MIDDLEWARE] });
 * createApp({ controllers, middleware: [new GZipMiddleware({ encodings: ['gzip'] }), ...DEFAULT_MIDDLEWARE] });
 */
export class GZipMiddleware implements MiddlewareClass, InlineMiddleware {
  private readonly compressor: ResponseCompressor;

  // Not @injectable: no dependencies to inject, and an optional options object tsyringe would
  // try to resolve. The container builds it with `new GZipMiddleware()`.
  constructor(options: GZipOptions = {}) {
    this.compressor = new ResponseCompressor(options);
  }

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    const response = next(request);
    return response instanceof Promise ? this.compressLater(request, response) : this.compressor.compress(request, response);
  }

  private async compressLater(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
    return this.compressor.compress(request, await pending);
  }
}
