/**
 * Signed cookies, Django's `django.core.signing.get_cookie_signer` and the signing inside
 * `HttpResponse.set_signed_cookie` / `HttpRequest.get_signed_cookie`.
 */
import { BadSignature, ImproperlyConfigured, SignatureExpired } from '../http/errors';
import type { SigningKey } from './salted-hmac';
import { TimestampSigner } from './timestamp-signer';

/** Options of the cookie-signing functions. */
export interface CookieSignerOptions {
  /** Older secret keys still accepted (Django's SECRET_KEY_FALLBACKS). */
  fallbackSecrets?: readonly SigningKey[];
  now?: () => number;
}

const COOKIE_KEY_PREFIX = Buffer.from('django.http.cookies');

/** Django's `_cookie_signer_key`: cookie signatures get their own key, derived from the secret. */
function cookieSignerKey(secret: SigningKey): Buffer {
  return Buffer.concat([COOKIE_KEY_PREFIX, Buffer.from(secret)]);
}

/**
 * Django's `get_cookie_signer`: a TimestampSigner keyed by `'django.http.cookies' + secret`, that
 * also verifies under each of `fallbackSecrets`.
 * @example getCookieSigner(settings.secretKey, 'cart', { fallbackSecrets: settings.secretKeyFallbacks }).sign('42');
 */
export function getCookieSigner(
  secret: SigningKey,
  salt = 'django.core.signing.get_cookie_signer',
  options: CookieSignerOptions = {},
): TimestampSigner {
  if (!secret || secret.length === 0) throw new ImproperlyConfigured('The secretKey setting must not be empty.');
  const fallbacks = options.fallbackSecrets;
  return new TimestampSigner({
    key: cookieSignerKey(secret),
    fallbackKeys: fallbacks !== undefined && fallbacks.length > 0 ? fallbacks.map(cookieSignerKey) : [],
    salt,
    now: options.now,
  });
}

/**
 * Django's `_cookie_signer_salt` since its CVE-2026-6873 security releases (5.2.17 has it): the
 * cookie's name and salt
 * together, the salt's length first, `django.http.cookies.v2:{len(salt)}:{salt}{name}`, so no two
 * (name, salt) pairs give one salt string (before, Django concatenated `name + salt`, and a value
 * set for cookie `a` with salt `bc` verified as cookie `ab` with salt `c`). Python's `len` counts
 * code points.
 */
function cookieSalt(name: string, salt: string): string {
  return `django.http.cookies.v2:${codePointLength(salt)}:${salt}${name}`;
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/**
 * The salt Reinhardt signed cookies under before it took Django's current one: the name alone without a
 * salt, else `name=salt`. A cookie name never holds `=` (RFC 6265 §4.1.1 token; the `Cookie:`
 * parser splits at the first `=`), so this never named two pairs either, and values signed with it
 * still verify (Django's own earlier salt, `name + salt`, was ambiguous, and Django accepts it
 * only under SIGNED_COOKIE_LEGACY_SALT_FALLBACK).
 */
function previousCookieSalt(name: string, salt: string): string {
  return salt === '' ? name : `${name}=${salt}`;
}

/**
 * The value `HttpResponse.setSignedCookie(key, value, { salt })` sends (Django's
 * `set_signed_cookie`): `value:timestamp:signature`, signed for this cookie name and salt only,
 * byte for byte as Django signs it.
 *
 * @example signCookieValue('name', 'Bob', secretKey); // 'Bob:1r31eq:S6E7...'
 */
export function signCookieValue(
  key: string,
  value: string,
  secret: SigningKey,
  salt = '',
  options: CookieSignerOptions = {},
): string {
  return getCookieSigner(secret, cookieSalt(key, salt), options).sign(value);
}

/**
 * The value of a signed cookie as `HttpRequest.getSignedCookie` reads it (Django's
 * `get_signed_cookie`); BadSignature when tampered with or signed for another name or salt,
 * SignatureExpired when older than `maxAge` seconds. A value Reinhardt signed before Django's current
 * salt verifies too (see `previousCookieSalt`); an expired current one does not fall back.
 * @example unsignCookieValue('name', request.COOKIES.name, secretKey, '', 3600); // 'Bob'
 */
export function unsignCookieValue(
  key: string,
  signed: string,
  secret: SigningKey,
  salt = '',
  maxAge?: number | null,
  options: CookieSignerOptions = {},
): string {
  if (key.includes('=')) throw new RangeError(`A cookie name cannot contain "=": ${JSON.stringify(key)}.`);
  try {
    return getCookieSigner(secret, cookieSalt(key, salt), options).unsign(signed, maxAge);
  } catch (error) {
    if (!(error instanceof BadSignature) || error instanceof SignatureExpired) throw error;
    try {
      return getCookieSigner(secret, previousCookieSalt(key, salt), options).unsign(signed, maxAge);
    } catch (previous) {
      // A value that is not an old one either: report the current salt's mismatch.
      if (previous instanceof SignatureExpired) throw previous;
      throw error;
    }
  }
}
