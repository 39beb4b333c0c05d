/**
 * Cryptographic signing, Django's django.core.signing and django.utils.crypto.salted_hmac, on
 * node:crypto. The output is byte-for-byte Django's: a value signed by a Django project with the
 * same key and salt verifies here, and the other way round (see test/core/signing.test.ts, whose
 * vectors include Django's own from tests/signing/tests.py).
 *
 *   Signer:           value:signature
 *   TimestampSigner:  value:timestamp:signature   (timestamp: seconds since the epoch, base 62)
 *   dumps/loads:      base64url(JSON)[:timestamp]:signature, '.'-prefixed when zlib-compressed
 *
 * The signature is base64url (no padding) of HMAC(key = H(salt + "signer" + secret), value).
 *
 * Without a `key`, a signer uses the app's `secretKey` and accepts its `secretKeyFallbacks` too
 * (Django's SECRET_KEY / SECRET_KEY_FALLBACKS defaults), set by `createApp` at start.
 */
import { createHash, createHmac, getHashes, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { BadSignature, ImproperlyConfigured, SignatureExpired } from '../http/errors';
import { responseConfig } from '../http/response-config';

/** A secret: text (UTF-8 encoded, as Django's force_bytes) or raw bytes. */
export type SigningKey = string | Buffer;

/** Python hashlib names that node:crypto spells differently. */
const HASH_ALIASES: Record<string, string> = { blake2b: 'blake2b512', blake2s: 'blake2s256' };
let supportedHashes: Set<string> | undefined;

function nodeHash(algorithm: string): string {
  const name = HASH_ALIASES[algorithm] ?? algorithm.replace(/^sha3_/, 'sha3-');
  supportedHashes ??= new Set(getHashes());
  if (!supportedHashes.has(name)) {
    // Django's InvalidAlgorithm message, naming our hash library.
    throw new RangeError(`'${algorithm}' is not an algorithm accepted by node:crypto.`);
  }
  return name;
}

/**
 * Django's `salted_hmac`: the HMAC of `value` under a key derived as `hash(keySalt + secret)`, so
 * each use of the secret (sessions, cookies, tokens) gets its own key. Returns the digest.
 * Note: Django's own default algorithm is 'sha1' (kept for old callers); every current Django
 * caller passes 'sha256', which is the default here.
 *
 * @example saltedHmac('django.contrib.auth', 'value', secretKey).toString('hex');
 */
export function saltedHmac(keySalt: SigningKey, value: SigningKey, secret: SigningKey, algorithm = 'sha256'): Buffer {
  const hash = nodeHash(algorithm);
  const key = createHash(hash).update(keySalt).update(secret).digest();
  return createHmac(hash, key).update(value).digest();
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Django's `b62_encode` of an integer. */
function b62Encode(n: number): string {
  if (n === 0) return '0';
  const sign = n < 0 ? '-' : '';
  let rest = Math.abs(n);
  let encoded = '';
  while (rest > 0) {
    encoded = BASE62[rest % 62] + encoded;
    rest = Math.floor(rest / 62);
  }
  return sign + encoded;
}

/** Django's `b62_decode`; NaN for a character outside the alphabet. */
function b62Decode(s: string): number {
  const negative = s.startsWith('-');
  let decoded = 0;
  for (let i = negative ? 1 : 0; i < s.length; i++) {
    const digit = BASE62.indexOf(s[i]);
    if (digit === -1) return NaN;
    decoded = decoded * 62 + digit;
  }
  return negative ? -decoded : decoded;
}

/** Django's `constant_time_compare`: different lengths are simply unequal. */
function constantTimeCompare(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Python's `json.dumps(obj, separators=(',', ':'))`: compact, and ensure_ascii, so every
 * character past `~` is written `\uXXXX` (lower-case hex) as Django writes it.
 */
function toJson(obj: unknown): string {
  const json = JSON.stringify(obj);
  if (json === undefined) throw new TypeError(`Object of type ${typeof obj} is not JSON serializable`);
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Options of `new Signer()`. */
export interface SignerOptions {
  /** The secret. Default: the app's `secretKey` setting. Must not be empty. */
  key?: SigningKey;
  /**
   * Older secrets still accepted by `unsign` (Django's `fallback_keys`); new signatures always use
   * `key`. Default: the app's `secretKeyFallbacks` when `key` is not given, else none.
   */
  fallbackKeys?: readonly SigningKey[];
  /** Between value and signature (default ':'); may not be empty or only `A-z0-9-_=`. */
  sep?: string;
  /** Namespace of the signatures (default Django's: 'django.core.signing.Signer'). */
  salt?: string;
  /** A node:crypto hash name (Python's names work too); default 'sha256'. */
  algorithm?: string;
}

/**
 * Signs a string so that it comes back unaltered: `value:signature`.
 *
 * @example
 * const signer = new Signer(); // the app's secretKey; its secretKeyFallbacks verify too
 * new Signer({ key: 'predictable-secret' }).sign('hello');
 * // 'hello:T8oWtiMIRTzcoR3NRO-2PQNf5dTweZy0EL25Kt6lUo0', as Django signs it
 * signer.unsign(signer.sign('My string'));        // 'My string'
 * signer.unsign(signer.sign('My string') + 'x');  // throws BadSignature
 */
export class Signer {
  readonly key: SigningKey;
  readonly fallbackKeys: readonly SigningKey[];
  readonly sep: string;
  readonly salt: string;
  readonly algorithm: string;

  /** Django derives the default salt from the module and class name; these are its strings. */
  protected static defaultSalt = 'django.core.signing.Signer';

  constructor(options: SignerOptions = {}) {
    // Django's `key or settings.SECRET_KEY`; the app's fallbacks only go with the app's key, so an
    // explicit key is never verified against another secret it was not given.
    const key = options.key ?? responseConfig.secretKey;
    if (!key || key.length === 0) {
      throw new ImproperlyConfigured('The secretKey setting must not be empty.');
    }
    this.key = key;
    this.fallbackKeys = options.fallbackKeys ?? (options.key === undefined ? responseConfig.secretKeyFallbacks : []);
    this.sep = options.sep ?? ':';
    // An empty salt falls back to the default, as Django's `salt or ...` does.
    this.salt = options.salt || (this.constructor as typeof Signer).defaultSalt;
    this.algorithm = options.algorithm || 'sha256';
    nodeHash(this.algorithm);
    if (/^[A-z0-9\-_=]*$/.test(this.sep)) {
      throw new RangeError(`Unsafe Signer separator: '${this.sep}' (cannot be empty or consist of only A-z0-9-_=)`);
    }
  }

  /** The base64url HMAC of `value` under `key` (default: this signer's key). */
  signature(value: string, key: SigningKey = this.key): string {
    return saltedHmac(this.salt + 'signer', value, key, this.algorithm).toString('base64url');
  }

  /** `value + sep + signature`. */
  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /** The value, after checking its signature against the key and each fallback key. */
  unsign(signedValue: string): string {
    const at = signedValue.lastIndexOf(this.sep);
    if (at === -1) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signedValue.slice(0, at);
    const sig = signedValue.slice(at + this.sep.length);
    if (constantTimeCompare(sig, this.signature(value))) return value;
    for (const key of this.fallbackKeys) if (constantTimeCompare(sig, this.signature(value, key))) return value;
    throw new BadSignature(`Signature "${sig}" does not match`);
  }

  /**
   * Django's `sign_object`: JSON, base64url, signed. With `compress`, zlib is used when it saves
   * more than a byte, marked by a leading '.' (inside the signature, so no zip bomb gets in).
   */
  signObject(obj: unknown, options: { compress?: boolean } = {}): string {
    let data = Buffer.from(toJson(obj), 'latin1');
    let prefix = '';
    if (options.compress) {
      const compressed = deflateSync(data);
      if (compressed.length < data.length - 1) {
        data = compressed;
        prefix = '.';
      }
    }
    return this.sign(prefix + data.toString('base64url'));
  }

  /** Django's `unsign_object`: the value `signObject` was given, after checking the signature. */
  unsignObject<T = unknown>(signedObj: string): T {
    return decodeObject(this.unsign(signedObj)) as T;
  }
}

/** The JSON inside a verified `signObject` payload. */
function decodeObject(payload: string): unknown {
  const compressed = payload.startsWith('.');
  let data = Buffer.from(compressed ? payload.slice(1) : payload, 'base64url');
  if (compressed) data = inflateSync(data);
  // Django's serializer writes ASCII; reading UTF-8 also takes non-ASCII JSON from other signers.
  return JSON.parse(data.toString('utf8'));
}

/** Options of `new TimestampSigner()`. */
export interface TimestampSignerOptions extends SignerOptions {
  /** The clock, in milliseconds since the epoch (default `Date.now`); for tests. */
  now?: () => number;
}

/**
 * A Signer that also signs the time, so `unsign(value, maxAge)` can refuse old values:
 * `value:timestamp:signature`.
 *
 * @example
 * const signer = new TimestampSigner({ key: settings.secretKey });
 * const token = signer.sign('hello');
 * signer.unsign(token, 60 * 60);   // 'hello', or SignatureExpired after an hour
 */
export class TimestampSigner extends Signer {
  protected static override defaultSalt = 'django.core.signing.TimestampSigner';
  private readonly now: () => number;

  constructor(options: TimestampSignerOptions = {}) {
    super(options);
    this.now = options.now ?? Date.now;
  }

  /** The current time in whole seconds, base 62. */
  timestamp(): string {
    return b62Encode(Math.floor(this.now() / 1000));
  }

  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  /** The value; SignatureExpired when it was signed more than `maxAge` seconds ago. */
  override unsign(signedValue: string, maxAge?: number | null): string {
    const result = super.unsign(signedValue);
    const at = result.lastIndexOf(this.sep);
    const timestamp = at === -1 ? NaN : b62Decode(result.slice(at + this.sep.length));
    if (Number.isNaN(timestamp)) throw new BadSignature('Signed value has no valid timestamp');
    if (maxAge != null) {
      const age = this.now() / 1000 - timestamp;
      if (age > maxAge) throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`);
    }
    return result.slice(0, at);
  }

  override unsignObject<T = unknown>(signedObj: string, maxAge?: number | null): T {
    return decodeObject(this.unsign(signedObj, maxAge)) as T;
  }
}

/** Options of `dumps`. */
export interface DumpsOptions {
  /** Default: the app's `secretKey` setting. */
  key?: SigningKey;
  /** Default Django's 'django.core.signing'; use your own per purpose. */
  salt?: string;
  compress?: boolean;
  algorithm?: string;
  now?: () => number;
}

/** Options of `loads`. */
export interface LoadsOptions {
  /** Default: the app's `secretKey` setting. */
  key?: SigningKey;
  salt?: string;
  /** Refuse values signed more than this many seconds ago (SignatureExpired). */
  maxAge?: number | null;
  /** Older keys still accepted. Default: the app's `secretKeyFallbacks` when `key` is not given. */
  fallbackKeys?: readonly SigningKey[];
  algorithm?: string;
  now?: () => number;
}

/**
 * Django's `signing.dumps`: a URL-safe, signed, timestamped JSON string, signed with the app's
 * `secretKey` unless a `key` is given.
 *
 * @example
 * const token = dumps({ user: 42 }, { salt: 'password-reset' });
 * loads(token, { salt: 'password-reset', maxAge: 3600 }); // { user: 42 }, also after the key rotated
 */
export function dumps(obj: unknown, options: DumpsOptions = {}): string {
  const { key, salt = 'django.core.signing', compress = false, algorithm, now } = options;
  return new TimestampSigner({ key, salt, algorithm, now }).signObject(obj, { compress });
}

/**
 * Django's `signing.loads`: the reverse of `dumps`; BadSignature / SignatureExpired. Without a
 * `key`, values signed with the app's `secretKey` or one of its `secretKeyFallbacks` verify.
 * @example loads<{ user: number }>(token, { salt: 'password-reset', maxAge: 3600 }).user
 */
export function loads<T = unknown>(signed: string, options: LoadsOptions = {}): T {
  const { key, salt = 'django.core.signing', maxAge, fallbackKeys, algorithm, now } = options;
  return new TimestampSigner({ key, salt, fallbackKeys, algorithm, now }).unsignObject<T>(signed, maxAge);
}

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
 * The signer salt of a signed cookie: the name alone without a salt (as Django, so unsalted
 * signed cookies are read and written by Django alike), else `name=salt`. Django concatenates
 * `name + salt`, so a value set for cookie `a` with salt `bc` verifies as cookie `ab` with salt
 * `c`. A cookie name never holds `=` (RFC 6265 §4.1.1 token; the `Cookie:` parser splits at the
 * first `=`), so `name=salt` names exactly one pair, and differs from every unsalted name.
 */
function cookieSalt(name: string, salt: string): string {
  if (name.includes('=')) throw new RangeError(`A cookie name cannot contain "=": ${JSON.stringify(name)}.`);
  return salt === '' ? name : `${name}=${salt}`;
}

/**
 * The value `HttpResponse.setSignedCookie(key, value, { salt })` sends (Django's
 * `set_signed_cookie`): `value:timestamp:signature`, signed for this cookie name and salt only.
 *
 * @example signCookieValue('name', 'Bob', secretKey); // 'Bob:1r31eq:pWcy...'
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
 * SignatureExpired when older than `maxAge` seconds.
 */
export function unsignCookieValue(
  key: string,
  signed: string,
  secret: SigningKey,
  salt = '',
  maxAge?: number | null,
  options: CookieSignerOptions = {},
): string {
  return getCookieSigner(secret, cookieSalt(key, salt), options).unsign(signed, maxAge);
}
