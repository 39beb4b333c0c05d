import { serialize } from 'cookie';

/** `SameSite` in any case; written in the case given, as Django's Morsel keeps it. */
export type SameSite = 'Lax' | 'Strict' | 'None' | 'lax' | 'strict' | 'none' | (string & {});

/** Options of `response.setCookie` (Django's `set_cookie` keyword arguments). */
export interface CookieOptions {
  /** Seconds the cookie lives; also sets `Expires` to now + maxAge (Django, for old browsers). */
  maxAge?: number | null;
  /**
   * A `Date` (converted to `Max-Age` from now, and `Expires` from that, as Django does) or an
   * HTTP date string sent as is. Not together with `maxAge`.
   */
  expires?: Date | string | null;
  /** Default '/'; `null` sends no `Path`. */
  path?: string | null;
  domain?: string | null;
  secure?: boolean | null;
  httpOnly?: boolean | null;
  sameSite?: SameSite | null | false;
}

/** `deleteCookie` options: the `path`/`domain`/`sameSite` the cookie was set with. */
export interface DeleteCookieOptions {
  path?: string | null;
  domain?: string | null;
  sameSite?: SameSite | null | false;
}

/** A cookie set on a response, as `response.cookies` holds it (name -> ResponseCookie). */
export interface ResponseCookie {
  /** The value as given (before percent-encoding for the wire). */
  readonly value: string;
  /** The attributes as sent: `expires` is the HTTP date text, `sameSite` as given. */
  readonly options: {
    readonly maxAge?: number;
    readonly expires?: string;
    readonly path?: string;
    readonly domain?: string;
    readonly secure: boolean;
    readonly httpOnly: boolean;
    readonly sameSite?: string;
  };
  /** The `Set-Cookie` header value. */
  readonly serialized: string;
}

const SAME_SITE = new Set(['lax', 'strict', 'none']);
// What Django's delete_cookie sends: `expires="Thu, 01 Jan 1970 00:00:00 GMT"` and `max_age=0`.
const EPOCH = new Date(0);
const EPOCH_TEXT = EPOCH.toUTCString();
const UNSAFE_EXPIRES = /[;\x00-\x1f\x7f]/;

/**
 * The `SameSite` value to send, in the case it was given (Django's `set_cookie` checks
 * `samesite.lower()` and stores `samesite`; browsers compare it case-insensitively, RFC 6265bis
 * §5.7.1). Checked here, so it is safe to write into the header as is.
 */
function checkSameSite(sameSite: SameSite | null | false | undefined): string | undefined {
  if (!sameSite) return undefined;
  const given = String(sameSite);
  if (!SAME_SITE.has(given.toLowerCase())) throw new RangeError('samesite must be "lax", "none", or "strict".');
  return given;
}

/**
 * Django 6.0's `set_cookie` refuses what browsers would silently drop (RFC 6265bis §4.1.3):
 * a `__Secure-` or `__Host-` cookie without `Secure`, a `__Host-` cookie with a `Domain` or a
 * path other than `/`. Django's messages, word for word.
 * @throws TypeError (Django's ValueError)
 */
function checkPrefix(name: string, secure: boolean, path: string | null, domain: string | null | undefined): void {
  const host = name.startsWith('__Host-');
  if (!host && !name.startsWith('__Secure-')) return;
  if (!secure) throw new TypeError(`Cookies with names starting with "__${host ? 'Host' : 'Secure'}-" must set secure=True.`);
  if (!host) return;
  if (path !== '/') throw new TypeError('Cookies with names starting with "__Host-" must set path="/".');
  if (domain != null) throw new TypeError('Cookies with names starting with "__Host-" must not set domain.');
}

/**
 * Builds one cookie the way Django's `HttpResponseBase.set_cookie` does, serialised with the
 * `cookie` package. The value is percent-encoded (the package's default `encodeURIComponent`),
 * so `;`, `,`, spaces, quotes and non-ASCII survive; the request side decodes it with the same
 * package's `parse`.
 * @throws TypeError for `maxAge` together with `expires`, an invalid name, path or domain, or a
 *   `__Secure-`/`__Host-` name without the attributes its prefix needs; RangeError for an unknown
 *   `sameSite`.
 */
