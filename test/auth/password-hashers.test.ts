import { checkPassword, isPasswordUsable, makePassword, mustUpdate, PBKDF2_ITERATIONS } from '../../src/auth/password-hashers';

// Hashes made by Django itself, from Django's tests/auth_tests/test_hashers.py::test_pbkdf2
// (make_password('lètmein', 'seasalt', 'pbkdf2_sha256')) in the versions named.
const DJANGO_6_0 = 'pbkdf2_sha256$1200000$seasalt$6sTlFi4QohxXLuZigqDIUNX8xG9NxrTmV8+flFQdBqE=';
const DJANGO_5_2 = 'pbkdf2_sha256$1000000$seasalt$r1uLUxoxpP2Ued/qxvmje7UH9PUJBkRrvf9gGPL7Cps=';
const DJANGO_1_5 = 'pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY=';
// Django's ScryptPasswordHasher, tests/auth_tests/test_hashers.py::test_scrypt
// (make_password('lètmein', 'seasalt', 'scrypt'); hashlib.scrypt gives the same bytes).
const DJANGO_SCRYPT = 'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==';
// Django's PBKDF2SHA1PasswordHasher, from passlib's django_pbkdf2_sha1 known hashes.
const DJANGO_SHA1 = 'pbkdf2_sha1$10000$wz5B6WkasRoF$atJmJ1o+XfJxKq1+Nu1f1i57Z5I=';

describe('password hashers (Django pbkdf2_sha256)', () => {
  test("uses Django 6.0's iteration count", () => {
    expect(PBKDF2_ITERATIONS).toBe(1_200_000);
  });

  test('a hash produced by Django 6.0 verifies; a wrong password does not', async () => {
    expect(await checkPassword('lètmein', DJANGO_6_0)).toBe(true);
    expect(await checkPassword('lètmeinz', DJANGO_6_0)).toBe(false);
  });

  test("makePassword with Django's salt gives Django's exact string", async () => {
    expect(await makePassword('lètmein', 'seasalt')).toBe(DJANGO_6_0);
  });

  test('hashes from older Django versions verify unchanged', async () => {
    expect(await checkPassword('lètmein', DJANGO_5_2)).toBe(true);
    expect(await checkPassword('lètmein', DJANGO_1_5)).toBe(true);
    expect(await checkPassword('not a password', DJANGO_SHA1)).toBe(true);
  });

  test('a new hash: pbkdf2_sha256$1200000$<22-char salt>$<base64 of 32 bytes>, random salt each time', async () => {
    const a = await makePassword('s3cret');
    const b = await makePassword('s3cret');
    expect(a).toMatch(/^pbkdf2_sha256\$1200000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await checkPassword('s3cret', a)).toBe(true);
    expect(mustUpdate(a)).toBe(false);
  });

  test('checkPassword calls the setter when a correct hash is out of date, and only then', async () => {
    const setter = jest.fn();
    expect(await checkPassword('lètmein', DJANGO_5_2, setter)).toBe(true);
    expect(setter).toHaveBeenCalledWith('lètmein');
    setter.mockClear();
    expect(await checkPassword('wrong', DJANGO_1_5, setter)).toBe(false);
    expect(await checkPassword('not a password', DJANGO_SHA1, setter)).toBe(true);
    expect(setter).toHaveBeenCalledTimes(1); // the sha1 one: another hasher
    setter.mockClear();
    expect(await checkPassword('lètmein', DJANGO_6_0, setter)).toBe(true);
    // Current count but a 7-character salt: under 128 bits, so it still needs upgrading.
    expect(setter).toHaveBeenCalledWith('lètmein');
  });

  test('mustUpdate: other iteration counts, other hashers, short salts', () => {
    expect(mustUpdate(DJANGO_5_2)).toBe(true);
    expect(mustUpdate(DJANGO_SHA1)).toBe(true);
    expect(mustUpdate(DJANGO_6_0)).toBe(true); // 'seasalt' is too short
    expect(mustUpdate('garbage')).toBe(false);
  });

  test("a hash from Django's ScryptPasswordHasher verifies, and is replaced by the preferred hasher", async () => {
    const setter = jest.fn();
    expect(await checkPassword('lètmein', DJANGO_SCRYPT, setter)).toBe(true);
    expect(setter).toHaveBeenCalledWith('lètmein');
    expect(await checkPassword('letmein', DJANGO_SCRYPT)).toBe(false);
    expect(mustUpdate(DJANGO_SCRYPT)).toBe(true);
    // Other parameters, as hashlib.scrypt(b'p\xc3\xa4ssw\xc3\xb6rd', salt=b'abc', n=1024, r=4, p=2, dklen=64).
    const tuned = 'scrypt$1024$abc$4$2$FRHqSeyNrauLzqY61pQP/6DlvgWWcsriT/4igqety7Q6Rg/ApjPYZsKZDLZLPhCvAh2iH4SU8dwADmLM77o8tw==';
    expect(await checkPassword('pässwörd', tuned)).toBe(true);
    // Malformed or beyond Django's costs: false, never an error or a huge allocation.
    for (const bad of ['scrypt$16384$seasalt$8$1', 'scrypt$1000$seasalt$8$1$x', 'scrypt$2097152$s$8$1$x', 'scrypt$16384$s$64$1$x', 'scrypt$16384$$8$1$x']) {
      expect(await checkPassword('lètmein', bad)).toBe(false);
      expect(mustUpdate(bad)).toBe(false);
    }
  });

  test('malformed, unknown and unusable hashes give false, never an error', async () => {
    for (const encoded of ['', 'garbage', 'pbkdf2_sha256$abc$salt$hash', 'pbkdf2_sha256$1000$$hash', 'md5$salt$hash',
      'bcrypt$$2b$12$abc', 'pbkdf2_sha256$1000$salt', '!unusable']) {
      expect(await checkPassword('x', encoded)).toBe(false);
    }
    expect(await checkPassword(null, DJANGO_6_0)).toBe(false);
    expect(await checkPassword('x', null)).toBe(false);
  });

  test('makePassword(null) gives an unusable password', async () => {
    const unusable = await makePassword(null);
    expect(unusable).toMatch(/^![A-Za-z0-9]{40}$/);
    expect(isPasswordUsable(unusable)).toBe(false);
    expect(isPasswordUsable(DJANGO_6_0)).toBe(true);
  });

  test('refuses a salt with "$" and a non-string password', async () => {
    await expect(makePassword('x', 'a$b')).rejects.toThrow(new Error('salt must be provided and cannot contain $.'));
    await expect(makePassword(42 as unknown as string)).rejects.toThrow(new TypeError('Password must be a string or bytes, got number.'));
  });

  test('hashing does not block the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await makePassword('s3cret');
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});
