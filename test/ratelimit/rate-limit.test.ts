import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container } from 'tsyringe';
import {
  AbstractBaseUser,
  cachesFor,
  Client,
  Controller,
  createApp,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpResponse,
  ImproperlyConfigured,
  Post,
  RateLimit,
  RateLimitMiddleware,
  UserProvider,
  type Application,
  type HttpRequest,
  type Settings,
} from '../../src';
import { windowEnd } from '../../src/ratelimit/rate-limiter';
import { checkRateLimitCaches } from '../../src/ratelimit/rate-limit-checks';
import type { CheckTarget } from '../../src/checks/check-registry';

// Issue 21 item 5: django-ratelimit's @ratelimit (django_ratelimit/decorators.py, core.py) with
// a 429 and Retry-After (RFC 6585 §4) through handler429. Rates are per hour here so that a test
// never straddles a window's end; the window's arithmetic is in rate.test.ts.

const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const HTML_ACCEPT = { headers: { Accept: 'text/html' } };

class Member extends AbstractBaseUser {
  constructor(readonly id: string, readonly username: string) {
    super();
  }
}
const members = new Map([
  ['1', new Member('1', 'alice')],
  ['2', new Member('2', 'bob')],
]);
class Members implements UserProvider<Member> {
  async getUser(id: string) {
    return members.get(id) ?? null;
  }
  getUserId(user: Member) {
    return user.id;
  }
}

let handled: number;
beforeEach(() => {
  handled = 0;
});

@Controller('')
class LimitedController {
  @Post('/login/')
  @RateLimit('5/h', { key: 'ip', method: 'POST' })
  login() {
    handled++;
    return { ok: true };
  }

  @Get('/login/')
  @RateLimit('5/h', { key: 'ip', method: 'POST' })
  loginForm() {
    handled++;
    return { form: true };
  }

  @Get('/soft/')
  @RateLimit('2/h', { block: false })
  soft(request: HttpRequest) {
    handled++;
    return { limited: request.limited };
  }

  @Get('/mine/')
  @RateLimit('2/h', { key: 'user_or_ip' })
  mine(request: HttpRequest) {
    return { user: request.user.isAuthenticated ? request.user.username : null };
  }

  @Get('/by-token/')
  @RateLimit('2/h', { key: (request) => request.headers.get('x-api-token') ?? 'anonymous' })
  byToken() {
    return { ok: true };
  }

  @Post('/per-username/')
  @RateLimit('2/h', {
    key: async (request) => {
      await request.loadBody();
      return `username:${request.POST.get('username') ?? ''}`;
    },
  })
  perUsername() {
    return { ok: true };
  }

  @Get('/a/')
  @RateLimit('1/h')
  a() {
    return 'a';
  }

  @Get('/b/')
  @RateLimit('1/h')
  b() {
    return 'b';
  }

  @Get('/shared-1/')
  @RateLimit('1/h', { group: 'shared' })
  shared1() {
    return '1';
  }

  @Get('/shared-2/')
  @RateLimit('1/h', { group: 'shared' })
  shared2() {
    return '2';
  }
}

function build(settings: Partial<Settings> = {}, extra: Partial<Parameters<typeof createApp>[0]> = {}): Application {
  const child = container.createChildContainer();
  child.register(UserProvider, { useClass: Members });
  return createApp({ controllers: [LimitedController], container: child, settings: { secretKey: 's', ...settings }, logger: new CapturingLogger(), ...extra });
}

/** Retry-After for the test client's address on an hourly window, as the limiter computes it. */
function expectedRetryAfter(value = '127.0.0.1', period = 3600): number {
  return Math.max(1, windowEnd(value, period) - Math.floor(Date.now() / 1000));
}

async function post5(client: Client, path = '/login/', options = JSON_ACCEPT) {
  for (let i = 0; i < 5; i++) expect((await client.post(path, undefined, options)).statusCode).toBe(200);
}

