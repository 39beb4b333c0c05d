import { pbkdf2, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promisify } from 'node:util';
import { getRandomString, RANDOM_STRING_CHARS } from './random-string';

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (password: string | Uint8Array, salt: string, length: number, options: ScryptOptions) => Promise<Buffer>;

/**
 * Django 6.0's `PBKDF2PasswordHasher.iterations` (5.2 used 1,000,000; Django raises it with each
 * feature release, django/contrib/auth/hashers.py). Hashes with any other count still verify;
 * `mustUpdate` says they should be re-hashed at the next successful login.
 */
export const PBKDF2_ITERATIONS = 1_200_000;

/**
 * The most PBKDF2 iterations a stored hash may ask for: ten times Django 6.0's count. A hash
 * beyond it is refused before any work, so a tampered or imported value cannot make one login
 * burn minutes of CPU; it leaves room for the counts of future Django releases.
 */
const PBKDF2_MAX_ITERATIONS = 10 * PBKDF2_ITERATIONS;

/**
 * Caps on a stored scrypt hash, against Django 5.1+'s ScryptPasswordHasher defaults (N = 2^14,
 * r = 8, p = 5; ticket #35428): memory 128·N·r at most 128 MiB (8x Django's 16 MiB), work N·r·p
 * at most 8x Django's, r at most 32 and p at most 16. Node's scrypt accepts up to 4 GiB x 16;
 * one login with `scrypt$1048576$...$8$...` would allocate 1 GiB.
 */
const SCRYPT_MAX_MEMORY = 128 * 1024 * 1024;
const SCRYPT_MAX_WORK = 8 * (2 ** 14 * 8 * 5);
const SCRYPT_MAX_R = 32;
const SCRYPT_MAX_P = 16;

/** Django's `UNUSABLE_PASSWORD_PREFIX`: `makePassword(null)` gives `!` and 40 random characters. */
export const UNUSABLE_PASSWORD_PREFIX = '!';
const UNUSABLE_PASSWORD_SUFFIX_LENGTH = 40;

/** Django's `BasePasswordHasher.salt_entropy`: a salt must carry at least 128 bits. */
const SALT_ENTROPY = 128;
const BITS_PER_SALT_CHAR = Math.log2(RANDOM_STRING_CHARS.length);
/** 22 characters of the 62-letter alphabet (ceil(128 / log2(62))), as Django's `salt()`. */
const SALT_LENGTH = Math.ceil(SALT_ENTROPY / BITS_PER_SALT_CHAR);

/** The PBKDF2 hashers Django ships in its default PASSWORD_HASHERS; the first is preferred. */
const DIGESTS: Readonly<Record<string, { digest: string; length: number }>> = {
  pbkdf2_sha256: { digest: 'sha256', length: 32 },
  pbkdf2_sha1: { digest: 'sha1', length: 20 },
};
const PREFERRED = 'pbkdf2_sha256';

interface Decoded {
  algorithm: string;
  iterations: number;
  salt: string;
  hash: string;
}

/** Called by `checkPassword` with the raw password when a correct hash is out of date. */
export type PasswordSetter<P extends string | Uint8Array = string> = (rawPassword: P) => void | Promise<void>;

/** Django's `is_password_usable`: false for the `!...` values `makePassword(null)` makes. */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return encoded == null || !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

/**
 * Hashes a password for storage in Django's format `pbkdf2_sha256$<iterations>$<salt>$<hash>`
 * (base64 of the 32-byte derived key), so a Django database can be read and written by both.
 * Runs `crypto.pbkdf2` on libuv's thread pool: the event loop never blocks. `null` gives an
 * unusable password (Django's `set_unusable_password`).
 * @example const encoded = await makePassword('s3cret'); // 'pbkdf2_sha256$1200000$...'
 */
