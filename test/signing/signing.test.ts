import {
  Signer,
  TimestampSigner,
  dumps,
  getCookieSigner,
  loads,
  saltedHmac,
  signCookieValue,
  unsignCookieValue,
} from '../../src/signing';
import { BadSignature, ImproperlyConfigured, SignatureExpired } from '../../src/http/errors';
import { configureResponses } from '../../src/http/response-config';

// Vectors marked "Django" are the literal values of Django's tests/signing/tests.py and of the
// django/core/signing.py docstring. The others were computed by a line-for-line Python
// transcription of django/core/signing.py and django/utils/crypto.py (hashlib/hmac/base64/zlib)
// that reproduces every Django vector.

const at = (seconds: number) => () => seconds * 1000;

/** Django's tampering transforms (test_unsign_detects_tampering). */
const tamperings: Array<(s: string) => string> = [
  (s) => s.toUpperCase(),
  (s) => s + 'a',
  (s) => 'a' + s.slice(1),
  (s) => s.replace(/:/g, ''),
];

describe('saltedHmac', () => {
  test('HMAC under hash(keySalt + secret), sha256 by default', () => {
    expect(saltedHmac('django.contrib.sessions', 'value', 'secret').toString('hex')).toBe(
      'ae0de8f71274edab54d4a6ca9deec58ba130bbb463166d87a43f7b0a23b927cc',
    );
    expect(saltedHmac('django.contrib.sessions', 'value', 'secret', 'sha1').toString('hex')).toBe(
      'e5fc0633e4f642316b02fba37259613ffcbb818b',
    );
  });

  test('an unknown algorithm is refused', () => {
    expect(() => saltedHmac('s', 'v', 'k', 'whatever')).toThrow("'whatever' is not an algorithm accepted by node:crypto.");
  });
});

