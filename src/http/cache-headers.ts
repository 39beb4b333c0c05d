/**
 * HTTP caching headers as pure functions of a response (Django's django/utils/cache.py):
 * `Cache-Control` (RFC 9111 §5.2), `Vary` (RFC 9110 §12.5.5), `Expires` and the body-hash ETag
 * of ConditionalGetMiddleware. The decorators in decorators/cache.ts apply them to a route's
 * responses; they are as useful in a handler or a middleware.
 */
import { createHash } from 'node:crypto';
import type { HttpResponse } from './http-response';

/**
 * The `Cache-Control` directives `patchCacheControl` and `@CacheControl` take, Django's keyword
 * arguments camelCased. `true` adds a directive, `false` or leaving it out adds nothing; seconds
 * are non-negative integers (RFC 9111 §1.2.2 delta-seconds).
 */
export interface CacheControlOptions {
  /** `max-age=N`: fresh for N seconds. With a max-age already there, the smaller one wins. */
  maxAge?: number;
  /** `s-maxage=N`: the max-age of shared caches (proxies, CDNs). */
  sMaxage?: number;
  /** `public`: any cache may store it. Replaces a `private` already there. */
  public?: boolean;
  /** `private`: only the user's own cache may store it. Replaces a `public` already there. */
  private?: boolean;
  /**
   * `no-cache`: revalidate before every use. A header name (or several) limits it to those
   * fields, one `no-cache=Name` each, as Django writes them; `true` wins over any names.
   */
  noCache?: boolean | string | readonly string[];
  /** `no-store`: no cache may keep any of it. */
  noStore?: boolean;
  /** `no-transform`: intermediaries must not change the body (recompress, resize). */
  noTransform?: boolean;
  /** `must-revalidate`: once stale, never served without revalidating. */
  mustRevalidate?: boolean;
  /** `proxy-revalidate`: `must-revalidate` for shared caches only. */
  proxyRevalidate?: boolean;
  /** `must-understand`: store only if the cache understands the status code (RFC 9111 §5.2.2.3). */
  mustUnderstand?: boolean;
  /** `immutable`: will not change while fresh, so no revalidation on reload (RFC 8246). */
  immutable?: boolean;
  /** `stale-while-revalidate=N`: may be served stale for N seconds while revalidating (RFC 5861). */
  staleWhileRevalidate?: number;
  /** `stale-if-error=N`: may be served stale for N seconds when the origin fails (RFC 5861). */
  staleIfError?: number;
}

type DirectiveKind = 'flag' | 'seconds' | 'fields';

/** Each option's directive name and the values it takes. */
const DIRECTIVES: Readonly<Record<keyof CacheControlOptions, readonly [name: string, kind: DirectiveKind]>> = {
  maxAge: ['max-age', 'seconds'],
  sMaxage: ['s-maxage', 'seconds'],
  public: ['public', 'flag'],
  private: ['private', 'flag'],
  noCache: ['no-cache', 'fields'],
  noStore: ['no-store', 'flag'],
  noTransform: ['no-transform', 'flag'],
  mustRevalidate: ['must-revalidate', 'flag'],
  proxyRevalidate: ['proxy-revalidate', 'flag'],
  mustUnderstand: ['must-understand', 'flag'],
  immutable: ['immutable', 'flag'],
  staleWhileRevalidate: ['stale-while-revalidate', 'seconds'],
  staleIfError: ['stale-if-error', 'seconds'],
};

// RFC 9110 §5.6.2 token: a field name (for `no-cache=Name` and `Vary`) is one.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Django's cc_delim_re: the list separator of Cache-Control and Vary, with its spaces.
const LIST_DELIMITER = /\s*,\s*/;
const DELTA_SECONDS = /^\d+$/;

/** A directive's value: `true` for a bare directive, else the text after `=`. */
type DirectiveValue = true | string;

/**
 * Options checked and turned into directives once (a decorator does this at start-up).
 * @internal
 */
export interface CompiledCacheControl {
  /** `[name, value]` in the order given; `no-cache` may appear several times. */
  readonly directives: readonly (readonly [string, DirectiveValue])[];
  /** The new max-age, for Django's "the smaller one wins"; null when not given. */
  readonly maxAge: number | null;
  readonly setsPublic: boolean;
  readonly setsPrivate: boolean;
  /** The header for a response that has none: the common case, with no parsing. */
  readonly whole: string;
}

