import { createHash } from 'node:crypto';
import {
  addNeverCacheHeaders,
  getMaxAge,
  hasVaryHeader,
  HttpResponse,
  patchCacheControl,
  patchResponseHeaders,
  patchVaryHeaders,
  setResponseEtag,
  StreamingHttpResponse,
  type CacheControlOptions,
} from '../../src';

// Issue 21 item 4: django/utils/cache.py's header helpers. The tables are Django's CacheUtils
// tests (tests/cache/tests.py) with its keyword arguments camelCased; where Reinhardt differs on
// purpose (options it refuses), the test says so.

// Django's cc_delim_re: the tests compare the directives as a set, as Django's do.
const parts = (header: string | undefined) => new Set((header ?? '').split(/\s*,\s*/));

describe('patchVaryHeaders (CacheUtils.test_patch_vary_headers)', () => {
  test.each([
    // Initial Vary, new headers, resulting Vary.
    [null, ['Accept-Encoding'], 'Accept-Encoding'],
    ['Accept-Encoding', ['accept-encoding'], 'Accept-Encoding'],
    ['Accept-Encoding', ['ACCEPT-ENCODING'], 'Accept-Encoding'],
    ['Cookie', ['Accept-Encoding'], 'Cookie, Accept-Encoding'],
    ['Cookie, Accept-Encoding', ['Accept-Encoding'], 'Cookie, Accept-Encoding'],
    ['Cookie, Accept-Encoding', ['Accept-Encoding', 'cookie'], 'Cookie, Accept-Encoding'],
    [null, ['Accept-Encoding', 'COOKIE'], 'Accept-Encoding, COOKIE'],
    ['Cookie,     Accept-Encoding', ['Accept-Encoding', 'cookie'], 'Cookie, Accept-Encoding'],
    ['Cookie    ,     Accept-Encoding', ['Accept-Encoding', 'cookie'], 'Cookie, Accept-Encoding'],
    // RFC 9110 §12.5.5: `*` on either side is `Vary: *`.
    ['*', ['Accept-Language', 'Cookie'], '*'],
    ['Accept-Language, Cookie', ['*'], '*'],
  ] as const)('Vary %p + %p = %p', (initial, added, expected) => {
    const response = new HttpResponse();
    if (initial !== null) response.headers.set('Vary', initial);
    patchVaryHeaders(response, added);
    expect(response.headers.get('Vary')).toBe(expected);
  });

  test('a name that is not an HTTP token is refused, so a comma cannot smuggle in another name', () => {
    const response = new HttpResponse();
    expect(() => patchVaryHeaders(response, ['Cookie, Authorization'])).toThrow(new TypeError('Vary takes header names; "Cookie, Authorization" is not one.'));
    expect(() => patchVaryHeaders(response, ['X\r\nSet-Cookie: a=b'])).toThrow(TypeError);
    expect(response.headers.has('Vary')).toBe(false);
  });
});

describe('hasVaryHeader', () => {
  test('finds a name in any case and only whole names', () => {
    const response = new HttpResponse();
    expect(hasVaryHeader(response, 'Cookie')).toBe(false);
    response.headers.set('Vary', 'Accept-Encoding,   Cookie');
    expect(hasVaryHeader(response, 'cookie')).toBe(true);
    expect(hasVaryHeader(response, 'ACCEPT-ENCODING')).toBe(true);
    expect(hasVaryHeader(response, 'Accept')).toBe(false);
  });
});