export async function makePassword(password: string | Uint8Array | null, salt?: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  if (password === null) {
    return UNUSABLE_PASSWORD_PREFIX + getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH);
  }
  if (!isPasswordValue(password)) {
    // Django's make_password: f"Password must be a string or bytes, got {type(password).__qualname__}."
    throw new TypeError(`Password must be a string or bytes, got ${typeName(password)}.`);
  }
  // Django's make_password: `salt or hasher.salt()`, so an empty salt draws a random one.
  const useSalt = salt || getRandomString(SALT_LENGTH);
  // Django's BasePasswordHasher._check_encode_args: `$` separates the fields of the hash.
  if (typeof useSalt !== 'string' || useSalt.includes('$')) throw new Error('salt must be provided and cannot contain $.');
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError('iterations must be a positive integer.');
  return encode(PREFERRED, password, useSalt, iterations);
}

/** A password Django would hash: `str` or `bytes` (a Buffer or Uint8Array, taken as raw bytes). */
function isPasswordValue(value: unknown): value is string | Uint8Array {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** The name Python's `type(x).__qualname__` would give, as near as JavaScript has one. */
function typeName(value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') return value === null ? 'null' : typeof value;
  return (value as object).constructor?.name ?? 'object';
}

/**
 * Whether `password` matches `encoded`, compared in constant time. When the password is right but
 * the hash is out of date (another algorithm, another iteration count, or a salt under 128 bits),
 * `setter(password)` is awaited so the caller can store `await makePassword(password)` — Django's
 * `check_password(setter=...)`.
 *
 * A check that cannot succeed still costs what a real one does, so response times do not tell
 * which accounts exist or have a usable password (Django's `verify_password`, CVE-2024-39329): for
 * a `null`/`undefined` hash (no such user), an unusable (`!...`), malformed or unknown one, or
 * one whose stored cost is beyond the caps, the preferred hasher runs once on a random password
 * at the current work factor, and the answer is `false`. For a user that does not exist, call
 * `checkPassword(password, null)`, as Django's ModelBackend hashes once for an unknown username.
 * @example
 * const user = await users.findByUsername(username); // null when there is none
 * const ok = await checkPassword(password, user?.password ?? null, async (raw) => {
 *   user!.password = await makePassword(raw);
 *   await users.save(user!);
 * });
 * return ok ? user : null;
 */
export async function checkPassword<P extends string | Uint8Array = string>(
  password: P | null | undefined,
  encoded: string | null | undefined,
  setter?: PasswordSetter<P>,
): Promise<boolean> {
  if (!isPasswordValue(password) || typeof encoded !== 'string' || !isPasswordUsable(encoded)) return fakeRuntime();
  const scryptHash = decodeScrypt(encoded);
  if (scryptHash !== null) {
    // Django's ScryptPasswordHasher: verified, then replaced by the preferred PBKDF2 hash.
    const correct = constantTimeEquals(await encodeScrypt(password, scryptHash), encoded);
    if (correct && setter) await setter(password);
    return correct;
  }
  const decoded = decode(encoded);
  if (decoded === null) return fakeRuntime();
  const hasherChanged = decoded.algorithm !== PREFERRED;
  const update = hasherChanged || needsUpdate(decoded);
  const candidate = await encode(decoded.algorithm, password, decoded.salt, decoded.iterations);
  const correct = constantTimeEquals(candidate, encoded);
  // Django's harden_runtime: a wrong password against an older, cheaper hash still costs the
  // current work factor, so timing does not tell which users have old hashes.
  if (!correct && !hasherChanged && decoded.iterations < PBKDF2_ITERATIONS) {
    await encode(decoded.algorithm, password, decoded.salt, PBKDF2_ITERATIONS - decoded.iterations);
  }
  if (correct && update && setter) await setter(password);
  return correct;
}

/**
 * The work of a real check, for a check that cannot succeed: the preferred hasher at the current
 * work factor, on a random password and salt (Django's `make_password(get_random_string(...))` in
 * `verify_password`). Always `false`.
 */
async function fakeRuntime(): Promise<false> {
  await encode(PREFERRED, getRandomString(UNUSABLE_PASSWORD_SUFFIX_LENGTH), getRandomString(SALT_LENGTH), PBKDF2_ITERATIONS);
  return false;
}

/**
 * Whether a stored hash should be replaced by a fresh `makePassword` (Django's
 * `hasher.must_update` plus "the hasher changed"). Unusable or malformed values give false.
 * @example if (mustUpdate(user.password)) { ... }
 */
export function mustUpdate(encoded: string): boolean {
  if (!isPasswordUsable(encoded)) return false;
  if (decodeScrypt(encoded) !== null) return true;
  const decoded = decode(encoded);
  if (decoded === null) return false;
  return decoded.algorithm !== PREFERRED || needsUpdate(decoded);
}

function needsUpdate(decoded: Decoded): boolean {
  return decoded.iterations !== PBKDF2_ITERATIONS || decoded.salt.length * BITS_PER_SALT_CHAR < SALT_ENTROPY;
}

/**
 * Splits `algorithm$iterations$salt$hash` (Django's `decode`); null when it is not one of ours, or
 * asks for more than PBKDF2_MAX_ITERATIONS.
 */
function decode(encoded: string): Decoded | null {
  const parts = encoded.split('$');
  if (parts.length !== 4) return null;
  const [algorithm, iterations, salt, hash] = parts as [string, string, string, string];
  if (!(algorithm in DIGESTS) || !/^[1-9]\d{0,9}$/.test(iterations) || salt === '' || hash === '') return null;
  const count = Number(iterations);
  if (count > PBKDF2_MAX_ITERATIONS) return null;
  return { algorithm, iterations: count, salt, hash };
}

async function encode(algorithm: string, password: string | Uint8Array, salt: string, iterations: number): Promise<string> {
  const { digest, length } = DIGESTS[algorithm]!;
  // Django's pbkdf2() takes str as UTF-8 (force_bytes); so does node:crypto.
  const key = await pbkdf2Async(password, salt, iterations, length, digest);
  return `${algorithm}$${iterations}$${salt}$${key.toString('base64')}`;
}

interface ScryptDecoded {
  n: number;
  salt: string;
  r: number;
  p: number;
}

/**
 * Django's `ScryptPasswordHasher` format, `scrypt$<n>$<salt>$<r>$<p>$<hash>` (64-byte key);
 * null when it is not one, or its cost is beyond the SCRYPT_MAX_* caps (checked here, before
 * anything is allocated).
 */
function decodeScrypt(encoded: string): ScryptDecoded | null {
  if (!encoded.startsWith('scrypt$')) return null;
  const parts = encoded.split('$');
  if (parts.length !== 6) return null;
  const [, n, salt, r, p, hash] = parts as [string, string, string, string, string, string];
  if (!/^[1-9]\d{0,7}$/.test(n) || !/^[1-9]\d?$/.test(r) || !/^[1-9]\d?$/.test(p) || salt === '' || hash === '') return null;
  const decoded = { n: Number(n), salt, r: Number(r), p: Number(p) };
  // scrypt's N must be a power of two above 1.
  if (decoded.n < 2 || (decoded.n & (decoded.n - 1)) !== 0) return null;
  if (decoded.r > SCRYPT_MAX_R || decoded.p > SCRYPT_MAX_P) return null;
  if (128 * decoded.n * decoded.r > SCRYPT_MAX_MEMORY || decoded.n * decoded.r * decoded.p > SCRYPT_MAX_WORK) return null;
  return decoded;
}

async function encodeScrypt(password: string | Uint8Array, { n, salt, r, p }: ScryptDecoded): Promise<string> {
  // Python's hashlib.scrypt(password.encode(), salt=salt.encode(), n, r, p, dklen=64); memory 128·N·r.
  const key = await scryptAsync(password, salt, 64, { N: n, r, p, maxmem: 128 * n * r + 1024 * 1024 });
  return `scrypt$${n}$${salt}$${r}$${p}$${key.toString('base64')}`;
}

/** Django's constant_time_compare: no early exit on the first differing byte. */
function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