/**
 * Checks `options` and compiles them. Refuses, naming the option: an unknown name (a typo such
 * as `max_age` would otherwise vanish), a value of the wrong type, seconds that are not a
 * non-negative integer, a `noCache` field name that is not a token (a comma or quote in it
 * would smuggle in another directive), and `public` with `private` (they contradict).
 * @throws TypeError
 * @internal
 */
export function compileCacheControl(options: CacheControlOptions): CompiledCacheControl {
  if (options === null || typeof options !== 'object') throw new TypeError('Cache-Control options must be an object such as { maxAge: 60 }.');
  const directives: [string, DirectiveValue][] = [];
  let maxAge: number | null = null;
  for (const key of Object.keys(options)) {
    const spec = Object.hasOwn(DIRECTIVES, key) ? DIRECTIVES[key as keyof CacheControlOptions] : undefined;
    if (spec === undefined) {
      throw new TypeError(`Unknown Cache-Control option '${key}'; the options are ${Object.keys(DIRECTIVES).join(', ')}.`);
    }
    const [name, kind] = spec;
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined || value === false) continue;
    if (kind === 'seconds') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new TypeError(`Cache-Control option ${key} must be a non-negative whole number of seconds (got ${String(value)}).`);
      }
      directives.push([name, String(value)]);
      if (key === 'maxAge') maxAge = value;
    } else if (value === true) {
      directives.push([name, true]);
    } else if (kind === 'fields' && (typeof value === 'string' || Array.isArray(value))) {
      const fields: unknown[] = typeof value === 'string' ? [value] : value;
      if (fields.length === 0) throw new TypeError(`Cache-Control option ${key} needs at least one header name (or true).`);
      for (const field of fields) {
        if (typeof field !== 'string' || !TOKEN.test(field)) {
          throw new TypeError(`Cache-Control option ${key} takes header names; ${JSON.stringify(field)} is not one.`);
        }
        directives.push([name, field]);
      }
    } else {
      throw new TypeError(`Cache-Control option ${key} must be ${kind === 'fields' ? 'true, a header name or a list of them' : 'true or false'} (got ${String(value)}).`);
    }
  }
  const setsPublic = options.public === true;
  const setsPrivate = options.private === true;
  if (setsPublic && setsPrivate) throw new TypeError('Cache-Control options public and private exclude each other: choose one.');
  return { directives, maxAge, setsPublic, setsPrivate, whole: serialize(merge(new Map(), directives)) };
}

/** The parsed header: directive (lower-case) → value; `no-cache` keeps every field name it had. */
type ParsedCacheControl = Map<string, DirectiveValue | Set<DirectiveValue>>;

/** Django's `dictitem` over the parts of a Cache-Control value. */
function parseCacheControl(header: string): ParsedCacheControl {
  const parsed: ParsedCacheControl = new Map();
  for (const part of header.trim().split(LIST_DELIMITER)) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).toLowerCase();
    const value: DirectiveValue = equals === -1 ? true : part.slice(equals + 1);
    addDirective(parsed, name, value);
  }
  return parsed;
}

function addDirective(parsed: ParsedCacheControl, name: string, value: DirectiveValue): void {
  if (name === 'no-cache') {
    // RFC 9111 §5.2.2.4: no-cache may name fields; Django keeps each one.
    const fields = parsed.get(name);
    if (fields instanceof Set) fields.add(value);
    else parsed.set(name, new Set([value]));
  } else {
    parsed.set(name, value);
  }
}

function merge(parsed: ParsedCacheControl, directives: readonly (readonly [string, DirectiveValue])[]): ParsedCacheControl {
  for (const [name, value] of directives) addDirective(parsed, name, value);
  return parsed;
}

function serialize(parsed: ParsedCacheControl): string {
  const parts: string[] = [];
  for (const [name, value] of parsed) {
    if (value instanceof Set) {
      // A bare no-cache covers every field: it wins over the field names (Django).
      if (value.has(true)) parts.push(name);
      else for (const field of value) parts.push(`${name}=${field as string}`);
    } else {
      parts.push(value === true ? name : `${name}=${value}`);
    }
  }
  return parts.join(', ');
}

/**
 * Applies compiled directives (see {@link patchCacheControl}).
 * @internal
 */
