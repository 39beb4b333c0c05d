/**
 * Django's django.utils.crypto primitives the signers are built on (`salted_hmac`,
 * `constant_time_compare`), on node:crypto.
 */
import { createHash, createHmac, getHashes, timingSafeEqual } from 'node:crypto';

/** A secret: text (UTF-8 encoded, as Django's force_bytes) or raw bytes. */
export type SigningKey = string | Buffer;

/** Python hashlib names that node:crypto spells differently. */
const HASH_ALIASES: Record<string, string> = { blake2b: 'blake2b512', blake2s: 'blake2s256' };
let supportedHashes: Set<string> | undefined;

/**
 * The node:crypto name of a hash given by its node or Python name; a RangeError (Django's
 * InvalidAlgorithm) for one node:crypto does not offer.
 */
export function nodeHash(algorithm: string): string {
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

/** Django's `constant_time_compare`: different lengths are simply unequal. */
export function constantTimeCompare(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
