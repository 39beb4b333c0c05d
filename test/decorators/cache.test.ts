import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container } from 'tsyringe';
import {
  CacheControl,
  Client,
  Condition,
  Controller,
  createApp,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpResponse,
  ImproperlyConfigured,
  LoginRequired,
  NeverCache,
  PermissionDenied,
  Post,
  StreamingHttpResponse,
  VaryOnCookie,
  VaryOnHeaders,
  type HttpRequest,
  type Middleware,
} from '../../src';
import { buildRouter } from '../../src/core/route-table';

// Issue 21 item 4: django/views/decorators/cache.py (`cache_control`, `never_cache`) and
// vary.py (`vary_on_headers`, `vary_on_cookie`), through the whole pipeline.

// Django's NeverCacheDecoratorTest freezes time.time() at 1167616461.
const NOW = 1167616461_000;
const NOW_TEXT = 'Mon, 01 Jan 2007 01:54:21 GMT';
const NEVER = 'max-age=0, no-cache, no-store, must-revalidate, private';

@Controller('/pages')
class PageController {
  @Get('/prices/')
  @CacheControl({ public: true, maxAge: 300, staleWhileRevalidate: 60 })
  prices() {
    return { eur: 1.08 };
  }

  @Get('/account/')
  @NeverCache()
  account() {
    return 'Your account';
  }

  @Get('/greeting/')
  @VaryOnHeaders('Accept-Language', 'User-Agent')
  greeting(request: HttpRequest) {
    return `Hello in ${request.headers.get('Accept-Language') ?? 'en'}`;
  }

  @Get('/home/')
  @VaryOnCookie()
  home() {
    return 'Home';
  }

  // Stacked: applied bottom-up, as Django's wrappers are (the handler's own header first).
  @Get('/stacked/')
  @CacheControl({ maxAge: 3600, public: true })
  @VaryOnCookie()
  @CacheControl({ maxAge: 60, private: true })
  stacked() {
    return new HttpResponse('stacked', { headers: { 'Cache-Control': 'no-transform', Vary: 'Accept-Encoding' } });
  }

  @Get('/async/')
  @NeverCache()
  async later() {
    await new Promise((resolve) => setImmediate(resolve));
    return 'later';
  }

  @Get('/stream/')
  @CacheControl({ noCache: true })
  stream() {
    return new StreamingHttpResponse(['a', 'b']);
  }

  @Get('/denied/')
  @NeverCache()
  denied(): string {
    throw new PermissionDenied();
  }

  @Get('/private/')
  @NeverCache()
  @LoginRequired()
  privatePage() {
    return 'secret';
  }

  @Get('/versioned/')
  @CacheControl({ maxAge: 60 })
  @Condition({ etag: () => '"v1"' })
  versioned() {
    return 'v1';
  }

  @Post('/submit/')
  @NeverCache()
  submit() {
    return 'done';
  }

  @Get('/plain/')
  plain() {
    return 'plain';
  }
}

@Controller('/settings')
@NeverCache()
class SettingsController {
  @Get('/')
  index() {
    return 'settings';
  }

  @Get('/shared/')
  @CacheControl({ maxAge: 60 })
  shared() {
    return 'shared';
  }
}

