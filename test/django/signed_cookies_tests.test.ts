/**
 * Django's tests/signed_cookies_tests/tests.py, translated: the newest text found, from the code
 * search (the fix of CVE-2026-6873: cookies signed under `django.http.cookies.v2:{len(salt)}:{salt}{name}`,
 * with RemovedInDjango70Warning; Django 5.2.17 ships the same signing code); read_file gave only older copies of
 * django/django (08b4c8c7ef8bf5fbb72d7928057227008e3edbc6, 901c08ac90edd7241f3135f397944b57e397b6c8),
 * whose tests are a subset of these. One test per Django test method, by its Django name.
 *
 * Mapping: Django's `HttpRequest()` is a request built from a bare IncomingMessage; its settings'
 * SECRET_KEY is `secretKey` (what `getSignedCookie` reads) and `configureResponses` (what
 * `setSignedCookie` reads), as `createApp` sets both; `freeze_time(t)` is Jest's clock at `t`
 * seconds; `response.cookies["c"].value` is `response.cookies.get('c')!.value`.
 *
 * Not translated (no counterpart):
 * - test_expired_legacy_cookie_raises_signature_expired, test_legacy_salt_namespace_is_accepted:
 *   they turn on SIGNED_COOKIE_LEGACY_SALT_FALLBACK, Django's transition setting for its own
 *   earlier salt (`name + salt`); Reinhardt never signed under that salt and offers no such setting
 *   (values it signed under its earlier, unambiguous `name=salt` still verify).
 * - test_signed_cookies_with_binary_key: `secretKey` is a text setting; Django's bytes SECRET_KEY
 *   has no counterpart (a Buffer key works with `Signer` and `getCookieSigner`).
 * - The `timedelta` lines of test_max_age_argument and test_set_signed_cookie_max_age_argument:
 *   `maxAge` is a number of seconds (JavaScript has no timedelta); the other lines are translated.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { resolveSettings } from '../../src/core/settings';
import { BadSignature, SignatureExpired } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { configureResponses } from '../../src/http/response-config';
import { getCookieSigner } from '../../src/signing';

const SECRET_KEY = 'django-tests-secret-key';

/** Django's `HttpRequest()`: no body, no cookies, the test settings. */
function httpRequest(): HttpRequest {
  const req = Object.assign(Readable.from([]), {
    method: 'GET',
    url: '/',
    rawHeaders: ['Host', 'testserver'],
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: 80, encrypted: false },
  });
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: SECRET_KEY }));
}

function cookieValue(response: HttpResponse, name: string): string {
  const cookie = response.cookies.get(name);
  if (cookie === undefined) throw new Error(`no cookie ${name}`);
  return cookie.value;
}

/** Django's `signing._cookie_signer_legacy_salt`: the earlier `name + salt`. */
const cookieSignerLegacySalt = (key: string, salt: string) => key + salt;

beforeAll(() => configureResponses({ secretKey: SECRET_KEY, secretKeyFallbacks: [] }));
afterEach(() => jest.useRealTimers());

describe('SignedCookieTest', () => {
  test('test_can_set_and_read_signed_cookies', () => {
    const response = new HttpResponse();
    response.setSignedCookie('c', 'hello');
    expect(response.cookies.has('c')).toBe(true);
    expect(cookieValue(response, 'c').startsWith('hello:')).toBe(true);
    const request = httpRequest();
    request.COOKIES.c = cookieValue(response, 'c');
    expect(request.getSignedCookie('c')).toBe('hello');
  });

  test('test_can_use_salt', () => {
    const response = new HttpResponse();
    response.setSignedCookie('a', 'hello', { salt: 'one' });
    const request = httpRequest();
    request.COOKIES.a = cookieValue(response, 'a');
    expect(request.getSignedCookie('a', { salt: 'one' })).toBe('hello');
    expect(() => request.getSignedCookie('a', { salt: 'two' })).toThrow(BadSignature);
  });

  test('test_salt_namespace_is_unambiguous', () => {
    const response = new HttpResponse();
    response.setSignedCookie('a', 'hello', { salt: 'bc' });
    const request = httpRequest();
    request.COOKIES.ab = cookieValue(response, 'a');
    expect(() => request.getSignedCookie('ab', { salt: 'c' })).toThrow(BadSignature);
  });

  test('test_legacy_salt_namespace_not_accepted', () => {
    const request = httpRequest();
    request.COOKIES.a = getCookieSigner(SECRET_KEY, cookieSignerLegacySalt('a', 'bc')).sign('hello');
    expect(() => request.getSignedCookie('a', { salt: 'bc' })).toThrow(BadSignature);
  });

  test('test_expired_new_style_cookie_does_not_fallback_to_legacy_salt', () => {
    jest.useFakeTimers({ now: 123456789 * 1000 });
    const response = new HttpResponse();
    response.setSignedCookie('a', 'hello', { salt: 'bc' });
    const request = httpRequest();
    request.COOKIES.a = cookieValue(response, 'a');
    jest.setSystemTime(123456800 * 1000);
    expect(() => request.getSignedCookie('a', { salt: 'bc', maxAge: 10 })).toThrow(SignatureExpired);
  });

  test('test_detects_tampering', () => {
    const response = new HttpResponse();
    response.setSignedCookie('c', 'hello');
    const request = httpRequest();
    request.COOKIES.c = cookieValue(response, 'c').slice(0, -2) + '$$';
    expect(() => request.getSignedCookie('c')).toThrow(BadSignature);
  });

  test('test_default_argument_suppresses_exceptions', () => {
    const response = new HttpResponse();
    response.setSignedCookie('c', 'hello');
    const request = httpRequest();
    request.COOKIES.c = cookieValue(response, 'c').slice(0, -2) + '$$';
    expect(request.getSignedCookie('c', { default: null })).toBeNull();
  });

  test('test_max_age_argument', () => {
    const value = 'hello';
    jest.useFakeTimers({ now: 123456789 * 1000 });
    const response = new HttpResponse();
    response.setSignedCookie('c', value);
    const request = httpRequest();
    request.COOKIES.c = cookieValue(response, 'c');
    expect(request.getSignedCookie('c')).toBe(value);

    jest.setSystemTime(123456800 * 1000);
    expect(request.getSignedCookie('c', { maxAge: 12 })).toBe(value);
    expect(request.getSignedCookie('c', { maxAge: 11 })).toBe(value);
    expect(() => request.getSignedCookie('c', { maxAge: 10 })).toThrow(SignatureExpired);
  });

  test('test_set_signed_cookie_max_age_argument', () => {
    const response = new HttpResponse();
    response.setSignedCookie('c', 'value', { maxAge: 100 });
    expect(response.cookies.get('c')!.options.maxAge).toBe(100);
  });
});