export function buildCookie(name: string, value: unknown, options: CookieOptions = {}, now = Date.now()): ResponseCookie {
  let maxAge = options.maxAge ?? undefined;
  const expiresOption = options.expires ?? undefined;
  let expires: Date | string | undefined;
  if (expiresOption !== undefined) {
    if (maxAge !== undefined) throw new TypeError("'expires' and 'maxAge' can't be used together.");
    if (expiresOption instanceof Date) {
      // Django: delta = expires - now, plus one second "so the date matches exactly", then the
      // whole seconds of that: the delta rounded up, since Python's microsecond clock never
      // lands on a whole second. A millisecond clock often does (a Date made 10 s ahead in the
      // same millisecond): rounding up keeps Max-Age=10 there, where Django's +1 would give 11.
      // Then max_age sets Expires.
      const time = expiresOption.getTime();
      if (!Number.isFinite(time)) throw new TypeError(`option expires is invalid: ${String(expiresOption)}`);
      maxAge = Math.max(0, Math.ceil((time - now) / 1000));
    } else {
      expires = String(expiresOption);
    }
  }
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isFinite(maxAge)) throw new TypeError(`option maxAge is invalid: ${maxAge}`);
    maxAge = Math.trunc(maxAge);
    if (expires === undefined) expires = new Date(Math.floor(now / 1000 + maxAge) * 1000);
  }
  const path = options.path === undefined ? '/' : options.path;
  const secure = options.secure === true;
  if (name.charCodeAt(0) === 0x5f /* _ */) checkPrefix(name, secure, path, options.domain);
  return makeCookie(name, value, maxAge, expires, path, options.domain, secure, options.httpOnly === true, checkSameSite(options.sameSite));
}

/**
 * The cookie `deleteCookie` sets (Django's `delete_cookie`): empty value, `Max-Age=0`, expired
 * in 1970; `Secure` when the name has a `__Secure-`/`__Host-` prefix or `sameSite` is None,
 * because browsers ignore such a Set-Cookie without it.
 */
export function buildExpiredCookie(name: string, options: DeleteCookieOptions = {}): ResponseCookie {
  const sameSite = checkSameSite(options.sameSite);
  const path = options.path === undefined ? '/' : options.path;
  // The same few deletions (the session cookie of an expired session, say) recur on every
  // request; the cookie is immutable and depends only on these four, so it is built once.
  const memoKey = `${name}\0${path}\0${options.domain ?? ''}\0${sameSite ?? ''}`;
  let cookie = expiredCookies.get(memoKey);
  if (cookie === undefined) {
    const secure = name.startsWith('__Secure-') || name.startsWith('__Host-') || sameSite?.toLowerCase() === 'none';
    // Django's delete_cookie goes through set_cookie: a `__Host-` cookie's path and domain rules hold.
    checkPrefix(name, secure, path, options.domain);
    cookie = makeCookie(name, '', 0, EPOCH, path, options.domain, secure, false, sameSite);
    Object.freeze(cookie.options);
    Object.freeze(cookie);
    if (expiredCookies.size < EXPIRED_COOKIES_MAX) expiredCookies.set(memoKey, cookie);
  }
  return cookie;
}

const expiredCookies = new Map<string, ResponseCookie>();
const EXPIRED_COOKIES_MAX = 256;

function makeCookie(
  name: string,
  rawValue: unknown,
  maxAge: number | undefined,
  expires: Date | string | undefined,
  path: string | null,
  domain: string | null | undefined,
  secure: boolean,
  httpOnly: boolean,
  sameSite: string | undefined,
): ResponseCookie {
  const value = rawValue == null ? '' : String(rawValue);
  // The cookie package takes only a Date for Expires. A string that is not a Date's own
  // rendering is sent as is (Django's Morsel does), spliced in where the package puts Expires.
  let expiresDate: Date | undefined;
  let expiresText: string | undefined;
  let splice = false;
  if (expires instanceof Date) {
    expiresDate = expires;
    expiresText = expires.toUTCString();
  } else if (expires !== undefined) {
    if (UNSAFE_EXPIRES.test(expires)) throw new TypeError(`option expires is invalid: ${expires}`);
    const parsed = new Date(expires);
    splice = !(Number.isFinite(parsed.getTime()) && parsed.toUTCString() === expires);
    expiresDate = splice ? EPOCH : parsed;
    expiresText = expires;
  }
  let serialized = serialize(name, value, {
    maxAge,
    expires: expiresDate,
    path: path ?? undefined,
    domain: domain ?? undefined,
    secure,
    httpOnly,
  });
  if (splice) {
    serialized = serialized.replace(`; Expires=${EPOCH_TEXT}`, `; Expires=${expiresText}`);
  }
  // The cookie package would capitalise it; SameSite is the last attribute it writes anyway.
  if (sameSite !== undefined) serialized += `; SameSite=${sameSite}`;
  return {
    value,
    options: {
      maxAge,
      expires: expiresText,
      path: path ?? undefined,
      domain: domain ?? undefined,
      secure,
      httpOnly,
      sameSite,
    },
    serialized,
  };
}
