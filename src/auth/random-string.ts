import { randomBytes } from 'node:crypto';

/** Django's `django.utils.crypto.RANDOM_STRING_CHARS`: ASCII letters and digits. */
export const RANDOM_STRING_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * A cryptographically secure random string (Django's `get_random_string(length, allowed_chars)`,
 * which draws each character with `secrets.choice`). Bytes come from `crypto.randomBytes`; a byte
 * at or above the largest multiple of the alphabet size is thrown away (rejection sampling), so
 * every character is equally likely — `byte % n` alone would favour the first characters.
 * Used for session keys, CSRF secrets and masks, and password salts.
 * @example getRandomString(32, 'abcdefghijklmnopqrstuvwxyz0123456789') // a session key
 */
export function getRandomString(length: number, allowedChars: string = RANDOM_STRING_CHARS): string {
  const n = allowedChars.length;
  if (n === 0 || n > 256) throw new RangeError('allowedChars must hold between 1 and 256 characters.');
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < length) {
    // Ask for a little more than needed so one draw is almost always enough.
    const bytes = randomBytes(Math.ceil((length - out.length) * 1.3) + 4);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const byte = bytes[i]!;
      if (byte < limit) out += allowedChars[byte % n];
    }
  }
  return out;
}