export function applyCacheControl(response: HttpResponse, compiled: CompiledCacheControl): void {
  const current = response.headers.get('cache-control');
  if (current === undefined || current === '') {
    // Names and values were checked when compiled: a plain ASCII value, set as it is.
    if (compiled.whole !== '') response.headers.setUnchecked('Cache-Control', compiled.whole, 'cache-control');
    return;
  }
  const parsed = parseCacheControl(current);
  let directives = compiled.directives;
  const existingMaxAge = parsed.get('max-age');
  // Django: "If there's already a max-age header but we're being asked to set a new max-age,
  // use the minimum of the two ages" (a decorator and a middleware on one view). An existing
  // max-age that is not a number is replaced.
  if (compiled.maxAge !== null && typeof existingMaxAge === 'string' && DELTA_SECONDS.test(existingMaxAge)) {
    const smaller = String(Math.min(Number(existingMaxAge), compiled.maxAge));
    directives = directives.map((directive) => (directive[0] === 'max-age' ? (['max-age', smaller] as const) : directive));
  }
  // Public overrides private and vice versa: both would contradict (RFC 9111 §5.2.2.7, §5.2.2.9).
  if (compiled.setsPublic) parsed.delete('private');
  else if (compiled.setsPrivate) parsed.delete('public');
  response.headers.set('Cache-Control', serialize(merge(parsed, directives)));
}

/**
 * Adds directives to the response's `Cache-Control` (Django's `patch_cache_control`), keeping
 * the ones it has: a directive given replaces the same one, except that of two `max-age` the
 * smaller wins, `public` replaces `private` and vice versa, and `no-cache` field names
 * accumulate (a bare `no-cache` replaces them all).
 * @throws TypeError for options it refuses (see the option types): never a malformed header.
 * @example
 * const response = new HttpResponse('<p>Prices</p>', { headers: { 'Cache-Control': 'max-age=600, private' } });
 * patchCacheControl(response, { maxAge: 60, public: true, staleWhileRevalidate: 30 });
 * response.headers.get('Cache-Control'); // 'max-age=60, public, stale-while-revalidate=30'
 */
export function patchCacheControl(response: HttpResponse, options: CacheControlOptions): void {
  applyCacheControl(response, compileCacheControl(options));
}

/**
 * The response's `Cache-Control` max-age in seconds (Django's `get_max_age`); null without a
 * header, without a max-age, or when it is not a whole number.
 * @example
 * getMaxAge(new HttpResponse('', { headers: { 'Cache-Control': 'public, max-age=3600' } })); // 3600
 */
export function getMaxAge(response: HttpResponse): number | null {
  const header = response.headers.get('cache-control');
  if (header === undefined) return null;
  const value = parseCacheControl(header).get('max-age');
  return typeof value === 'string' && DELTA_SECONDS.test(value) ? Number(value) : null;
}

/**
 * Makes the response cacheable for `cacheTimeout` seconds (Django's `patch_response_headers`):
 * `Expires` that far from now unless it has one, and `max-age` (the smaller of it and one
 * already there). A negative timeout is 0, as a max-age cannot be negative.
 * @throws TypeError when `cacheTimeout` is not a whole number.
 * @example
 * patchResponseHeaders(response, 300); // Expires: <now + 5 min>, Cache-Control: max-age=300
 */
export function patchResponseHeaders(response: HttpResponse, cacheTimeout: number): void {
  if (typeof cacheTimeout !== 'number' || !Number.isSafeInteger(cacheTimeout)) {
    throw new TypeError(`The cache timeout must be a whole number of seconds (got ${String(cacheTimeout)}).`);
  }
  const seconds = Math.max(0, cacheTimeout);
  if (!response.headers.has('expires')) {
    response.headers.setUnchecked('Expires', new Date(Date.now() + seconds * 1000).toUTCString(), 'expires');
  }
  applyCacheControl(response, seconds === 0 ? MAX_AGE_ZERO : compileCacheControl({ maxAge: seconds }));
}

const MAX_AGE_ZERO = compileCacheControl({ maxAge: 0 });
// Django 3.0 added `private`: a shared cache must not keep a page the user was told not to cache.
const NEVER_CACHE = compileCacheControl({ noCache: true, noStore: true, mustRevalidate: true, private: true });
const NEVER_CACHE_WHOLE = `max-age=0, ${NEVER_CACHE.whole}`;

/**
 * Tells every cache never to keep the response (Django's `add_never_cache_headers`): `Expires`
 * now unless it has one, and `Cache-Control: max-age=0, no-cache, no-store, must-revalidate,
 * private` merged into what it has.
 * @example
 * addNeverCacheHeaders(response);
 * response.headers.get('Cache-Control'); // 'max-age=0, no-cache, no-store, must-revalidate, private'
 */
