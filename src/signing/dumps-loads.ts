/**
 * Django's `signing.dumps` / `signing.loads`: URL-safe, signed, timestamped JSON,
 * `base64url(JSON):timestamp:signature` ('.'-prefixed when zlib-compressed).
 */
import type { SigningKey } from './salted-hmac';
import { TimestampSigner } from './timestamp-signer';

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
