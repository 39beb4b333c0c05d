import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { createHash } from 'node:crypto';
import { container } from 'tsyringe';
import {
  Client,
  ConditionalGetMiddleware,
  Controller,
  createApp,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpResponse,
  NeverCache,
  Post,
  Put,
  StreamingHttpResponse,
  type Middleware,
} from '../../src';

// Issue 21 item 4: Django's ConditionalGetMiddleware (django/middleware/http.py) with the body
// ETag of set_response_etag, weak here. The tests are Django's ConditionalGetMiddlewareTest
// (tests/middleware/tests.py), through the whole pipeline.

const PAGE = '<p>The same page, every time.</p>';
const PAGE_ETAG = `W/"${createHash('md5').update(PAGE).digest('hex')}"`;

/** Headers the next response of /page/ gets (Django's `self.resp_headers`). */
let extraHeaders: Record<string, string> = {};

@Controller('')
class PageController {
  @Get('/page/')
  page() {
    return new HttpResponse(PAGE, { headers: extraHeaders });
  }

  @Get('/async/')
  async later() {
    await new Promise((resolve) => setImmediate(resolve));
    return PAGE;
  }

  @Get('/json/')
  json() {
    return { hello: 'wörld' };
  }

  @Get('/empty/')
  empty() {
    return new HttpResponse();
  }

  @Get('/stream/')
  stream() {
    return new StreamingHttpResponse(['content']);
  }

  @Get('/moved/')
  moved() {
    return new HttpResponse('', { status: 301, headers: { ETag: 'spam', Location: '/' } });
  }

  @Get('/bad/')
  bad() {
    return new HttpResponse(PAGE, { status: 400 });
  }

  @Get('/headers/')
  notModifiedHeaders() {
    const response = new HttpResponse(PAGE, {
      headers: {
        Date: 'Sat, 12 Feb 2011 17:35:44 GMT',
        'Last-Modified': 'Sat, 12 Feb 2011 17:35:44 GMT',
        Expires: 'Sun, 13 Feb 2011 17:35:44 GMT',
        Vary: 'Cookie',
        'Cache-Control': 'public',
        'Content-Location': '/alt',
        'Content-Language': 'en',
      },
    });
    response.setCookie('key', 'value');
    return response;
  }

  @Get('/account/')
  @NeverCache()
  account() {
    return PAGE;
  }

  @Put('/page/')
  put() {
    return PAGE;
  }

  @Post('/page/')
  post() {
    return PAGE;
  }
}