describe('@RateLimit', () => {
  test('the 6th POST in the window is a 429 with Retry-After and the exact JSON body; the handler does not run', async () => {
    const client = new Client(build());
    await post5(client);
    const refused = await client.post('/login/', undefined, JSON_ACCEPT);
    const wait = expectedRetryAfter();
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(wait - 1);
    expect(Number(refused.headers.get('Retry-After'))).toBeLessThanOrEqual(wait);
    const shown = Number(refused.headers.get('Retry-After'));
    expect(refused.headers.get('Content-Type')).toBe('application/json');
    expect(refused.text).toBe(`{"detail":"Request was throttled. Expected available in ${shown} second${shown === 1 ? '' : 's'}."}`);
    expect(handled).toBe(5);
  });

  test('an HTML client gets the HTML page, with the security headers of the middleware around it', async () => {
    const client = new Client(build());
    await post5(client, '/login/', HTML_ACCEPT);
    const refused = await client.post('/login/', undefined, HTML_ACCEPT);
    const shown = Number(refused.headers.get('Retry-After'));
    expect(refused.statusCode).toBe(429);
    expect(refused.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(refused.text).toBe(
      `<!doctype html>\n<title>Too Many Requests (429)</title>\n<h1>Too Many Requests (429)</h1>\n<p>Request was throttled. Expected available in ${shown} second${shown === 1 ? '' : 's'}.</p>\n`,
    );
    expect(refused.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  test('the 429 is logged as a warning, as Django logs 4xx responses', async () => {
    const logger = new CapturingLogger();
    const client = new Client(build({}, { logger }));
    await post5(client);
    const refused = await client.post('/login/');
    expect(logger.records).toEqual([
      { level: 'warn', name: 'reinhardt.request', requestId: refused.headers.get('X-Request-ID'), status: 429, msg: 'Too Many Requests: /login/' },
    ]);
  });

  test('X-Forwarded-For is ignored by default: a client changing it on every request is still limited', async () => {
    const client = new Client(build());
    for (let i = 0; i < 5; i++) {
      expect((await client.post('/login/', undefined, { headers: { 'X-Forwarded-For': `198.51.100.${i}`, 'X-Real-IP': `198.51.100.${i}` } })).statusCode).toBe(200);
    }
    expect((await client.post('/login/', undefined, { headers: { 'X-Forwarded-For': '198.51.100.99' } })).statusCode).toBe(429);
  });

  test('behind a proxy (rateLimitIpMetaKey HTTP_X_FORWARDED_FOR), clients count by the address the proxy appended; prepended entries change nothing', async () => {
    const client = new Client(build({ rateLimitIpMetaKey: 'HTTP_X_FORWARDED_FOR' }));
    for (let i = 0; i < 5; i++) {
      // The attacker sends their own X-Forwarded-For; the proxy appends the real address.
      expect((await client.post('/login/', undefined, { headers: { 'X-Forwarded-For': `10.9.9.${i}, 203.0.113.50` } })).statusCode).toBe(200);
    }
    expect((await client.post('/login/', undefined, { headers: { 'X-Forwarded-For': '1.1.1.1, 203.0.113.50' } })).statusCode).toBe(429);
    // Another real client behind the same proxy has its own count.
    expect((await client.post('/login/', undefined, { headers: { 'X-Forwarded-For': '203.0.113.51' } })).statusCode).toBe(200);
  });

  test('method: only the listed methods are counted and limited', async () => {
    const client = new Client(build());
    for (let i = 0; i < 8; i++) expect((await client.get('/login/')).statusCode).toBe(200);
    await post5(client);
    expect((await client.post('/login/')).statusCode).toBe(429);
    expect((await client.get('/login/')).statusCode).toBe(200);
  });

  test('block: false runs the handler and sets request.limited past the rate', async () => {
    const client = new Client(build());
    expect((await client.get('/soft/')).json()).toEqual({ limited: false });
    expect((await client.get('/soft/')).json()).toEqual({ limited: false });
    const third = await client.get('/soft/');
    expect(third.statusCode).toBe(200);
    expect(third.json()).toEqual({ limited: true });
    expect(handled).toBe(3);
  });

  test("user_or_ip: a logged-in user has their own count, apart from the address's", async () => {
    const app = build();
    const alice = new Client(app);
    await alice.forceLogin(members.get('1')!);
    const bob = new Client(app);
    await bob.forceLogin(members.get('2')!);
    const anonymous = new Client(app);
    expect((await alice.get('/mine/')).statusCode).toBe(200);
    expect((await alice.get('/mine/')).statusCode).toBe(200);
    expect((await alice.get('/mine/')).statusCode).toBe(429);
    expect((await bob.get('/mine/')).json()).toEqual({ user: 'bob' });
    expect((await anonymous.get('/mine/')).statusCode).toBe(200);
    expect((await anonymous.get('/mine/')).statusCode).toBe(200);
    expect((await anonymous.get('/mine/')).statusCode).toBe(429);
  });

  test('a key function counts by what it returns', async () => {
    const client = new Client(build());
    const token = (value: string) => ({ headers: { 'X-Api-Token': value } });
    expect((await client.get('/by-token/', undefined, token('t1'))).statusCode).toBe(200);
    expect((await client.get('/by-token/', undefined, token('t1'))).statusCode).toBe(200);
    expect((await client.get('/by-token/', undefined, token('t1'))).statusCode).toBe(429);
    expect((await client.get('/by-token/', undefined, token('t2'))).statusCode).toBe(200);
    expect((await client.get('/by-token/', undefined, token('x'.repeat(10_000)))).statusCode).toBe(200);
  });

  test("an async key function may read the form (django-ratelimit's 'post:username'): attempts on one account are limited whatever the address", async () => {
    const client = new Client(build());
    expect((await client.post('/per-username/', { username: 'alice' })).statusCode).toBe(200);
    expect((await client.post('/per-username/', { username: 'alice' })).statusCode).toBe(200);
    expect((await client.post('/per-username/', { username: 'alice' })).statusCode).toBe(429);
    expect((await client.post('/per-username/', { username: 'bob' })).statusCode).toBe(200);
  });

  test('each route counts apart, unless given one group', async () => {
    const client = new Client(build());
    expect((await client.get('/a/')).statusCode).toBe(200);
    expect((await client.get('/b/')).statusCode).toBe(200);
    expect((await client.get('/a/')).statusCode).toBe(429);
    expect((await client.get('/shared-1/')).statusCode).toBe(200);
    expect((await client.get('/shared-2/')).statusCode).toBe(429);
  });

  test('a custom handler429 answers; Retry-After is added when it set none', async () => {
    const app = build();
    app.handler429 = () => new HttpResponse('slow down', { status: 429 });
    const client = new Client(app);
    await client.get('/a/');
    const refused = await client.get('/a/');
    expect(refused.statusCode).toBe(429);
    expect(refused.text).toBe('slow down');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
  });

  test('counts live in the app\'s cache: clearing it starts every count again', async () => {
    const app = build();
    const client = new Client(app);
    await client.get('/a/');
    expect((await client.get('/a/')).statusCode).toBe(429);
    await cachesFor(app.settings).get().clear();
    expect((await client.get('/a/')).statusCode).toBe(200);
  });

  test('bad rates, unknown keys and unknown caches fail at start, naming the route', () => {
    expect(() => RateLimit('5 per minute')({}, 'x', {})).toThrow("@RateLimit on Object.x: Cannot read the rate \"5 per minute\"");
    expect(() => RateLimit('5/m', { key: 'header' as 'ip' })({}, 'x', {})).toThrow(ImproperlyConfigured);
    @Controller('')
    class Elsewhere {
      @Get('/e/')
      @RateLimit('5/m', { cache: 'limits' })
      e() {
        return '';
      }
    }
    expect(() => createApp({ controllers: [Elsewhere], container: container.createChildContainer(), settings: { secretKey: 's' } })).toThrow(
      /@RateLimit on Elsewhere\.e counts in the cache 'limits', which the caches setting does not have/,
    );
    expect(() => build({ rateLimitCache: 'nope' })).toThrow("The rateLimitCache setting names the cache \"nope\", which the caches setting does not have.");
    expect(() => build({ rateLimitIpMetaKey: 'X-Forwarded-For' })).toThrow("The rateLimitIpMetaKey setting must be null or a META key such as 'HTTP_X_REAL_IP'.");
  });
});

describe('RateLimitMiddleware', () => {
  test('limits every route it wraps, with one count per client across them', async () => {
    @Controller('')
    class Open {
      @Get('/one/')
      one() {
        return '1';
      }
      @Get('/two/')
      two() {
        return '2';
      }
    }
    const app = createApp({
      controllers: [Open],
      container: container.createChildContainer(),
      settings: { secretKey: 's' },
      middleware: [...DEFAULT_MIDDLEWARE, new RateLimitMiddleware('2/h')],
      logger: new CapturingLogger(),
    });
    const client = new Client(app);
    expect((await client.get('/one/')).statusCode).toBe(200);
    expect((await client.get('/two/')).statusCode).toBe(200);
    const refused = await client.get('/one/', undefined, JSON_ACCEPT);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ detail: `Request was throttled. Expected available in ${refused.headers.get('Retry-After')} seconds.` });
  });
});

describe('ratelimit.E003: a count in process memory is refused behind several workers', () => {
  function target(settings: Partial<Settings>): CheckTarget {
    const app = build(settings);
    return { settings: app.settings, controllers: [LimitedController], middleware: [new RateLimitMiddleware('5/m')], container };
  }

  test('in a worker, a memory cache is an error for every limit, naming it', () => {
    const messages = checkRateLimitCaches(target({}), true);
    expect(messages.map((m) => m.id)).toEqual(Array(11).fill('ratelimit.E003'));
    expect(messages[0].message).toBe(
      "@RateLimit on LimitedController.login counts in the cache 'default', which is in this process's memory, but the app runs on several workers: each would count apart.",
    );
    expect(messages.at(-1)!.message).toMatch(/^RateLimitMiddleware counts in the cache 'default'/);
  });

  test('one process with memory, or workers with Redis, pass', () => {
    expect(checkRateLimitCaches(target({}), false)).toEqual([]);
    expect(checkRateLimitCaches(target({ caches: { default: { backend: 'redis', location: 'redis://127.0.0.1:6379/0' } } }), true)).toEqual([]);
  });
});
