import { serialize } from 'cookie';

/** `SameSite` in any case; written capitalised (`Lax`, `Strict`, `None`). */
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
  /** The attributes as sent: `expires` is the HTTP date text, `sameSite` capitalised. */
  readonly options: {
    readonly maxAge?: number;
    readonly expires?: string;
    readonly path?: string;
    readonly domain?: string;
    readonly secure: boolean;
    readonly httpOnly: boolean;
    readonly sameSite?: 'Lax' | 'Strict' | 'None';
  };
  /** The `Set-Cookie` header value. */
  readonly serialized: string;
}

const SAME_SITE: Readonly<Record<string, 'Lax' | 'Strict' | 'None'>> = { lax: 'Lax', strict: 'Strict', none: 'None' };
// What Django's delete_cookie sends: `expires="Thu, 01 Jan 1970 00:00:00 GMT"` and `max_age=0`.
const EPOCH = new Date(0);
const EPOCH_TEXT = EPOCH.toUTCString();
const UNSAFE_EXPIRES = /[;\x00-\x1f\x7f]/;

function normaliseSameSite(sameSite: SameSite | null | false | undefined): 'Lax' | 'Strict' | 'None' | undefined {
  if (!sameSite) return undefined;
  const known = SAME_SITE[String(sameSite).toLowerCase()];
  if (known === undefined) throw new RangeError('samesite must be "lax", "none", or "strict".');
  return known;
}

/**
 * Builds one cookie the way Django's `HttpResponseBase.set_cookie` does, serialised with the
 * `cookie` package. The value is percent-encoded (the package's default `encodeURIComponent`),
 * so `;`, `,`, spaces, quotes and non-ASCII survive; the request side decodes it with the same
 * package's `parse`.
 * @throws TypeError for `maxAge` together with `expires`, or an invalid name, path or domain;
 *   RangeError for an unknown `sameSite`.
 */
export function buildCookie(name: string, value: unknown, options: CookieOptions = {}, now = Date.now()): ResponseCookie {
  let maxAge = options.maxAge ?? undefined;
  const expiresOption = options.expires ?? undefined;
  let expires: Date | string | undefined;
  if (expiresOption !== undefined) {
    if (maxAge !== undefined) throw new TypeError("'expires' and 'maxAge' can't be used together.");
    if (expiresOption instanceof Date) {
      // Django: delta = expires - now, plus one second "so the date matches exactly" once the
      // fraction lost converting to whole seconds is dropped; then max_age sets Expires.
      const time = expiresOption.getTime();
      if (!Number.isFinite(time)) throw new TypeError(`option expires is invalid: ${String(expiresOption)}`);
      maxAge = Math.max(0, Math.floor((time - now) / 1000 + 1));
    } else {
      expires = String(expiresOption);
    }
  }
  if (maxAge !== undefined) {
    if (typeof maxAge !== 'number' || !Number.isFinite(maxAge)) throw new TypeError(`option maxAge is invalid: ${maxAge}`);
    maxAge = Math.trunc(maxAge);
    if (expires === undefined) expires = new Date(Math.floor(now / 1000 + maxAge) * 1000);
  }
  return makeCookie(name, value, maxAge, expires, options.path === undefined ? '/' : options.path, options.domain,
    options.secure === true, options.httpOnly === true, normaliseSameSite(options.sameSite));
}

/**
 * The cookie `deleteCookie` sets (Django's `delete_cookie`): empty value, `Max-Age=0`, expired
 * in 1970; `Secure` when the name has a `__Secure-`/`__Host-` prefix or `sameSite` is None,
 * because browsers ignore such a Set-Cookie without it.
 */
export function buildExpiredCookie(name: string, options: DeleteCookieOptions = {}): ResponseCookie {
  const sameSite = normaliseSameSite(options.sameSite);
  const path = options.path === undefined ? '/' : options.path;
  // The same few deletions (the session cookie of an expired session, say) recur on every
  // request; the cookie is immutable and depends only on these four, so it is built once.
  const memoKey = `${name}\0${path}\0${options.domain ?? ''}\0${sameSite ?? ''}`;
  let cookie = expiredCookies.get(memoKey);
  if (cookie === undefined) {
    const secure = name.startsWith('__Secure-') || name.startsWith('__Host-') || sameSite === 'None';
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
  sameSite: 'Lax' | 'Strict' | 'None' | undefined,
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
    sameSite: sameSite === undefined ? undefined : (sameSite.toLowerCase() as 'lax' | 'strict' | 'none'),
  });
  if (splice) {
    serialized = serialized.replace(`; Expires=${EPOCH_TEXT}`, `; Expires=${expiresText}`);
  }
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
