import 'reflect-metadata';
import { container } from 'tsyringe';
import {
  CachePage,
  CacheControl,
  cachesFor,
  Client,
  Controller,
  CapturingLogger,
  createApp,
  ETag,
  Get,
  HttpResponse,
  HttpResponseNotFound,
  ImproperlyConfigured,
  JsonResponse,
  Post,
  StreamingHttpResponse,
  VaryOnHeaders,
  type Application,
  type HttpRequest,
  type Settings,
} from '../../src';
import { isSimpleRoute } from '../../src/core/invoke';
import type { CompiledRoute } from '../../src/core/route-table';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

// Issue 21 item 4: Django's cache_page (django/views/decorators/cache.py) is CacheMiddleware
// (django/middleware/cache.py) applied to one view; keys from django/utils/cache.py.

let calls: Record<string, number>;
beforeEach(() => {
  calls = {};
});
function count(name: string): number {
  calls[name] = (calls[name] ?? 0) + 1;
  return calls[name];
}

@Controller('')
class PageController {
  @Get('/polls/')
  @CachePage(60)
  polls(request: HttpRequest) {
    return new JsonResponse({ call: count('polls'), q: request.GET.get('q') ?? null });
  }

  @Get('/plain/')
  plain() {
    return { call: count('plain') };
  }

  @Get('/language/')
  @CachePage(60)
  @VaryOnHeaders('Accept-Language')
  language(request: HttpRequest) {
    return new HttpResponse(`${count('language')}:${request.headers.get('accept-language') ?? ''}`);
  }

  @Get('/cookie/')
  @CachePage(60)
  cookie() {
    const response = new HttpResponse(`call ${count('cookie')}`);
    response.setCookie('theme', 'dark');
    return response;
  }

  @Get('/private/')
  @CachePage(60)
  @CacheControl({ private: true })
  private() {
    return new HttpResponse(`call ${count('private')}`);
  }

  @Get('/shorter/')
  @CachePage(60)
  @CacheControl({ maxAge: 10 })
  shorter() {
    return new HttpResponse(`call ${count('shorter')}`);
  }

  @Get('/missing/')
  @CachePage(60)
  missing() {
    return new HttpResponseNotFound(`call ${count('missing')}`);
  }

  @Get('/stream/')
  @CachePage(60)
  stream() {
    return new StreamingHttpResponse([`call ${count('stream')}`]);
  }

  @Get('/vary-star/')
  @CachePage(60)
  @VaryOnHeaders('*')
  varyStar() {
    return new HttpResponse(`call ${count('varyStar')}`);
  }

  @Get('/tagged/')
  @CachePage(60)
  @ETag(() => 'v1')
  tagged() {
    return new HttpResponse(`call ${count('tagged')}`);
  }

  @Post('/polls/')
  @CachePage(60)
  create() {
    return new HttpResponse(`call ${count('create')}`);
  }
}

const logger = new CapturingLogger();

function build(settings: Partial<Settings> = {}): Application {
  return createApp({ controllers: [PageController], container: container.createChildContainer(), settings: { secretKey: 's', allowedHosts: ['testserver', 'other.test'], ...settings }, logger });
}