describe('Signer', () => {
  test('signs as Django does (Django: test_custom_algorithm, sha512)', () => {
    expect(new Signer({ key: 'predictable-secret', algorithm: 'sha512' }).signature('hello')).toBe(
      'Usf3uVQOZ9m6uPfVonKR-EBXjPe7bjMbp3_Fq8MfsptgkkM1ojidN0BxYaT5HAEN1VzO9_jVu7R-VkqknHYNvw',
    );
  });

  test('works with a binary, non-ASCII key (Django: test_works_with_non_ascii_keys)', () => {
    expect(new Signer({ key: Buffer.from([0xe7]) }).sign('foo')).toBe('foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU');
  });

  test.each(['/', '*sep*', ','])('valid separator %s (Django: test_valid_sep)', (sep) => {
    expect(new Signer({ key: 'predictable-secret', sep }).sign('foo')).toBe(
      `foo${sep}jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0`,
    );
  });

  test.each(['', '-', 'abc'])('unsafe separator %j throws (Django: test_invalid_sep)', (sep) => {
    expect(() => new Signer({ key: 'k', sep })).toThrow(
      `Unsafe Signer separator: '${sep}' (cannot be empty or consist of only A-z0-9-_=)`,
    );
  });

  test('default salt, a custom salt, and non-ASCII values', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    expect(signer.salt).toBe('django.core.signing.Signer');
    expect(signer.sign('hello')).toBe('hello:T8oWtiMIRTzcoR3NRO-2PQNf5dTweZy0EL25Kt6lUo0');
    expect(new Signer({ key: 'predictable-secret', salt: 'extra-salt' }).sign('hello')).toBe(
      'hello:g8YZrsJ1xXg4hGFgU2uc4ff9ZZRKt3ReprMkjND8TfM',
    );
    expect(signer.sign('\u2019 café')).toBe('\u2019 café:1aMis4HCOiGBGxkYsSLBUmIEEsuYHpXMxORB6JCYpSs');
    // An empty salt means the default one, as Django's `salt or ...`.
    expect(new Signer({ key: 'predictable-secret', salt: '' }).sign('hello')).toBe(signer.sign('hello'));
  });

  test.each(['q;wjmbk;wkmb', '3098247529087', '3098247:529:087:', 'jkw osanteuh ,rcuh nthu aou oauh ,ud du', '\u2019'])(
    'sign/unsign round-trips %j',
    (value) => {
      const signer = new Signer({ key: 'predictable-secret' });
      const signed = signer.sign(value);
      expect(signed).not.toBe(value);
      expect(signer.unsign(signed)).toBe(value);
    },
  );

  test('unsign detects tampering, a missing separator, another key or salt', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    const signed = signer.sign('Another string');
    for (const tamper of tamperings) expect(() => signer.unsign(tamper(signed))).toThrow(BadSignature);
    expect(() => signer.unsign('no separator')).toThrow(new BadSignature('No ":" found in value'));
    expect(() => signer.unsign('Another string:abc')).toThrow(new BadSignature('Signature "abc" does not match'));
    expect(() => new Signer({ key: 'other-secret' }).unsign(signed)).toThrow(BadSignature);
    expect(() => new Signer({ key: 'predictable-secret', salt: 'other' }).unsign(signed)).toThrow(BadSignature);
  });

  test('fallback keys verify old signatures; new ones use the key (Django: test_verify_with_non_default_key)', () => {
    const signed = new Signer({ key: 'secret' }).sign('abc');
    const rotated = new Signer({ key: 'newsecret', fallbackKeys: ['othersecret', 'secret'] });
    expect(rotated.unsign(signed)).toBe('abc');
    expect(rotated.sign('abc')).toBe(new Signer({ key: 'newsecret' }).sign('abc'));
    expect(() => new Signer({ key: 'newsecret' }).unsign(signed)).toThrow(BadSignature);
  });

  describe("without a key: the app's secretKey, and its secretKeyFallbacks (Django's SECRET_KEY_FALLBACKS)", () => {
    afterEach(() => configureResponses({ secretKey: '', secretKeyFallbacks: [] }));

    test('signs with the secretKey only; verifies with it and each fallback', () => {
      const old = new Signer({ key: 'old-key' }).sign('abc');
      configureResponses({ secretKey: 'new-key', secretKeyFallbacks: ['older-key', 'old-key'] });
      const signer = new Signer();
      expect(signer.key).toBe('new-key');
      expect(signer.fallbackKeys).toEqual(['older-key', 'old-key']);
      expect(signer.unsign(old)).toBe('abc');
      expect(signer.sign('abc')).toBe(new Signer({ key: 'new-key' }).sign('abc'));
      expect(() => new Signer({ key: 'old-key' }).unsign(signer.sign('abc'))).toThrow(BadSignature);
    });

    test("a signer given its own key does not take the app's fallbacks", () => {
      configureResponses({ secretKey: 'new-key', secretKeyFallbacks: ['old-key'] });
      expect(new Signer({ key: 'mine' }).fallbackKeys).toEqual([]);
      expect(() => new Signer({ key: 'mine' }).unsign(new Signer({ key: 'old-key' }).sign('abc'))).toThrow(BadSignature);
    });

    test('without an app key it is refused', () => {
      expect(() => new Signer()).toThrow(new ImproperlyConfigured('The secretKey setting must not be empty.'));
      expect(() => dumps('x')).toThrow(ImproperlyConfigured);
    });
  });

  test('an empty key or an unknown algorithm is refused', () => {
    expect(() => new Signer({ key: '' })).toThrow(ImproperlyConfigured);
    expect(() => new Signer({ key: Buffer.alloc(0) })).toThrow('The secretKey setting must not be empty.');
    expect(() => new Signer({ key: 'k', algorithm: 'whatever' })).toThrow(
      "'whatever' is not an algorithm accepted by node:crypto.",
    );
  });

  test('signObject/unsignObject round-trip, compressed or not (Django: test_sign_unsign_object)', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    for (const obj of [['a', 'list'], 'a string \u2019', { a: 'dictionary' }]) {
      expect(signer.unsignObject(signer.signObject(obj))).toEqual(obj);
      expect(signer.unsignObject(signer.signObject(obj, { compress: true }))).toEqual(obj);
    }
    expect(() => signer.signObject(undefined)).toThrow(new TypeError('Object of type undefined is not JSON serializable'));
  });
});

describe('TimestampSigner', () => {
  test('value:timestamp:signature, timestamp in base 62', () => {
    const signer = new TimestampSigner({ key: 'predictable-key', now: at(123456789) });
    expect(signer.salt).toBe('django.core.signing.TimestampSigner');
    expect(signer.timestamp()).toBe('8M0kX');
    expect(signer.sign('hello')).toBe('hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M');
    expect(new TimestampSigner({ key: 'k', now: at(1700000000.999) }).timestamp()).toBe('1r31eq');
    expect(new TimestampSigner({ key: 'k', now: at(0) }).timestamp()).toBe('0');
  });

  test('maxAge in seconds (Django: test_timestamp_signer)', () => {
    const ts = new TimestampSigner({ key: 'predictable-key', now: at(123456789) }).sign('hello');
    expect(ts).not.toBe(new Signer({ key: 'predictable-key' }).sign('hello'));
    const later = new TimestampSigner({ key: 'predictable-key', now: at(123456800) });
    expect(later.unsign(ts)).toBe('hello');
    expect(later.unsign(ts, 12)).toBe('hello');
    expect(later.unsign(ts, 11)).toBe('hello');
    expect(() => later.unsign(ts, 10)).toThrow(SignatureExpired);
    expect(() => later.unsign(ts, 10)).toThrow('Signature age 11 > 10 seconds');
    // SignatureExpired is a BadSignature: one catch handles both.
    expect(() => later.unsign(ts, 10)).toThrow(BadSignature);
  });

  test('a value signed by a plain Signer with the same salt has no timestamp', () => {
    const plain = new Signer({ key: 'k', salt: 'django.core.signing.TimestampSigner' }).sign('hello');
    expect(() => new TimestampSigner({ key: 'k' }).unsign(plain)).toThrow('Signed value has no valid timestamp');
  });

  test('uses the real clock by default', () => {
    const signer = new TimestampSigner({ key: 'k' });
    expect(signer.unsign(signer.sign('v'), 5)).toBe('v');
  });
});

