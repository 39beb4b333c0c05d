/**
 * Issue 19, item 7: a password check that cannot succeed costs what a real one costs, so the
 * response time of a login does not tell which accounts exist or have a usable password (Django's
 * `verify_password`, CVE-2024-39329; ModelBackend's dummy hash for an unknown user, #20760).
 * Timing is compared as a ratio within this test: the fastest of three runs of each.
 */
import { checkPassword, makePassword, PBKDF2_ITERATIONS } from '../../src/auth/password-hashers';

async function fastestOfThree(check: () => Promise<boolean>): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = process.hrtime.bigint();
    expect(await check()).toBe(false);
    best = Math.min(best, Number(process.hrtime.bigint() - start));
  }
  return best;
}

describe('checkPassword takes as long when the check cannot succeed (CVE-2024-39329)', () => {
  let real: string;
  let realCheck: number;

  beforeAll(async () => {
    real = await makePassword('correct horse battery staple');
    expect(real.startsWith(`pbkdf2_sha256$${PBKDF2_ITERATIONS}$`)).toBe(true);
    realCheck = await fastestOfThree(() => checkPassword('wrong password', real));
  });

  test.each([
    ['an empty hash', ''],
    ['an unusable hash (makePassword(null))', '!kJ8f3LqZp0aVbXcYdWe1Rt2Uy3Io4Pa5Sd6Fg7Hj'],
    ['an unknown algorithm', 'unknownalgo$1$salt$aGFzaA=='],
    ['a malformed pbkdf2 hash', 'pbkdf2_sha256$many$salt$aGFzaA=='],
    ['no hash at all: an unknown user (null)', null],
    ['no hash at all: an unknown user (undefined)', undefined],
  ])('%s', async (_name, encoded) => {
    const fake = await fastestOfThree(() => checkPassword('wrong password', encoded));
    expect(fake / realCheck).toBeGreaterThanOrEqual(0.5);
  });

  test('a missing password (null) against a real hash', async () => {
    const fake = await fastestOfThree(() => checkPassword(null, real));
    expect(fake / realCheck).toBeGreaterThanOrEqual(0.5);
  });
});
