/**
 * Django's tests/signing/tests.py, translated: django/django at commit
 * 06be092582991369372fe7072dc94cf593dee3f2 (the newest version read_file gave: a Django 6.x development version, with
 * the RemovedInDjango70Warning of `base64_hmac` and the JSONSerializer tests). One test per Django
 * test method, by its Django name.
 *
 * Mapping: `signing.base64_hmac(salt, value, key, algorithm)` is
 * `saltedHmac(salt, value, key, algorithm).toString('base64url')`; Django's
 * `override_settings(SECRET_KEY=..., SECRET_KEY_FALLBACKS=...)` is `configureResponses`, as
 * `createApp` calls it; `freeze_time(t)` is Jest's clock at `t` seconds; Django's ValueError is a
 * RangeError.
 *
 * Asserting Reinhardt's documented behaviour where it deliberately differs:
 * - test_invalid_algorithm: an unknown algorithm throws when the Signer is made (Django: at
 *   `sign()`), and the message names node:crypto, not hashlib.
 *
 * Not translated (no counterpart):
 * - test_base64_hmac_default_algorithm_deprecation: there is no public `base64_hmac`, and
 *   `saltedHmac` already defaults to sha256 (the deprecation's end state).
 * - test_sign_unsign_non_string: `sign()` takes a string (TypeScript); Python's `str()` of an int,
 *   float, bool or date has no counterpart.
 * - TestTimestampSigner.test_timestamp_signer's `max_age=datetime.timedelta(...)` lines: `maxAge`
 *   is a number of seconds (JavaScript has no timedelta); the other lines are translated.
 * - TestJSONSerializerEncoding: Django's `JSONSerializer` class is not public here; both tests are
 *   translated through `dumps`/`loads` and `unsignObject`, which use the same serializer.
 */
import { BadSignature, SignatureExpired } from '../../src/http/errors';
import { configureResponses, responseConfig } from '../../src/http/response-config';
import { Signer, TimestampSigner, dumps, loads, saltedHmac } from '../../src/signing';
import { b62Decode, b62Encode } from '../../src/signing/timestamp-signer';

const base64Hmac = (salt: string, value: string, key: string, algorithm: string) => saltedHmac(salt, value, key, algorithm).toString('base64url');

/** Django's `override_settings(SECRET_KEY=..., SECRET_KEY_FALLBACKS=...)` for one test. */
function overrideSettings(secretKey: string, secretKeyFallbacks: string[], body: () => void): void {
  const saved = { secretKey: responseConfig.secretKey, secretKeyFallbacks: responseConfig.secretKeyFallbacks };
  configureResponses({ secretKey, secretKeyFallbacks });
  try {
    body();
  } finally {
    configureResponses(saved);
  }
}

beforeAll(() => configureResponses({ secretKey: 'django-tests-secret-key', secretKeyFallbacks: [] }));
afterEach(() => jest.useRealTimers());