describe('dumps / loads', () => {
  const key = 'predictable-key';

  test('Django\'s docstring payloads: ImhlbGxvIg for "hello", the compressed list', () => {
    expect(dumps('hello', { key, now: at(1700000000) })).toBe(
      'ImhlbGxvIg:1r31eq:iB_FpYHUG9eJ-iPYIwHiNARN2pxC5rKvFntNpY-y7zg',
    );
    const numbers = Array.from({ length: 19 }, (_, i) => i + 1);
    expect(dumps(numbers, { key, compress: true, now: at(1700000000) })).toBe(
      '.eJwFwcERACAIwLCF-rCiILN47r-GyZVJsNgkxaFxoDgxcOHGxMKD_T7vhAml:1r31eq:8S7cLAflfWy4_rSNobKgQqydaRpKkedGQDnrCjy1p7s',
    );
    // Compression that does not save more than a byte is not used.
    expect(dumps('hi', { key, compress: true, now: at(1700000000) })).toBe(
      'ImhpIg:1r31eq:ZxLshNbzI7ujCP4xcowd4OYpK7RacrdACQF4oan5ZmI',
    );
  });

  test('JSON as Python writes it: compact, non-ASCII escaped', () => {
    const obj = { a: 'dictionary', n: 1, u: 'café \u2019 \u{1F40D}', l: [true, null] };
    const signed = dumps(obj, { key, now: at(1700000000) });
    expect(signed).toBe(
      'eyJhIjoiZGljdGlvbmFyeSIsIm4iOjEsInUiOiJjYWZcdTAwZTkgXHUyMDE5IFx1ZDgzZFx1ZGMwZCIsImwiOlt0cnVlLG51bGxdfQ' +
        ':1r31eq:dXa9wuqYLbPQsymlbSMwhnesBHaTTpnVzSAsr2m3FQY',
    );
    expect(loads(signed, { key })).toEqual(obj);
  });

  test('loads checks the signature, the salt and maxAge (Django: test_decode_detects_tampering)', () => {
    const encoded = dumps({ foo: 'bar', baz: 1 }, { key, now: at(1000) });
    expect(loads(encoded, { key })).toEqual({ foo: 'bar', baz: 1 });
    for (const tamper of tamperings) expect(() => loads(tamper(encoded), { key })).toThrow(BadSignature);
    expect(() => loads(encoded, { key: 'other' })).toThrow(BadSignature);
    expect(() => loads(encoded, { key, salt: 'other' })).toThrow(BadSignature);
    expect(loads(encoded, { key, maxAge: 60, now: at(1060) })).toEqual({ foo: 'bar', baz: 1 });
    expect(() => loads(encoded, { key, maxAge: 60, now: at(1061) })).toThrow(SignatureExpired);
    expect(loads(encoded, { key: 'new', fallbackKeys: [key] })).toEqual({ foo: 'bar', baz: 1 });
  });

  test('a salt namespaces the values', () => {
    const signed = dumps('x', { key, salt: 'sessions', now: at(1) });
    expect(loads(signed, { key, salt: 'sessions' })).toBe('x');
    expect(() => loads(signed, { key })).toThrow(BadSignature);
  });
});

