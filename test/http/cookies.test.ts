import { HttpResponse } from '../../src/http/http-response';
import { configureResponses } from '../../src/http/response-config';
import { parseCookieHeader } from '../../src/http/request-cookies';
import { unsignCookieValue } from '../../src/signing';
import { BadSignature, ImproperlyConfigured } from '../../src/http/errors';

const NOW = new Date('2024-01-01T00:00:00Z');

beforeEach(() => jest.useFakeTimers({ now: NOW }));
afterEach(() => jest.useRealTimers());

/** The `Cookie:` header a browser would send back for a Set-Cookie value. */
function roundTrip(setCookie: string): Record<string, string> {
  return parseCookieHeader(setCookie.split(';')[0]);
}

describe('setCookie', () => {
  it('defaults: Path=/ and nothing else (a session cookie)', () => {
    const response = new HttpResponse();
    response.setCookie('theme', 'dark');
    expect(response.cookieHeaders()).toEqual(['theme=dark; Path=/']);
    expect(response.cookies.get('theme')).toEqual({
      value: 'dark',
      options: { maxAge: undefined, expires: undefined, path: '/', domain: undefined, secure: false, httpOnly: false, sameSite: undefined },
      serialized: 'theme=dark; Path=/',
    });
  });

  it('the value defaults to the empty string', () => {
    const response = new HttpResponse();
    response.setCookie('flag');
    expect(response.cookieHeaders()).toEqual(['flag=; Path=/']);
  });

  it('maxAge (seconds) also sets Expires to now + maxAge', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { maxAge: 3600 });
    expect(response.cookieHeaders()).toEqual(['a=1; Max-Age=3600; Path=/; Expires=Mon, 01 Jan 2024 01:00:00 GMT']);
  });

  it('a fractional maxAge is truncated, as Django\'s int(max_age)', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { maxAge: 10.9 });
    expect(response.cookies.get('a')!.options.maxAge).toBe(10);
  });

  it('an expires Date also sets Max-Age from now, rounded up to whole seconds (Django adds a second and truncates)', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { expires: new Date('2024-01-02T00:00:00Z') });
    expect(response.cookieHeaders()).toEqual(['a=1; Max-Age=86400; Path=/; Expires=Tue, 02 Jan 2024 00:00:00 GMT']);
    response.setCookie('b', '1', { expires: new Date('2024-01-01T00:00:09.001Z') });
    expect(response.cookies.get('b')!.options.maxAge).toBe(10);
  });

  it('an expires Date in the past gives Max-Age=0', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { expires: new Date('2023-01-01T00:00:00Z') });
    expect(response.cookies.get('a')!.options.maxAge).toBe(0);
  });

  it('an expires string is sent as is, without Max-Age', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { expires: 'Fri, 01-Jan-38 00:00:00 GMT' });
    expect(response.cookieHeaders()).toEqual(['a=1; Path=/; Expires=Fri, 01-Jan-38 00:00:00 GMT']);
    response.setCookie('b', '1', { expires: 'Fri, 01 Jan 2038 00:00:00 GMT' });
    expect(response.cookies.get('b')!.serialized).toBe('b=1; Path=/; Expires=Fri, 01 Jan 2038 00:00:00 GMT');
  });

  it('maxAge and expires together throw', () => {
    const response = new HttpResponse();
    expect(() => response.setCookie('a', '1', { maxAge: 1, expires: new Date() })).toThrow(TypeError);
    expect(() => response.setCookie('a', '1', { maxAge: 1, expires: 'Fri, 01 Jan 2038 00:00:00 GMT' })).toThrow(
      "'expires' and 'maxAge' can't be used together.",
    );
  });

  it('path, domain, secure, httpOnly', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { path: '/app/', domain: '.example.com', secure: true, httpOnly: true });
    expect(response.cookieHeaders()).toEqual(['a=1; Domain=.example.com; Path=/app/; HttpOnly; Secure']);
    response.setCookie('b', '1', { path: null });
    expect(response.cookies.get('b')!.serialized).toBe('b=1');
  });

  it.each([
    ['lax', 'lax'],
    ['STRICT', 'STRICT'],
    ['None', 'None'],
  ])('sameSite %s is written %s, in the case given (Django keeps it)', (given, written) => {
    const response = new HttpResponse();
    response.setCookie('a', '1', { sameSite: given });
    expect(response.cookies.get('a')!.serialized).toBe(`a=1; Path=/; SameSite=${written}`);
    expect(response.cookies.get('a')!.options.sameSite).toBe(written);
  });

  it('any other sameSite throws Django\'s message', () => {
    expect(() => new HttpResponse().setCookie('a', '1', { sameSite: 'loose' })).toThrow('samesite must be "lax", "none", or "strict".');
  });

  it('one cookie per name: the last call wins', () => {
    const response = new HttpResponse();
    response.setCookie('a', 'first');
    response.setCookie('b', 'other');
    response.setCookie('a', 'second', { httpOnly: true });
    expect(response.cookieHeaders()).toEqual(['a=second; Path=/; HttpOnly', 'b=other; Path=/']);
  });

  it.each(['a;b', 'a,b', 'with space', '"quoted"', 'café ☕', '100%', 'a=b'])(
    'the value %j round-trips through the request cookie parser',
    (value) => {
      const response = new HttpResponse();
      response.setCookie('c', value);
      const header = response.cookies.get('c')!.serialized;
      expect(header.split(';')[0]).toMatch(/^c=[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/);
      expect(roundTrip(header)).toEqual({ c: value });
    },
  );

  it('an invalid cookie name throws (the cookie package refuses it)', () => {
    expect(() => new HttpResponse().setCookie('bad name', 'v')).toThrow('argument name is invalid: bad name');
  });

  it('cookies can be removed again from the map', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1');
    response.cookies.delete('a');
    expect(response.cookieHeaders()).toEqual([]);
  });
});

