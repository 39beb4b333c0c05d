/**
 * Django's `django.core.signing.TimestampSigner`: a Signer that also signs the time,
 * `value:timestamp:signature`, the timestamp in seconds since the epoch, base 62.
 */
import { BadSignature, SignatureExpired } from '../http/errors';
import { decodeObject, Signer, type SignerOptions } from './signer';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Django's `b62_encode` of an integer (the timestamp's alphabet). Internal to signing, exported for
 * Django's own round-trip test.
 * @example b62Encode(1620378259) // '1lewPD'
 */
export function b62Encode(n: number): string {
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

/**
 * Django's `b62_decode`; NaN for a character outside the alphabet.
 * @example b62Decode('1lewPD') // 1620378259
 */
export function b62Decode(s: string): number {
  const negative = s.startsWith('-');
  let decoded = 0;
  for (let i = negative ? 1 : 0; i < s.length; i++) {
    const digit = BASE62.indexOf(s[i]);
    if (digit === -1) return NaN;
    decoded = decoded * 62 + digit;
  }
  return negative ? -decoded : decoded;
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