describe('@CachePage', () => {
  test('a miss runs the handler and sets Expires and max-age; the next GET is served from the cache without it', async () => {
    const client = new Client(build());
    const before = Math.floor(Date.now() / 1000);
    const first = await client.get('/polls/');
    expect(first.statusCode).toBe(200);
    expect(first.text).toBe('{"call":1,"q":null}');
    expect(first.headers.get('Cache-Control')).toBe('max-age=60');
    const expires = Date.parse(first.headers.get('Expires')!) / 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 60);
    expect(expires).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
    expect(first.headers.get('Age')).toBeUndefined();

    const second = await client.get('/polls/');
    expect(second.statusCode).toBe(200);
    expect(second.text).toBe('{"call":1,"q":null}');
    expect(second.headers.get('Content-Type')).toBe('application/json');
    expect(second.headers.get('Cache-Control')).toBe('max-age=60');
    expect(second.headers.get('Expires')).toBe(first.headers.get('Expires'));
    expect(second.headers.get('Age')).toMatch(/^[01]$/);
    expect(calls.polls).toBe(1);
  });

  test('the key is the full URL: another query string or another host is another page', async () => {
    const client = new Client(build());
    expect((await client.get('/polls/?q=a')).text).toBe('{"call":1,"q":"a"}');
    expect((await client.get('/polls/?q=b')).text).toBe('{"call":2,"q":"b"}');
    expect((await client.get('/polls/?q=a')).text).toBe('{"call":1,"q":"a"}');
    expect((await client.get('/polls/?q=a', undefined, { headers: { Host: 'other.test' } })).text).toBe('{"call":3,"q":"a"}');
    expect((await client.get('/polls/?q=a', undefined, { secure: true })).text).toBe('{"call":4,"q":"a"}');
    expect(calls.polls).toBe(4);
  });

  test('a Host outside allowedHosts is refused (400) before the cache is read or written', async () => {
    const client = new Client(build());
    const response = await client.get('/polls/', undefined, { headers: { Host: 'evil.test' } });
    expect(response.statusCode).toBe(400);
    expect(calls.polls).toBeUndefined();
  });

  test('the request headers the response varies on are part of the key (learn_cache_key)', async () => {
    const client = new Client(build());
    const fr = { headers: { 'Accept-Language': 'fr' } };
    const de = { headers: { 'Accept-Language': 'de' } };
    expect((await client.get('/language/', undefined, fr)).text).toBe('1:fr');
    expect((await client.get('/language/', undefined, de)).text).toBe('2:de');
    expect((await client.get('/language/', undefined, fr)).text).toBe('1:fr');
    const hit = await client.get('/language/', undefined, de);
    expect(hit.text).toBe('2:de');
    expect(hit.headers.get('Vary')).toBe('Accept-Language');
    expect((await client.get('/language/')).text).toBe('3:');
    expect(calls.language).toBe(3);
  });

  test('a response that sets a cookie is never stored: it would hand one visitor\'s cookie to the next', async () => {
    const app = build();
    const first = await new Client(app).get('/cookie/');
    expect(first.cookies.get('theme')?.value).toBe('dark');
    const second = await new Client(app).get('/cookie/');
    expect(second.text).toBe('call 2');
    expect(second.headers.get('Cache-Control')).toBeUndefined();
    expect(second.headers.get('Expires')).toBeUndefined();
  });

  test('Cache-Control: private is never stored, nor given a max-age', async () => {
    const client = new Client(build());
    await client.get('/private/');
    const second = await client.get('/private/');
    expect(second.text).toBe('call 2');
    expect(second.headers.get('Cache-Control')).toBe('private');
  });

  test("a smaller max-age of the view's is kept in the header; the page is still stored for the page timeout", async () => {
    const client = new Client(build());
    await client.get('/shorter/');
    const second = await client.get('/shorter/');
    expect(second.text).toBe('call 1');
    expect(second.headers.get('Cache-Control')).toBe('max-age=10');
  });

  test('a non-200, a streamed body and Vary: * are not stored; a POST neither reads nor writes the cache', async () => {
    const client = new Client(build());
    for (let i = 0; i < 2; i++) {
      await client.get('/missing/');
      await client.get('/stream/');
      await client.get('/vary-star/');
    }
    expect(calls).toEqual({ missing: 2, stream: 2, varyStar: 2 });
    const missing = await client.get('/missing/');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers.get('Cache-Control')).toBeUndefined();
    await client.get('/polls/');
    const post = await client.post('/polls/');
    expect(post.text).toBe('call 1');
    expect((await client.post('/polls/')).text).toBe('call 2');
    expect(post.headers.get('Cache-Control')).toBeUndefined();
  });

  test('a HEAD is answered from the GET page without running the handler', async () => {
    const client = new Client(build());
    await client.get('/polls/');
    const head = await client.head('/polls/');
    expect(head.statusCode).toBe(200);
    expect(head.headers.get('Cache-Control')).toBe('max-age=60');
    expect(calls.polls).toBe(1);
  });

  test('a cached page with an ETag still answers If-None-Match with 304 on a hit', async () => {
    const client = new Client(build());
    const first = await client.get('/tagged/');
    expect(first.headers.get('ETag')).toBe('"v1"');
    const conditional = await client.get('/tagged/', undefined, { headers: { 'If-None-Match': '"v1"' } });
    expect(conditional.statusCode).toBe(304);
    const again = await client.get('/tagged/');
    expect(again.statusCode).toBe(200);
    expect(again.text).toBe('call 1');
  });

  test('keyPrefix keeps pages apart, and a stored value that is not a page is a miss, never a 500', async () => {
    @Controller('')
    class Prefixed {
      @Get('/a/')
      @CachePage(60, { keyPrefix: 'one' })
      a() {
        return new HttpResponse(`a ${count('a')}`);
      }
    }
    const app = createApp({ controllers: [Prefixed], container: container.createChildContainer(), settings: { secretKey: 's' } });
    const client = new Client(app);
    await client.get('/a/');
    expect((await client.get('/a/')).text).toBe('a 1');
    const cache = cachesFor(app.settings).get();
    // Overwrite every stored page with garbage.
    const memory = cache as unknown as { entries: Map<string, { text: string }> };
    for (const [key, entry] of memory.entries) if (key.includes('cache_page.one.')) entry.text = '"garbage"';
    const after = await client.get('/a/');
    expect(after.statusCode).toBe(200);
    expect(after.text).toBe('a 2');
  });

  test('a route without @CachePage compiles with no page cache and stays on the synchronous path', () => {
    const app = build();
    const plain = app.router.match('GET', '/plain/')!;
    expect((plain.value as CompiledRoute).pageCache).toBeNull();
    expect(isSimpleRoute(plain.value as CompiledRoute)).toBe(true);
    const cached = app.router.match('GET', '/polls/')!;
    expect((cached.value as CompiledRoute).pageCache).not.toBeNull();
    expect(isSimpleRoute(cached.value as CompiledRoute)).toBe(false);
  });

  test('bad timeouts and a cache the settings do not have fail at start, naming the route', () => {
    expect(() => CachePage(1.5)({}, 'x', {})).toThrow(ImproperlyConfigured);
    @Controller('')
    class Unknown {
      @Get('/u/')
      @CachePage(60, { cache: 'pages' })
      u() {
        return '';
      }
    }
    expect(() => createApp({ controllers: [Unknown], container: container.createChildContainer(), settings: { secretKey: 's' } })).toThrow(
      /@CachePage on Unknown\.u keeps pages in the cache 'pages', which the caches setting does not have/,
    );
  });
});

