/**
 * Django's tests/responses/test_cookie.py, translated: django/django at commit
 * 10c5e6a1cf649346b35eb8cb8a5a2a183ca40925 (the newest version read_file gave: Django 6.0's, with
 * the `__Secure-`/`__Host-` prefix checks). One test per Django test method, by its Django name.
 *
 * Mapping: `response.cookies["c"]["max-age"]` is `response.cookies.get('c')!.options.maxAge`;
 * Django's unset attribute `""` is `undefined` here (`false` for the flags); Django's ValueError
 * is a TypeError or RangeError (JavaScript has no ValueError).
 *
 * Not translated (no counterpart):
 * - SetCookieTests.test_max_age_timedelta: `maxAge` is a number of seconds; JavaScript has no
 *   timedelta.
 */
import { HttpResponse } from '../../src/http/http-response';

function cookie(response: HttpResponse, name: string) {
  const found = response.cookies.get(name);
  if (found === undefined) throw new Error(`no cookie ${name}`);
  return found;
}

describe('SetCookieTests', () => {
  afterEach(() => jest.useRealTimers());

  it('test_near_expiration: a Date 10 s ahead gives Max-Age=10', () => {
    // Django sleeps 1 ms so that the clock moves past the expiry's fraction; JavaScript's clock
    // counts milliseconds, so the same millisecond is the common case: hold the clock still.
    jest.useFakeTimers({ now: new Date('2025-06-01T12:00:00.000Z') });
    const response = new HttpResponse();
    const expires = new Date(Date.now() + 10_000);
    response.setCookie('datetime', '', { expires });
    expect(cookie(response, 'datetime').options.maxAge).toBe(10);
    expect(cookie(response, 'datetime').options.expires).toBe('Sun, 01 Jun 2025 12:00:10 GMT');
    // And one millisecond later, as Django's test has it.
    jest.setSystemTime(Date.now() + 1);
    response.setCookie('datetime', '', { expires });
    expect(cookie(response, 'datetime').options.maxAge).toBe(10);
  });

  it('test_aware_expiration: a Date written with a UTC offset gives the same Max-Age', () => {
    jest.useFakeTimers({ now: new Date('2025-06-01T12:00:00.000Z') });
    const response = new HttpResponse();
    response.setCookie('datetime', '', { expires: new Date('2025-06-01T14:00:10.000+02:00') });
    expect(cookie(response, 'datetime').options.maxAge).toBe(10);
  });

  it('test_create_cookie_after_deleting_cookie: setting a cookie after deletion clears the expiry date', () => {
    const response = new HttpResponse();
    response.setCookie('c', 'old-value');
    expect(cookie(response, 'c').options.expires).toBeUndefined();
    response.deleteCookie('c');
    expect(cookie(response, 'c').options.expires).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    response.setCookie('c', 'new-value');
    expect(cookie(response, 'c').options.expires).toBeUndefined();
  });

  it('test_far_expiration: a distant Date becomes Expires (to within the second, #23450)', () => {
    const response = new HttpResponse();
    const future = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 0, 1, 4, 5, 6));
    response.setCookie('datetime', '', { expires: future });
    expect([future.toUTCString(), new Date(future.getTime() + 1000).toUTCString()]).toContain(
      cookie(response, 'datetime').options.expires,
    );
  });

  it('test_max_age_expiration: maxAge also sets Expires to now + maxAge', () => {
    const now = new Date('2025-06-01T12:00:00.500Z');
    jest.useFakeTimers({ now });
    const response = new HttpResponse();
    response.setCookie('max_age', '', { maxAge: 10 });
    expect(cookie(response, 'max_age').options.maxAge).toBe(10);
    expect(cookie(response, 'max_age').options.expires).toBe('Sun, 01 Jun 2025 12:00:10 GMT');
  });

  it('test_max_age_int: a fractional maxAge is truncated', () => {
    const response = new HttpResponse();
    response.setCookie('max_age', '', { maxAge: 10.6 });
    expect(cookie(response, 'max_age').options.maxAge).toBe(10);
  });

  it('test_max_age_with_expires', () => {
    const response = new HttpResponse();
    expect(() => response.setCookie('max_age', '', { expires: new Date(2000, 0, 1), maxAge: 3600 })).toThrow(
      "'expires' and 'maxAge' can't be used together.",
    );
  });

  it('test_httponly_cookie', () => {
    const response = new HttpResponse();
    response.setCookie('example', '', { httpOnly: true });
    expect(cookie(response, 'example').serialized).toContain('; HttpOnly');
    expect(cookie(response, 'example').options.httpOnly).toBe(true);
  });

  it('test_unicode_cookie: setCookie() works with Unicode data', () => {
    const response = new HttpResponse();
    response.setCookie('test', '清風');
    expect(cookie(response, 'test').value).toBe('清風');
  });

  it('test_samesite: kept in the case it was given', () => {
    const response = new HttpResponse();
    response.setCookie('example', '', { sameSite: 'None' });
    expect(cookie(response, 'example').options.sameSite).toBe('None');
    response.setCookie('example', '', { sameSite: 'Lax' });
    expect(cookie(response, 'example').options.sameSite).toBe('Lax');
    response.setCookie('example', '', { sameSite: 'strict' });
    expect(cookie(response, 'example').options.sameSite).toBe('strict');
    expect(cookie(response, 'example').serialized).toBe('example=; Path=/; SameSite=strict');
  });

  it('test_invalid_samesite', () => {
    expect(() => new HttpResponse().setCookie('example', '', { sameSite: 'invalid' })).toThrow(
      'samesite must be "lax", "none", or "strict".',
    );
  });

  it('test_secure_prefix_requires_secure: no __Secure-/__Host- cookie without Secure (browsers drop it)', () => {
    for (const prefix of ['Secure', 'Host']) {
      expect(() => new HttpResponse().setCookie(`__${prefix}-c`, 'value')).toThrow(
        `Cookies with names starting with "__${prefix}-" must set secure=True.`,
      );
    }
  });

  it('test_secure_prefix_with_secure', () => {
    const response = new HttpResponse();
    for (const prefix of ['Secure', 'Host']) {
      response.setCookie(`__${prefix}-c`, 'value', { secure: true });
      expect(cookie(response, `__${prefix}-c`).options.secure).toBe(true);
    }
  });

  it('test_host_prefix_requires_path_root', () => {
    expect(() => new HttpResponse().setCookie('__Host-c', 'value', { secure: true, path: '/sub/' })).toThrow(
      'Cookies with names starting with "__Host-" must set path="/".',
    );
  });

  it('test_host_prefix_forbids_domain', () => {
    expect(() => new HttpResponse().setCookie('__Host-c', 'value', { secure: true, domain: 'example.com' })).toThrow(
      'Cookies with names starting with "__Host-" must not set domain.',
    );
  });
});

describe('DeleteCookieTests', () => {
  it('test_default', () => {
    const response = new HttpResponse();
    response.deleteCookie('c');
    const { options } = cookie(response, 'c');
    expect(options.expires).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(options.maxAge).toBe(0);
    expect(options.path).toBe('/');
    expect(options.secure).toBe(false);
    expect(options.domain).toBeUndefined();
    expect(options.sameSite).toBeUndefined();
  });

  it('test_delete_cookie_secure_prefix: Secure for __Host-/__Secure- names, or browsers ignore it', () => {
    const response = new HttpResponse();
    for (const prefix of ['Secure', 'Host']) {
      response.deleteCookie(`__${prefix}-c`);
      expect(cookie(response, `__${prefix}-c`).options.secure).toBe(true);
    }
  });

  it("test_delete_cookie_secure_samesite_none: Secure for sameSite 'none'", () => {
    const response = new HttpResponse();
    response.deleteCookie('c', { sameSite: 'none' });
    expect(cookie(response, 'c').options.secure).toBe(true);
  });

  it('test_delete_cookie_samesite', () => {
    const response = new HttpResponse();
    response.deleteCookie('c', { sameSite: 'lax' });
    expect(cookie(response, 'c').options.sameSite).toBe('lax');
  });
});
