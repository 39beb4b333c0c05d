/**
 * Django's `django.core.signing.Signer` on node:crypto. The output is byte-for-byte Django's: a
 * value signed by a Django project with the same key and salt verifies here, and the other way
 * round (see test/signing/signing.test.ts and test/django/signing.test.ts, whose vectors include
 * Django's own from tests/signing/tests.py).
 *
 *   Signer:           value:signature
 *   signObject:       base64url(JSON):signature, '.'-prefixed when zlib-compressed
 *
 * The signature is base64url (no padding) of HMAC(key = H(salt + "signer" + secret), value).
 *
 * Without a `key`, a signer uses the app's `secretKey` and accepts its `secretKeyFallbacks` too
 * (Django's SECRET_KEY / SECRET_KEY_FALLBACKS defaults), set by `createApp` at start.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { BadSignature, ImproperlyConfigured } from '../http/errors';
import { responseConfig } from '../http/response-config';
import { constantTimeCompare, nodeHash, saltedHmac, type SigningKey } from './salted-hmac';

/**
 * Python's `json.dumps(obj, separators=(',', ':'))`: compact, and ensure_ascii, so every
 * character past `~` is written `\uXXXX` (lower-case hex) as Django writes it.
 */
function toJson(obj: unknown): string {
  const json = JSON.stringify(obj);
  if (json === undefined) throw new TypeError(`Object of type ${typeof obj} is not JSON serializable`);
  return json.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The JSON inside a verified `signObject` payload. */
export function decodeObject(payload: string): unknown {
  const compressed = payload.startsWith('.');
  let data = Buffer.from(compressed ? payload.slice(1) : payload, 'base64url');
  if (compressed) data = inflateSync(data);
  // Django's serializer writes ASCII; reading UTF-8 also takes non-ASCII JSON from other signers.
  return JSON.parse(data.toString('utf8'));
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