describe('patchCacheControl (CacheUtils.test_patch_cache_control)', () => {
  test.each<[string | null, CacheControlOptions, string[]]>([
    // Initial Cache-Control, options, expected directives.
    [null, { private: true }, ['private']],
    ['', { private: true }, ['private']],
    // no-cache.
    ['', { noCache: 'Set-Cookie' }, ['no-cache=Set-Cookie']],
    ['no-cache=Set-Cookie', { noCache: true }, ['no-cache']],
    ['no-cache=Set-Cookie,no-cache=Link', { noCache: true }, ['no-cache']],
    ['no-cache=Set-Cookie', { noCache: 'Link' }, ['no-cache=Set-Cookie', 'no-cache=Link']],
    ['no-cache=Set-Cookie,no-cache=Link', { noCache: 'Custom' }, ['no-cache=Set-Cookie', 'no-cache=Link', 'no-cache=Custom']],
    ['', { noCache: ['Set-Cookie', 'Link'] }, ['no-cache=Set-Cookie', 'no-cache=Link']],
    // Whether private/public attributes are mutually exclusive.
    ['private', { private: true }, ['private']],
    ['private', { public: true }, ['public']],
    ['public', { public: true }, ['public']],
    ['public', { private: true }, ['private']],
    ['must-revalidate,max-age=60,private', { public: true }, ['must-revalidate', 'max-age=60', 'public']],
    ['must-revalidate,max-age=60,public', { private: true }, ['must-revalidate', 'max-age=60', 'private']],
    ['must-revalidate,max-age=60', { public: true }, ['must-revalidate', 'max-age=60', 'public']],
  ])('%p + %p', (initial, options, expected) => {
    const response = new HttpResponse();
    if (initial !== null) response.headers.set('Cache-Control', initial);
    patchCacheControl(response, options);
    expect(parts(response.headers.get('Cache-Control'))).toEqual(new Set(expected));
  });

  test('directives go out in the order given, after the ones the response had, names in lower case', () => {
    const response = new HttpResponse('', { headers: { 'Cache-Control': 'No-Transform, max-age=600' } });
    patchCacheControl(response, { sMaxage: 60, maxAge: 300, staleWhileRevalidate: 30, staleIfError: 86400, immutable: true });
    expect(response.headers.get('Cache-Control')).toBe('no-transform, max-age=300, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400, immutable');
  });

  test('of two max-ages the smaller wins (a decorator and a middleware on one view)', () => {
    const response = new HttpResponse('', { headers: { 'Cache-Control': 'max-age=60' } });
    patchCacheControl(response, { maxAge: 3600 });
    expect(response.headers.get('Cache-Control')).toBe('max-age=60');
    patchCacheControl(response, { maxAge: 10 });
    expect(response.headers.get('Cache-Control')).toBe('max-age=10');
  });

  test('a max-age already there that is not a number is replaced, not a crash (Django raises ValueError)', () => {
    const response = new HttpResponse('', { headers: { 'Cache-Control': 'max-age=soon' } });
    patchCacheControl(response, { maxAge: 30 });
    expect(response.headers.get('Cache-Control')).toBe('max-age=30');
  });

  test('false adds nothing and removes nothing', () => {
    const response = new HttpResponse('', { headers: { 'Cache-Control': 'private' } });
    patchCacheControl(response, { public: false, noStore: false, mustRevalidate: true });
    expect(response.headers.get('Cache-Control')).toBe('private, must-revalidate');
    const fresh = new HttpResponse();
    patchCacheControl(fresh, { noStore: false });
    expect(fresh.headers.has('Cache-Control')).toBe(false);
  });

  test('options it cannot write as a valid header are refused, naming the option (Django writes them)', () => {
    const response = new HttpResponse();
    const refused: [unknown, string][] = [
      [{ max_age: 60 }, "Unknown Cache-Control option 'max_age'; the options are maxAge, sMaxage, public, private, noCache, noStore, noTransform, mustRevalidate, proxyRevalidate, mustUnderstand, immutable, staleWhileRevalidate, staleIfError."],
      [{ maxAge: -1 }, 'Cache-Control option maxAge must be a non-negative whole number of seconds (got -1).'],
      [{ maxAge: 1.5 }, 'Cache-Control option maxAge must be a non-negative whole number of seconds (got 1.5).'],
      [{ sMaxage: '60' }, 'Cache-Control option sMaxage must be a non-negative whole number of seconds (got 60).'],
      [{ noCache: 'Set-Cookie, public' }, 'Cache-Control option noCache takes header names; "Set-Cookie, public" is not one.'],
      [{ noCache: '"Set-Cookie"' }, 'Cache-Control option noCache takes header names; "\\"Set-Cookie\\"" is not one.'],
      [{ noCache: [] }, 'Cache-Control option noCache needs at least one header name (or true).'],
      [{ noStore: 'yes' }, 'Cache-Control option noStore must be true or false (got yes).'],
      [{ public: true, private: true }, 'Cache-Control options public and private exclude each other: choose one.'],
    ];
    for (const [options, message] of refused) {
      expect(() => patchCacheControl(response, options as CacheControlOptions)).toThrow(new TypeError(message));
    }
    expect(response.headers.has('Cache-Control')).toBe(false);
  });
});