describe('@CachePage on Redis: a page stored by one app is served by another', () => {
  let redis: RedisServer;
  const apps: Application[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => cachesFor(app.settings).close()));
    await redis?.stop();
  });

  test('Redis down: pages are computed and served uncached (logged), never a 500 or 503', async () => {
    const app = build({ caches: { default: { backend: 'redis', location: 'redis://127.0.0.1:1' } } });
    apps.push(app);
    const client = new Client(app);
    logger.clear();
    const first = await client.get('/polls/');
    expect(first.statusCode).toBe(200);
    expect(first.text).toBe('{"call":1,"q":null}');
    expect(first.headers.get('Cache-Control')).toBe('max-age=60');
    expect((await client.get('/polls/')).text).toBe('{"call":2,"q":null}');
    expect(logger.records.map((record) => `${record.level} ${record.name} ${record.cache}: ${String(record.msg).replace(/: Cache unavailable: .*$/, '')}`)).toEqual([
      "error reinhardt.cache default: @CachePage could not read a page in the cache 'default', answering without it",
      "error reinhardt.cache default: @CachePage could not store a page in the cache 'default', answering without it",
      "error reinhardt.cache default: @CachePage could not read a page in the cache 'default', answering without it",
      "error reinhardt.cache default: @CachePage could not store a page in the cache 'default', answering without it",
    ]);
  });

  test('the second app answers from Redis without running its handler', async () => {
    const settings: Partial<Settings> = { caches: { default: { backend: 'redis', location: redis.url } } };
    const one = build(settings);
    const two = build(settings);
    apps.push(one, two);
    const first = await new Client(one).get('/polls/?q=shared');
    expect(first.text).toBe('{"call":1,"q":"shared"}');
    const second = await new Client(two).get('/polls/?q=shared');
    expect(second.text).toBe('{"call":1,"q":"shared"}');
    expect(second.headers.get('Cache-Control')).toBe('max-age=60');
    expect(calls.polls).toBe(1);
  });
});