export function addNeverCacheHeaders(response: HttpResponse): void {
  const headers = response.headers;
  if (!headers.has('cache-control')) {
    // What the two steps below give a response without Cache-Control, without parsing it back.
    if (!headers.has('expires')) headers.setUnchecked('Expires', new Date(Date.now()).toUTCString(), 'expires');
    headers.setUnchecked('Cache-Control', NEVER_CACHE_WHOLE, 'cache-control');
    return;
  }
  patchResponseHeaders(response, 0);
  applyCacheControl(response, NEVER_CACHE);
}

/**
 * Checks header names for `Vary`: tokens (RFC 9110 §5.1), or `*`.
 * @throws TypeError naming the first that is not.
 * @internal
 */
export function checkVaryNames(names: readonly string[]): void {
  for (const name of names) {
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new TypeError(`Vary takes header names; ${JSON.stringify(name)} is not one.`);
    }
  }
}

/** The names without repeats (compared without case), in order, joined for the header. */
function joinUnique(names: readonly string[]): string {
  const seen = new Set<string>();
  return names.filter((name) => !seen.has(name.toLowerCase()) && seen.add(name.toLowerCase())).join(', ');
}

function varyList(response: HttpResponse): string[] {
  const header = response.headers.get('vary');
  if (header === undefined) return [];
  return header.trim().split(LIST_DELIMITER).filter((name) => name !== '');
}

/**
 * Adds header names to the response's `Vary` (Django's `patch_vary_headers`): names compare
 * case-insensitively, the order is kept (caches may hash it), and a `*` on either side makes
 * it `Vary: *` (RFC 9110 §12.5.5: the response varies on more than headers).
 * @throws TypeError for a name that is not an HTTP token (a comma in it would add others).
 * @example
 * patchVaryHeaders(response, ['Accept-Language', 'Cookie']); // Vary: Accept-Language, Cookie
 */
export function patchVaryHeaders(response: HttpResponse, newHeaders: readonly string[]): void {
  checkVaryNames(newHeaders);
  addVary(response, newHeaders);
}

/**
 * {@link patchVaryHeaders} for names checked already (by a decorator, at start).
 * @internal
 */
export function addVary(response: HttpResponse, newHeaders: readonly string[]): void {
  const current = response.headers.get('vary');
  if (current === undefined) {
    // Checked tokens joined: a plain ASCII value, set as it is. One name (the session's `Cookie`,
    // CORS's `Origin` on most responses) needs no joining.
    response.headers.setUnchecked('Vary', newHeaders.length === 1 ? newHeaders[0] : newHeaders.includes('*') ? '*' : joinUnique(newHeaders), 'vary');
    return;
  }
  const names = varyList(response);
  const present = new Set(names.map((name) => name.toLowerCase()));
  for (const name of newHeaders) {
    const key = name.toLowerCase();
    if (!present.has(key)) {
      present.add(key);
      names.push(name);
    }
  }
  response.headers.set('Vary', present.has('*') ? '*' : names.join(', '));
}

/**
 * Whether the response's `Vary` names `header`, in any case (Django's `has_vary_header`).
 * @example
 * hasVaryHeader(response, 'cookie'); // true after patchVaryHeaders(response, ['Cookie'])
 */
export function hasVaryHeader(response: HttpResponse, header: string): boolean {
  const key = header.toLowerCase();
  return varyList(response).some((name) => name.toLowerCase() === key);
}

/**
 * Sets `ETag: W/"<md5 of the body>"` on a response with a body in memory (Django's
 * `set_response_etag`); a streamed or empty body gets none. Weak (RFC 9110 §8.8.1), where
 * Django's is strong: the hash is of the body before any compression middleware encodes it,
 * so it does not identify the bytes sent, and Django's GZipMiddleware weakens it anyway. A
 * weak tag serves `If-None-Match` (weak comparison); `If-Match` and `If-Range` need strong ones.
 * @example
 * setResponseEtag(new HttpResponse('hello')).headers.get('ETag'); // 'W/"5d41402abc4b2a76b9719d911017c592"'
 */
export function setResponseEtag<R extends HttpResponse>(response: R): R {
  if (response.streaming) return response;
  const body = response.content;
  if (body.length === 0) return response;
  // MD5 as Django: an identifier of the body, not a security measure.
  response.headers.setUnchecked('ETag', `W/"${createHash('md5').update(body).digest('hex')}"`, 'etag');
  return response;
}