describe('getMaxAge', () => {
  test.each([
    [null, null],
    ['private', null],
    ['max-age=3600', 3600],
    ['public, Max-Age=0', 0],
    ['max-age=60, max-age=30', 30],
    ['max-age=abc', null],
    ['max-age=-5', null],
    ['max-age="60"', null],
  ])('Cache-Control %p: %p', (header, expected) => {
    const response = new HttpResponse();
    if (header !== null) response.headers.set('Cache-Control', header);
    expect(getMaxAge(response)).toBe(expected);
  });

  test('reads what patchCacheControl wrote', () => {
    const response = new HttpResponse();
    patchCacheControl(response, { maxAge: 3600 });
    expect(getMaxAge(response)).toBe(3600);
  });
});

describe('patchResponseHeaders and addNeverCacheHeaders', () => {
  // Django's NeverCacheDecoratorTest freezes time.time() at 1167616461.
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1167616461_000));
  afterEach(() => jest.restoreAllMocks());

  test('patchResponseHeaders sets Expires that far ahead and max-age', () => {
    const response = new HttpResponse();
    patchResponseHeaders(response, 3600);
    expect(response.headers.get('Expires')).toBe('Mon, 01 Jan 2007 02:54:21 GMT');
    expect(response.headers.get('Cache-Control')).toBe('max-age=3600');
  });

  test('patchResponseHeaders keeps an Expires already set and the smaller max-age; a negative timeout is 0', () => {
    const response = new HttpResponse('', { headers: { Expires: 'tomorrow', 'Cache-Control': 'public, max-age=60' } });
    patchResponseHeaders(response, 3600);
    expect(response.headers.get('Expires')).toBe('tomorrow');
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
    const negative = new HttpResponse();
    patchResponseHeaders(negative, -10);
    expect(negative.headers.get('Expires')).toBe('Mon, 01 Jan 2007 01:54:21 GMT');
    expect(negative.headers.get('Cache-Control')).toBe('max-age=0');
    expect(() => patchResponseHeaders(negative, 0.5)).toThrow(new TypeError('The cache timeout must be a whole number of seconds (got 0.5).'));
  });

  test('addNeverCacheHeaders (NeverCacheDecoratorTest.test_never_cache_decorator_headers)', () => {
    const response = new HttpResponse();
    addNeverCacheHeaders(response);
    expect(response.headers.get('Expires')).toBe('Mon, 01 Jan 2007 01:54:21 GMT');
    expect(response.headers.get('Cache-Control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
  });

  test('addNeverCacheHeaders keeps Expires (test_never_cache_decorator_expires_not_overridden) and overrides public', () => {
    const response = new HttpResponse('', { headers: { Expires: 'tomorrow', 'Cache-Control': 'public, max-age=3600' } });
    addNeverCacheHeaders(response);
    expect(response.headers.get('Expires')).toBe('tomorrow');
    expect(response.headers.get('Cache-Control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
  });
});

describe('setResponseEtag', () => {
  test('a weak ETag of the md5 of the body', () => {
    const response = setResponseEtag(new HttpResponse('hello'));
    expect(response.headers.get('ETag')).toBe('W/"5d41402abc4b2a76b9719d911017c592"');
    const bytes = Buffer.from([0, 255, 1]);
    const binary = setResponseEtag(new HttpResponse(bytes, { contentType: 'application/octet-stream' }));
    expect(binary.headers.get('ETag')).toBe(`W/"${createHash('md5').update(bytes).digest('hex')}"`);
  });

  test('no ETag for an empty or a streaming body', () => {
    expect(setResponseEtag(new HttpResponse()).headers.has('ETag')).toBe(false);
    expect(setResponseEtag(new StreamingHttpResponse(['content'])).headers.has('ETag')).toBe(false);
  });
});