function client(middleware: Middleware[] = []) {
  const app = createApp({
    controllers: [PageController, SettingsController],
    middleware,
    container: container.createChildContainer(),
    settings: { secretKey: 's', loginUrl: '/login/' },
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(NOW));
afterEach(() => jest.restoreAllMocks());

describe('@CacheControl', () => {
  test('sets the directives in the order given', async () => {
    const response = await client().get('/pages/prices/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=60');
    expect(response.json()).toEqual({ eur: 1.08 });
  });

  test('stacked decorators apply innermost first, merging with the handler\'s own header', async () => {
    const response = await client().get('/pages/stacked/');
    // Inner: max-age=60, private added; middle: Cookie; outer: max-age=min(60, 3600), public replaces private.
    expect(response.headers.get('Cache-Control')).toBe('no-transform, max-age=60, public');
    expect(response.headers.get('Vary')).toBe('Accept-Encoding, Cookie');
  });

  test('a streaming response gets the header too', async () => {
    const response = await client().get('/pages/stream/');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
    expect(response.body.toString()).toBe('ab');
  });

  test('a 304 answered from @Condition carries it (RFC 9110 §15.4.5), as does the 200', async () => {
    const c = client();
    const full = await c.get('/pages/versioned/');
    expect([full.statusCode, full.headers.get('ETag'), full.headers.get('Cache-Control')]).toEqual([200, '"v1"', 'max-age=60']);
    const notModified = await c.get('/pages/versioned/', undefined, { headers: { 'If-None-Match': '"v1"' } });
    expect([notModified.statusCode, notModified.headers.get('ETag'), notModified.headers.get('Cache-Control')]).toEqual([304, '"v1"', 'max-age=60']);
  });

  test('bad options fail at start, naming the decorator and the handler', () => {
    const define = (options: object) => {
      @Controller('/bad')
      class Bad {
        @Get('/')
        @CacheControl(options)
        page() {
          return '';
        }
      }
      return Bad;
    };
    expect(() => define({ maxAge: -1 })).toThrow(
      new ImproperlyConfigured('@CacheControl() on Bad.page: Cache-Control option maxAge must be a non-negative whole number of seconds (got -1).'),
    );
    expect(() => define({ public: true, private: true })).toThrow(
      new ImproperlyConfigured('@CacheControl() on Bad.page: Cache-Control options public and private exclude each other: choose one.'),
    );
    expect(() => define({})).toThrow(new ImproperlyConfigured('@CacheControl() on Bad.page: no directive given (e.g. { maxAge: 60 })'));
  });
});

describe('@NeverCache', () => {
  test('Expires now and the never-cache Cache-Control (test_never_cache_decorator_headers)', async () => {
    const response = await client().get('/pages/account/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Expires')).toBe(NOW_TEXT);
    expect(response.headers.get('Cache-Control')).toBe(NEVER);
    expect(response.text).toBe('Your account');
  });

  test('an async handler, a POST, and the default middleware stack', async () => {
    const c = client(DEFAULT_MIDDLEWARE as Middleware[]);
    const later = await c.get('/pages/async/');
    expect([later.text, later.headers.get('Cache-Control'), later.headers.get('Expires')]).toEqual(['later', NEVER, NOW_TEXT]);
    const posted = await c.post('/pages/submit/');
    expect([posted.statusCode, posted.headers.get('Cache-Control')]).toEqual([200, NEVER]);
  });

  test("a guard's redirect gets it too: it answers for the route", async () => {
    const response = await client(DEFAULT_MIDDLEWARE as Middleware[]).get('/pages/private/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/login/?next=/pages/private/');
    expect(response.headers.get('Cache-Control')).toBe(NEVER);
  });

  test('an exception passes by it, as through Django\'s wrapper: the 403 page has no cache headers', async () => {
    const response = await client().get('/pages/denied/');
    expect(response.statusCode).toBe(403);
    expect(response.headers.has('Cache-Control')).toBe(false);
    expect(response.headers.has('Expires')).toBe(false);
  });

  test('on a controller it covers every handler, applied after the handler\'s own', async () => {
    const c = client();
    const index = await c.get('/settings/');
    expect(index.headers.get('Cache-Control')).toBe(NEVER);
    // Handler first (max-age=60), then the class: max-age=min(60, 0).
    const shared = await c.get('/settings/shared/');
    expect(shared.headers.get('Cache-Control')).toBe(NEVER);
  });
});

describe('@VaryOnHeaders and @VaryOnCookie', () => {
  test('add the names to Vary', async () => {
    const c = client();
    expect((await c.get('/pages/greeting/')).headers.get('Vary')).toBe('Accept-Language, User-Agent');
    expect((await c.get('/pages/home/')).headers.get('Vary')).toBe('Cookie');
  });

  test('a name that is not a header name fails at start', () => {
    const define = (...names: string[]) => {
      @Controller('/bad')
      class BadVary {
        @Get('/')
        @VaryOnHeaders(...names)
        page() {
          return '';
        }
      }
      return BadVary;
    };
    expect(() => define('Cookie, Authorization')).toThrow(
      new ImproperlyConfigured('@VaryOnHeaders() on BadVary.page: Vary takes header names; "Cookie, Authorization" is not one.'),
    );
    expect(() => define()).toThrow(new ImproperlyConfigured('@VaryOnHeaders() on BadVary.page: give at least one header name'));
  });
});

describe('routes without these decorators', () => {
  test('compile with responsePatches null and answer without the headers', async () => {
    const router = buildRouter([PageController], container.createChildContainer());
    expect(router.match('GET', '/pages/plain/')!.value!.responsePatches).toBeNull();
    expect(router.match('GET', '/pages/home/')!.value!.responsePatches).toHaveLength(1);
    const response = await client().get('/pages/plain/');
    expect(response.headers.has('Cache-Control')).toBe(false);
    expect(response.headers.has('Vary')).toBe(false);
    expect(response.headers.has('Expires')).toBe(false);
  });
});