function client(middleware: Middleware[] = [ConditionalGetMiddleware]) {
  const app = createApp({
    controllers: [PageController],
    middleware,
    container: container.createChildContainer(),
    settings: { secretKey: 's' },
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

const ifNoneMatch = (etag: string) => ({ headers: { 'If-None-Match': etag } });

beforeEach(() => {
  extraHeaders = {};
});

describe('ConditionalGetMiddleware: the ETag', () => {
  test('is W/"<md5 of the body>" (test_middleware_calculates_etag)', async () => {
    const response = await client().get('/page/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('ETag')).toBe(PAGE_ETAG);
    expect(response.text).toBe(PAGE);
  });

  test('is the hash of the bytes sent, for JSON and for an async handler', async () => {
    const c = client();
    const json = await c.get('/json/');
    expect(json.headers.get('ETag')).toBe(`W/"${createHash('md5').update(Buffer.from('{"hello":"wörld"}', 'utf8')).digest('hex')}"`);
    expect((await c.get('/async/')).headers.get('ETag')).toBe(PAGE_ETAG);
  });

  test("does not replace the handler's own (test_middleware_wont_overwrite_etag)", async () => {
    extraHeaders = { ETag: 'eggs' };
    const response = await client().get('/page/');
    expect([response.statusCode, response.headers.get('ETag')]).toEqual([200, 'eggs']);
  });

  test('none for a streaming or an empty body (test_no_etag_streaming_response, test_no_etag_response_empty_content)', async () => {
    const c = client();
    const streamed = await c.get('/stream/');
    expect([streamed.statusCode, streamed.headers.has('ETag'), streamed.body.toString()]).toEqual([200, false, 'content']);
    expect((await c.get('/empty/')).headers.has('ETag')).toBe(false);
  });

  test('none with Cache-Control no-store, in any case (test_no_etag_no_store_cache), nor under @NeverCache', async () => {
    extraHeaders = { 'Cache-Control': 'No-Cache, No-Store, Max-age=0' };
    const c = client();
    expect((await c.get('/page/')).headers.has('ETag')).toBe(false);
    const account = await c.get('/account/');
    expect([account.headers.get('Cache-Control'), account.headers.has('ETag')]).toEqual(['max-age=0, no-cache, no-store, must-revalidate, private', false]);
  });

  test('an extension directive that only mentions no-store does not stop it (test_etag_extended_cache_control)', async () => {
    extraHeaders = { 'Cache-Control': 'my-directive="my-no-store"' };
    expect((await client().get('/page/')).headers.get('ETag')).toBe(PAGE_ETAG);
  });

  test('none for POST or PUT, and an If-Match there is never a 412 (test_no_unsafe)', async () => {
    const c = client();
    const posted = await c.post('/page/');
    expect([posted.statusCode, posted.headers.has('ETag')]).toEqual([200, false]);
    const put = await c.put('/page/', 'x', { headers: { 'If-Match': PAGE_ETAG } });
    expect([put.statusCode, put.headers.has('ETag')]).toEqual([200, false]);
  });

  test('HEAD gets the ETag of the GET, and a 304 on a match (Django skips HEAD: it cannot see the body)', async () => {
    const c = client();
    const head = await c.head('/page/');
    expect([head.statusCode, head.headers.get('ETag'), head.body.length]).toEqual([200, PAGE_ETAG, 0]);
    expect((await c.head('/page/', undefined, ifNoneMatch(PAGE_ETAG))).statusCode).toBe(304);
  });

  test('off unless listed: the default stack sets none', async () => {
    expect((await client(DEFAULT_MIDDLEWARE as Middleware[]).get('/page/')).headers.has('ETag')).toBe(false);
  });
});

describe('ConditionalGetMiddleware: If-None-Match', () => {
  test('matching the computed ETag is a 304 with the ETag and no body (test_if_none_match_and_same_etag)', async () => {
    const response = await client([...(DEFAULT_MIDDLEWARE as Middleware[]), ConditionalGetMiddleware]).get('/page/', undefined, ifNoneMatch(PAGE_ETAG));
    expect(response.statusCode).toBe(304);
    expect(response.headers.get('ETag')).toBe(PAGE_ETAG);
    expect(response.body.length).toBe(0);
    // The default stack's headers are still there: it runs inside SecurityMiddleware.
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  test('weak comparison: the strong form of the same tag and a list with it match too (RFC 9110 §13.1.2)', async () => {
    const c = client();
    expect((await c.get('/page/', undefined, ifNoneMatch(PAGE_ETAG.slice(2)))).statusCode).toBe(304);
    expect((await c.get('/page/', undefined, ifNoneMatch(`"other", ${PAGE_ETAG}`))).statusCode).toBe(304);
    expect((await c.get('/page/', undefined, ifNoneMatch('*'))).statusCode).toBe(304);
  });

  test('a different or a malformed tag is a 200 with the body (test_if_none_match_and_different_etag)', async () => {
    const c = client();
    const other = await c.get('/page/', undefined, ifNoneMatch('W/"0123"'));
    expect([other.statusCode, other.text]).toEqual([200, PAGE]);
    expect((await c.get('/page/', undefined, ifNoneMatch('spam'))).statusCode).toBe(200);
  });

  test('If-Match with the weak ETag fails on a GET: a weak tag never matches strongly (RFC 9110 §13.1.1)', async () => {
    const response = await client().get('/page/', undefined, { headers: { 'If-Match': PAGE_ETAG } });
    expect(response.statusCode).toBe(412);
  });

  test('a redirect or a client error is never a 304 (test_if_none_match_and_redirect, ..._client_error)', async () => {
    const c = client();
    expect((await c.get('/moved/', undefined, ifNoneMatch('spam'))).statusCode).toBe(301);
    const bad = await c.get('/bad/', undefined, ifNoneMatch(PAGE_ETAG));
    expect([bad.statusCode, bad.headers.get('ETag')]).toEqual([400, PAGE_ETAG]);
  });

  test('the 304 keeps the validators, caching headers and cookies, nothing else (test_not_modified_headers)', async () => {
    const c = client();
    const full = await c.get('/headers/');
    const etag = full.headers.get('ETag')!;
    expect(etag).toBe(PAGE_ETAG);
    const response = await c.get('/headers/', undefined, ifNoneMatch(etag));
    expect(response.statusCode).toBe(304);
    for (const name of ['Cache-Control', 'Content-Location', 'Date', 'ETag', 'Expires', 'Last-Modified', 'Vary']) {
      expect([name, response.headers.get(name)]).toEqual([name, full.headers.get(name)]);
    }
    expect(response.headers.has('Content-Language')).toBe(false);
    expect(response.cookieHeaders()).toEqual(full.cookieHeaders());
  });

  test('If-Modified-Since against the Last-Modified of a response (test_if_modified_since_and_same_last_modified)', async () => {
    extraHeaders = { 'Last-Modified': 'Sat, 12 Feb 2011 17:38:44 GMT' };
    const c = client();
    const same = await c.get('/page/', undefined, { headers: { 'If-Modified-Since': 'Sat, 12 Feb 2011 17:38:44 GMT' } });
    expect(same.statusCode).toBe(304);
    const earlier = await c.get('/page/', undefined, { headers: { 'If-Modified-Since': 'Sat, 12 Feb 2011 17:35:44 GMT' } });
    expect(earlier.statusCode).toBe(200);
  });
});
