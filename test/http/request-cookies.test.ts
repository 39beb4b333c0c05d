/**
 * request.COOKIES: Django's parse_cookie rules (django/http/cookie.py; cases from Django's
 * tests/httpwrappers/tests.py CookieTests, which copy Python's test_http_cookies.py), and the one
 * rule the SPEC changes: a repeated name keeps the first value (RFC 6265 §5.4 order).
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { parse } from 'cookie';
import { resolveSettings } from '../../src/core/settings';
import { HttpRequest } from '../../src/http/http-request';
import { decodeCookieValue, parseCookieHeader } from '../../src/http/request-cookies';

function requestWith(rawHeaders: string[]): HttpRequest {
  const req = Object.assign(Readable.from([]), {
    method: 'GET',
    url: '/',
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: 80, encrypted: false },
  });
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: 's' }));
}

const plain = (header: string): Record<string, string> => ({ ...parseCookieHeader(header) });

describe('parseCookieHeader: Django parse_cookie rules', () => {
  test('splits pairs on ";" and each pair at its first "="', () => {
    expect(plain('chips=ahoy; vienna=finger')).toEqual({ chips: 'ahoy', vienna: 'finger' });
    expect(plain('keebler=E=mc2')).toEqual({ keebler: 'E=mc2' });
  });

  test('every ";" is a delimiter, even inside quotes (Django differs from Python SimpleCookie here)', () => {
    expect(plain('keebler="E=mc2; L=\\"Loves\\"; fudge=\\012;"')).toEqual({
      keebler: '"E=mc2',
      L: '\\"Loves\\"',
      fudge: '\\012',
      '': '"',
    });
  });

  test('a chunk without "=" is a value with an empty name (Mozilla bug 169091)', () => {
    expect(plain('abc=def; unnamed; django_language=en')).toEqual({ abc: 'def', '': 'unnamed', django_language: 'en' });
    expect(plain('a=b; "; c=d')).toEqual({ a: 'b', '': '"', c: 'd' });
    expect(plain('lonely')).toEqual({ '': 'lonely' });
  });

  test('names and values are stripped; empty chunks and chunks with neither name nor value are skipped', () => {
    expect(plain('  =  b  ;  ;  =  ;   c  =  ;  ')).toEqual({ '': 'b', c: '' });
    expect(plain('a b c=d e = f; gh=i')).toEqual({ 'a b c': 'd e = f', gh: 'i' });
    expect(plain(';;a=1;;')).toEqual({ a: '1' });
    expect(plain('')).toEqual({});
  });

  test('names the RFC forbids are kept, and one bad name does not lose the others (#13007, #15852)', () => {
    expect(plain('good_cookie=yes;bad:cookie=yes')).toEqual({ good_cookie: 'yes', 'bad:cookie': 'yes' });
    expect(plain('a:=b; a:=c; good_cookie=yes')).toEqual({ 'a:': 'b', good_cookie: 'yes' });
    expect(plain('key:term=value:term')).toEqual({ 'key:term': 'value:term' });
    expect(plain('a=b; c=[; d=r; f=h')).toEqual({ a: 'b', c: '[', d: 'r', f: 'h' });
    expect(plain('a   b,c<>@:/[]?{}=d  "  =e,f g')).toEqual({ 'a   b,c<>@:/[]?{}': 'd  "  =e,f g' });
    expect(plain('a=b; Domain=example.com')).toEqual({ a: 'b', Domain: 'example.com' });
  });

  test('non-ASCII values are kept', () => {
    expect(plain('saint=André Bessette')).toEqual({ saint: 'André Bessette' });
  });

  test('a repeated name keeps the FIRST value: the most specific path comes first (RFC 6265 §5.4)', () => {
    // Django's dict keeps the last ('c'); the SPEC holds to RFC order.
    expect(plain('a=b; h=i; a=c')).toEqual({ a: 'b', h: 'i' });
    expect(plain('=x; lone; =y')).toEqual({ '': 'x' });
    expect(plain('lone; =y')).toEqual({ '': 'lone' });
  });

  test('quoted values are unquoted as Python http.cookies does (Django set_cookie quoting round-trips)', () => {
    // SimpleCookie()["test"] = "An,awkward;value" is sent as test="An\054awkward\073value".
    expect(plain('test="An\\054awkward\\073value"')).toEqual({ test: 'An,awkward;value' });
    expect(decodeCookieValue('"a\\"b\\\\c"')).toBe('a"b\\c');
    expect(decodeCookieValue('""')).toBe('');
    expect(decodeCookieValue('"')).toBe('"');
  });

  test('unquoted values are percent-decoded (cookie.serialize encodes them); a bad escape stays as sent', () => {
    expect(plain('msg=hello%20world%3B%20%E2%82%AC')).toEqual({ msg: 'hello world; €' });
    expect(plain('bad=100%; worse=%E2%82')).toEqual({ bad: '100%', worse: '%E2%82' });
    // A quoted value is not percent-decoded (Python's unquoting only).
    expect(plain('q="a%20b"')).toEqual({ q: 'a%20b' });
  });

  test('the result does not inherit from Object.prototype, so "__proto__" and "constructor" are plain names', () => {
    const cookies = parseCookieHeader('__proto__=x; constructor=y; toString=z');
    expect(Object.prototype.isPrototypeOf(cookies)).toBe(false);
    expect(parseCookieHeader('a=1').constructor).toBeUndefined();
    expect(cookies['__proto__']).toBe('x');
    expect(cookies.constructor).toBe('y');
    expect(Object.keys(cookies)).toEqual(['__proto__', 'constructor', 'toString']);
  });

  test('agrees with cookie.parse wherever Django and cookie.parse agree', () => {
    const header = 'sessionid=abc; theme=dark; csrftoken=Zm9v==';
    expect(plain(header)).toEqual({ ...parse(header) });
  });
});

describe('request.COOKIES', () => {
  test('parses the Cookie header once and returns the same object on every access', () => {
    const request = requestWith(['Host', 'testserver', 'Cookie', 'sessionid=abc; theme=dark']);
    const cookies = request.COOKIES;
    expect({ ...cookies }).toEqual({ sessionid: 'abc', theme: 'dark' });
    expect(request.COOKIES).toBe(cookies);
  });

  test('is an empty object without a Cookie header', () => {
    const request = requestWith(['Host', 'testserver']);
    expect(Object.keys(request.COOKIES)).toEqual([]);
    expect(request.COOKIES.sessionid).toBeUndefined();
  });

  test('several Cookie header lines are joined with "; " (RFC 6265 §5.4), the first of a repeated name winning', () => {
    const request = requestWith(['Cookie', 'a=1; b=2', 'cookie', 'c=3; a=9']);
    expect(request.META.HTTP_COOKIE).toBe('a=1; b=2; c=3; a=9');
    expect({ ...request.COOKIES }).toEqual({ a: '1', b: '2', c: '3' });
    // Read before META exists (straight from rawHeaders): the same result.
    const early = requestWith(['Cookie', 'a=1; b=2', 'cookie', 'c=3; a=9']);
    expect({ ...early.COOKIES }).toEqual({ a: '1', b: '2', c: '3' });
    expect(requestWith(['Cookie_x', 'a=1']).COOKIES).toEqual({});
  });
});
