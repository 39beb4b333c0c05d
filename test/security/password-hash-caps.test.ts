/**
 * Issue 19, item 8: the cost written in a stored hash cannot exhaust memory or CPU. A scrypt or
 * PBKDF2 hash asking for far more than Django's defaults is refused before any work: no scrypt or
 * PBKDF2 run at its cost, only the dummy hash at the current work factor that keeps the timing of
 * a refused check like a real one (item 7).
 *
 * node:crypto's scrypt and pbkdf2 are wrapped in spies (calling the real functions), so the test
 * sees the exact parameters each check asked for. In the refusal tests the spies do no real work,
 * so that running them against a hasher without the caps fails on the assertions, not on a 1 GiB
 * allocation.
 */
import type * as Crypto from 'node:crypto';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof Crypto>('node:crypto');
  return { ...actual, scrypt: jest.fn(actual.scrypt), pbkdf2: jest.fn(actual.pbkdf2) };
});

import { pbkdf2, scrypt } from 'node:crypto';
import { checkPassword, mustUpdate, PBKDF2_ITERATIONS } from '../../src/auth/password-hashers';

const scryptSpy = scrypt as unknown as jest.Mock;
const pbkdf2Spy = pbkdf2 as unknown as jest.Mock;
const actual = jest.requireActual<typeof Crypto>('node:crypto');

/** A 64-byte scrypt key in base64, the length of a real hash; its value does not matter here. */
const KEY64 = Buffer.alloc(64, 1).toString('base64');
const KEY32 = Buffer.alloc(32, 1).toString('base64');

/** Spies that answer at once with zero bytes: a refused hash must not reach them anyway. */
function withoutRealWork(): void {
  const instant = (...args: unknown[]) => {
    const callback = args[args.length - 1] as (error: Error | null, key: Buffer) => void;
    const length = args[2] as number;
    setImmediate(() => callback(null, Buffer.alloc(length)));
  };
  scryptSpy.mockImplementation(instant);
  pbkdf2Spy.mockImplementation((password, salt, iterations, length, _digest, callback) => instant(password, salt, length, callback));
}

afterEach(() => {
  scryptSpy.mockReset().mockImplementation(actual.scrypt);
  pbkdf2Spy.mockReset().mockImplementation(actual.pbkdf2);
});

describe('stored scrypt parameters are capped before any work', () => {
  test("Django's defaults (N=2^14, r=8, p=5) and 128 MiB of memory are accepted", async () => {
    // hashlib.scrypt(b'secret', salt=b'seasalt', n=16384, r=8, p=5, dklen=64), as Django 5.1+ stores it.
    const django = `scrypt$16384$seasalt$8$5$${actual.scryptSync('secret', 'seasalt', 64, { N: 16384, r: 8, p: 5 }).toString('base64')}`;
    expect(await checkPassword('secret', django)).toBe(true);
    expect(scryptSpy).toHaveBeenCalledTimes(1);
    expect(scryptSpy.mock.calls[0]![3]).toMatchObject({ N: 16384, r: 8, p: 5 });
    withoutRealWork();
    expect(await checkPassword('secret', `scrypt$131072$seasalt$8$1$${KEY64}`)).toBe(false); // 128·N·r = 128 MiB
    expect(scryptSpy).toHaveBeenCalledTimes(2);
  });

  test.each([
    ['N = 2^20 with r = 8 (1 GiB)', `scrypt$1048576$salt$8$1$${KEY64}`],
    ['N = 2^18 (256 MiB)', `scrypt$262144$salt$8$1$${KEY64}`],
    ['N = 2^17 with r = 16 (256 MiB)', `scrypt$131072$salt$16$1$${KEY64}`],
    ['p = 16 at 128 MiB (16x the work of Django)', `scrypt$131072$salt$8$16$${KEY64}`],
    ['r = 33', `scrypt$1024$salt$33$1$${KEY64}`],
    ['p = 17', `scrypt$1024$salt$8$17$${KEY64}`],
  ])('refused: %s — false, scrypt never called, one dummy PBKDF2 at the current count', async (_name, encoded) => {
    withoutRealWork();
    expect(await checkPassword('secret', encoded)).toBe(false);
    expect(scryptSpy).not.toHaveBeenCalled();
    expect(pbkdf2Spy).toHaveBeenCalledTimes(1);
    expect(pbkdf2Spy.mock.calls[0]![2]).toBe(PBKDF2_ITERATIONS);
    expect(mustUpdate(encoded)).toBe(false);
  });
});

describe('stored PBKDF2 iteration counts are capped before any work', () => {
  test('up to ten times the current count is verified at its own count', async () => {
    withoutRealWork();
    await checkPassword('secret', `pbkdf2_sha256$${10 * PBKDF2_ITERATIONS}$seasalt$${KEY32}`);
    expect(pbkdf2Spy.mock.calls.map((call) => call[2])).toEqual([12_000_000]);
  });

  test.each([
    ['just over ten times the current count', `pbkdf2_sha256$12000001$seasalt$${KEY32}`],
    ['a thousand million (hours of CPU)', `pbkdf2_sha256$1000000000$seasalt$${KEY32}`],
    ['pbkdf2_sha1 at 9,999,999,999', `pbkdf2_sha1$9999999999$seasalt$${Buffer.alloc(20, 1).toString('base64')}`],
  ])('refused: %s — false after one dummy PBKDF2 at the current count', async (_name, encoded) => {
    withoutRealWork();
    expect(await checkPassword('secret', encoded)).toBe(false);
    expect(pbkdf2Spy.mock.calls.map((call) => [call[2], call[4]])).toEqual([[PBKDF2_ITERATIONS, 'sha256']]);
  });
});