describe('signed cookies (set_signed_cookie / get_signed_cookie)', () => {
  const secret = 's3cr3t';
  const now = at(1700000000);

  // Since CVE-2026-6873, Django signs every cookie under 'django.http.cookies.v2:{len(salt)}:{salt}{name}'.
  // The vectors are Django 5.2.17's own `set_signed_cookie` values (SECRET_KEY 's3cr3t', time.time()
  // 1700000000); before the fix, Django sent 'Bob:1r31eq:pWcyBQvuGj2IYTbTdu-mQebek_Vr05CXJipD-jArrAw'.
  test('without a salt: exactly the value Django sends', () => {
    expect(signCookieValue('name', 'Bob', secret, '', { now })).toBe('Bob:1r31eq:S6E7ZnHk7ObEpFuXpjabCE4m-kSl2Vrn0FNMSs3wh40');
    expect(getCookieSigner(secret, 'django.http.cookies.v2:0:name', { now }).sign('Bob')).toBe(signCookieValue('name', 'Bob', secret, '', { now }));
  });

  test('with a salt: the salt length first, as Django (code points, as Python counts)', () => {
    expect(signCookieValue('name', 'Bob', secret, 'tea', { now })).toBe('Bob:1r31eq:G-6UNwyoqkJWX9vIkSYdxJnSUDNwe40gQsTDEysuRCU');
    expect(signCookieValue('name', 'Bob', secret, 'thé', { now })).toBe('Bob:1r31eq:krVXt6_Npjdeth8KVF-cexStmbPAwJMYIi95kB3AsdE');
    expect(getCookieSigner(secret, 'django.http.cookies.v2:3:teaname', { now }).sign('Bob')).toBe(signCookieValue('name', 'Bob', secret, 'tea', { now }));
  });

  test("values Reinhardt signed before (under 'name' and 'name=salt') still verify; an expired current one does not fall back", () => {
    const unsalted = 'Bob:1r31eq:pWcyBQvuGj2IYTbTdu-mQebek_Vr05CXJipD-jArrAw';
    expect(unsignCookieValue('name', unsalted, secret, '', null, { now })).toBe('Bob');
    const salted = getCookieSigner(secret, 'name=tea', { now }).sign('Bob');
    expect(unsignCookieValue('name', salted, secret, 'tea', null, { now })).toBe('Bob');
    expect(() => unsignCookieValue('name', salted, secret, 'tea', 10, { now: at(1700000011) })).toThrow(SignatureExpired);
    const current = signCookieValue('name', 'Bob', secret, 'tea', { now });
    expect(() => unsignCookieValue('name', current, secret, 'tea', 10, { now: at(1700000011) })).toThrow(SignatureExpired);
    // Django's earlier 'name' + 'salt' is not accepted.
    const djangoLegacy = getCookieSigner(secret, 'nametea', { now }).sign('Bob');
    expect(() => unsignCookieValue('name', djangoLegacy, secret, 'tea', null, { now })).toThrow(BadSignature);
  });

  test('cookie a with salt bc does not verify as cookie ab with salt c, nor as an unsalted cookie', () => {
    const signed = signCookieValue('a', 'admin', secret, 'bc');
    expect(unsignCookieValue('a', signed, secret, 'bc')).toBe('admin');
    expect(() => unsignCookieValue('ab', signed, secret, 'c')).toThrow(new BadSignature(`Signature "${signed.split(':')[2]}" does not match`));
    expect(() => unsignCookieValue('abc', signed, secret, '')).toThrow(BadSignature);
    expect(() => unsignCookieValue('abc', signCookieValue('ab', 'admin', secret, 'c'), secret)).toThrow(BadSignature);
    expect(() => unsignCookieValue('a=b', signed, secret, 'c')).toThrow(new RangeError('A cookie name cannot contain "=": "a=b".'));
  });

  test('round trip, and maxAge in seconds', () => {
    const signed = signCookieValue('name', 'Bob', secret, 'tea', { now });
    expect(unsignCookieValue('name', signed, secret, 'tea', undefined, { now })).toBe('Bob');
    expect(unsignCookieValue('name', signed, secret, 'tea', 10, { now: at(1700000010) })).toBe('Bob');
    expect(() => unsignCookieValue('name', signed, secret, 'tea', 10, { now: at(1700000011) })).toThrow(
      SignatureExpired,
    );
  });

  test('a value cannot be replayed under another cookie name, salt or secret', () => {
    const signed = signCookieValue('name', 'Bob', secret, 'tea', { now });
    expect(() => unsignCookieValue('other', signed, secret, 'tea')).toThrow(BadSignature);
    expect(() => unsignCookieValue('name', signed, secret, 'coffee')).toThrow(BadSignature);
    expect(() => unsignCookieValue('name', signed, secret, '')).toThrow(BadSignature);
    // 'na' + 'metea' is 'name' + 'tea': Django would accept it; the separator refuses it.
    expect(() => unsignCookieValue('na', signed, secret, 'metea')).toThrow(BadSignature);
    expect(() => unsignCookieValue('name', signed, 'other-secret', 'tea')).toThrow(BadSignature);
    expect(() => unsignCookieValue('name', 'Bob:1r31eq:forged', secret, 'tea')).toThrow(BadSignature);
  });

  test('old secrets still verify through fallbackSecrets', () => {
    const signed = signCookieValue('name', 'Bob', 'old', '', { now });
    expect(unsignCookieValue('name', signed, secret, '', null, { fallbackSecrets: ['old'] })).toBe('Bob');
  });

  test('an empty secret is refused', () => {
    expect(() => signCookieValue('name', 'Bob', '')).toThrow(ImproperlyConfigured);
  });
});