describe('deleteCookie', () => {
  it("sends Django's expired cookie", () => {
    const response = new HttpResponse();
    response.deleteCookie('theme');
    expect(response.cookieHeaders()).toEqual(['theme=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
  });

  it('keeps path and domain so it matches the cookie that was set', () => {
    const response = new HttpResponse();
    response.deleteCookie('theme', { path: '/app/', domain: 'example.com' });
    expect(response.cookieHeaders()).toEqual(['theme=; Max-Age=0; Domain=example.com; Path=/app/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
  });

  it('refuses a __Host- cookie on a path other than / or with a domain, as setCookie does', () => {
    expect(() => new HttpResponse().deleteCookie('__Host-t', { path: '/app/' })).toThrow('Cookies with names starting with "__Host-" must set path="/".');
    expect(() => new HttpResponse().deleteCookie('__Host-t', { domain: 'example.com' })).toThrow('Cookies with names starting with "__Host-" must not set domain.');
  });

  it.each(['__Secure-token', '__Host-token'])('adds Secure for the prefixed name %s', (name) => {
    const response = new HttpResponse();
    response.deleteCookie(name);
    expect(response.cookies.get(name)!.serialized).toBe(`${name}=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure`);
  });

  it('adds Secure for sameSite None', () => {
    const response = new HttpResponse();
    response.deleteCookie('x', { sameSite: 'none' });
    expect(response.cookies.get('x')!.serialized).toBe('x=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; SameSite=none');
    response.deleteCookie('y', { sameSite: 'Lax' });
    expect(response.cookies.get('y')!.serialized).toBe('y=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax');
  });

  it('replaces a cookie set earlier on the same response', () => {
    const response = new HttpResponse();
    response.setCookie('a', '1');
    response.deleteCookie('a');
    expect(response.cookieHeaders()).toEqual(['a=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT']);
  });
});

describe('setSignedCookie', () => {
  const SECRET = 'test-secret-key';

  it('signs with the cookie name and salt; the value reads back with the same', () => {
    const response = new HttpResponse();
    response.setSignedCookie('cart', '42', { salt: 'shop', secretKey: SECRET, httpOnly: true });
    const cookie = response.cookies.get('cart')!;
    expect(cookie.value).toMatch(/^42:[0-9A-Za-z]+:[A-Za-z0-9_-]+$/);
    expect(cookie.serialized).toMatch(/^cart=42%3A[0-9A-Za-z]+%3A[A-Za-z0-9_-]+; Path=\/; HttpOnly$/);
    const received = roundTrip(cookie.serialized).cart;
    expect(unsignCookieValue('cart', received, SECRET, 'shop')).toBe('42');
    expect(() => unsignCookieValue('cart', received, SECRET, 'other')).toThrow(BadSignature);
  });

  it('uses the secret key given to configureResponses', () => {
    configureResponses({ secretKey: 'app-wide' });
    try {
      const response = new HttpResponse();
      response.setSignedCookie('n', 'v');
      expect(unsignCookieValue('n', response.cookies.get('n')!.value, 'app-wide')).toBe('v');
    } finally {
      configureResponses({ secretKey: '' });
    }
  });

  it('without any secret key it throws ImproperlyConfigured', () => {
    expect(() => new HttpResponse().setSignedCookie('n', 'v')).toThrow(ImproperlyConfigured);
  });
});