describe('TestSigner', () => {
  test('test_signature', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    const signer2 = new Signer({ key: 'predictable-secret2' });
    for (const s of ['hello', '3098247:529:087:', '\u2019']) {
      expect(signer.signature(s)).toBe(base64Hmac(signer.salt + 'signer', s, 'predictable-secret', signer.algorithm));
      expect(signer.signature(s)).not.toBe(signer2.signature(s));
    }
  });

  test('test_signature_with_salt', () => {
    const signer = new Signer({ key: 'predictable-secret', salt: 'extra-salt' });
    expect(signer.signature('hello')).toBe(base64Hmac('extra-salt' + 'signer', 'hello', 'predictable-secret', signer.algorithm));
    expect(new Signer({ key: 'predictable-secret', salt: 'one' }).signature('hello')).not.toBe(
      new Signer({ key: 'predictable-secret', salt: 'two' }).signature('hello'),
    );
  });

  test('test_custom_algorithm', () => {
    const signer = new Signer({ key: 'predictable-secret', algorithm: 'sha512' });
    expect(signer.signature('hello')).toBe('Usf3uVQOZ9m6uPfVonKR-EBXjPe7bjMbp3_Fq8MfsptgkkM1ojidN0BxYaT5HAEN1VzO9_jVu7R-VkqknHYNvw');
  });

  test('test_invalid_algorithm (deliberate difference: refused when the Signer is made)', () => {
    expect(() => new Signer({ key: 'predictable-secret', algorithm: 'whatever' })).toThrow(
      new RangeError("'whatever' is not an algorithm accepted by node:crypto."),
    );
  });

  test('test_sign_unsign', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    for (const example of ['q;wjmbk;wkmb', '3098247529087', '3098247:529:087:', 'jkw osanteuh ,rcuh nthu aou oauh ,ud du', '\u2019']) {
      const signed = signer.sign(example);
      expect(typeof signed).toBe('string');
      expect(signed).not.toBe(example);
      expect(signer.unsign(signed)).toBe(example);
    }
  });

  const TRANSFORMS: ((s: string) => string)[] = [
    (s) => s.toUpperCase(),
    (s) => s + 'a',
    (s) => 'a' + s.slice(1),
    (s) => s.replaceAll(':', ''),
  ];

  test('test_unsign_detects_tampering', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    const value = 'Another string';
    const signedValue = signer.sign(value);
    expect(signer.unsign(signedValue)).toBe(value);
    for (const transform of TRANSFORMS) expect(() => signer.unsign(transform(signedValue))).toThrow(BadSignature);
  });

  test('test_sign_unsign_object', () => {
    const signer = new Signer({ key: 'predictable-secret' });
    for (const obj of [['a', 'list'], 'a string \u2019', { a: 'dictionary' }]) {
      let signedObj = signer.signObject(obj);
      expect(signedObj).not.toEqual(obj);
      expect(signer.unsignObject(signedObj)).toEqual(obj);
      signedObj = signer.signObject(obj, { compress: true });
      expect(signedObj).not.toEqual(obj);
      expect(signer.unsignObject(signedObj)).toEqual(obj);
    }
  });

  test('test_dumps_loads', () => {
    for (const o of [['a', 'list'], 'a string \u2019', { a: 'dictionary' }]) {
      expect(dumps(o)).not.toEqual(o);
      expect(loads(dumps(o))).toEqual(o);
      expect(dumps(o, { compress: true })).not.toEqual(o);
      expect(loads(dumps(o, { compress: true }))).toEqual(o);
    }
  });

  test('test_decode_detects_tampering', () => {
    const value = { foo: 'bar', baz: 1 };
    const encoded = dumps(value);
    expect(loads(encoded)).toEqual(value);
    for (const transform of TRANSFORMS) expect(() => loads(transform(encoded))).toThrow(BadSignature);
  });

  test('test_works_with_non_ascii_keys', () => {
    const binaryKey = Buffer.from([0xe7]); // Some binary (non-ASCII) key.
    expect(new Signer({ key: binaryKey }).sign('foo')).toBe('foo:EE4qGC5MEKyQG5msxYA0sBohAxLC0BJf8uRhemh0BGU');
  });

  test('test_valid_sep', () => {
    for (const sep of ['/', '*sep*', ',']) {
      expect(new Signer({ key: 'predictable-secret', sep }).sign('foo')).toBe(`foo${sep}jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0`);
    }
  });

  test('test_invalid_sep', () => {
    for (const sep of ['', '-', 'abc']) {
      expect(() => new Signer({ sep })).toThrow(new RangeError(`Unsafe Signer separator: '${sep}' (cannot be empty or consist of only A-z0-9-_=)`));
    }
  });

  test('test_verify_with_non_default_key', () => {
    const oldSigner = new Signer({ key: 'secret' });
    const newSigner = new Signer({ key: 'newsecret', fallbackKeys: ['othersecret', 'secret'] });
    expect(newSigner.unsign(oldSigner.sign('abc'))).toBe('abc');
  });

  test('test_sign_unsign_multiple_keys', () => {
    // The default key is a valid verification key.
    const signer = new Signer({ key: 'secret', fallbackKeys: ['oldsecret'] });
    expect(signer.unsign(signer.sign('abc'))).toBe('abc');
  });

  test('test_sign_unsign_ignore_secret_key_fallbacks', () => {
    overrideSettings('secret', ['oldsecret'], () => {
      const signed = new Signer({ key: 'oldsecret' }).sign('abc');
      const signer = new Signer({ fallbackKeys: [] });
      expect(() => signer.unsign(signed)).toThrow(BadSignature);
    });
  });

  test('test_default_keys_verification', () => {
    overrideSettings('secret', ['oldsecret'], () => {
      const signed = new Signer({ key: 'oldsecret' }).sign('abc');
      expect(new Signer().unsign(signed)).toBe('abc');
    });
  });
});

describe('TestTimestampSigner', () => {
  test('test_timestamp_signer', () => {
    const value = 'hello';
    jest.useFakeTimers({ now: 123456789 * 1000 });
    const signer = new TimestampSigner({ key: 'predictable-key' });
    const ts = signer.sign(value);
    expect(ts).not.toBe(new Signer({ key: 'predictable-key' }).sign(value));
    expect(signer.unsign(ts)).toBe(value);

    jest.setSystemTime(123456800 * 1000);
    expect(signer.unsign(ts, 12)).toBe(value);
    expect(signer.unsign(ts, 11)).toBe(value);
    expect(() => signer.unsign(ts, 10)).toThrow(SignatureExpired);
  });
});

describe('TestBase62', () => {
  test('test_base62', () => {
    const tests = [-(10 ** 10), 10 ** 10, 1620378259, ...Array.from({ length: 200 }, (_, i) => i - 100)];
    for (const i of tests) expect(b62Decode(b62Encode(i))).toBe(i);
  });
});

describe('TestJSONSerializerEncoding', () => {
  test('test_non_ascii_round_trip', () => {
    // Non-ASCII payloads survive a dumps/loads cycle unchanged.
    const payload = { precomposed: 'héllo', combining: 'he\u0301llo', emoji: '🐍', zh: '你好' };
    expect(loads(dumps(payload))).toEqual(payload);
  });

  test('test_loads_reads_utf_8_bytes', () => {
    // The serializer decodes raw UTF-8 bytes (as another signer may write them) to the original value.
    const externalBytes = Buffer.from('{"text":"h\xc3\xa9llo"}', 'latin1');
    const signer = new Signer({ key: 'predictable-secret' });
    expect(signer.unsignObject(signer.sign(externalBytes.toString('base64url')))).toEqual({ text: 'héllo' });
  });
});
