/**
 * Issue 8 §4: faults inside the server. A handler, a middleware or an error view that throws, and
 * a body stream that fails half-way, each give the documented response (SPEC §3: the 500 view;
 * the built-in 500 page when the error view itself fails) or, once the status line is out, a
 * connection closed before the body's end; the process stays up. With `RedisSessionStore`, Redis
 * going away (killed, or frozen) makes session-using requests answer 503 with a clear message
 * within `sessionStoreTimeout`, while requests without a session keep answering 200; when Redis
 * is back, sessions work again without restarting anything.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { container as rootContainer } from 'tsyringe';
import {
  Controller,
  DEFAULT_MIDDLEWARE,
  Get,
  HttpRequest,
  HttpResponse,
  RedisSessionStore,
  SessionStore,
  StreamingHttpResponse,
  createApp,
  type Application,
  type AppOptions,
  type MiddlewareFunction,
} from '../../src';
import { freePort, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { healthStatus, httpRequest, sendRaw, sleep, watchProcessErrors, type RawOutcome } from './helpers';
import { BASE_SETTINGS } from './robust-app';

const BUILTIN_500 = '<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n';

@Controller('/f')
class FaultController {
  @Get('/ok')
  ok(): string {
    return 'ok';
  }

  @Get('/throws')
  throws(): never {
    throw new Error('handler exploded');
  }

  @Get('/rejects')
  async rejects(): Promise<never> {
    await sleep(5);
    throw new Error('handler exploded later');
  }

  @Get('/throws-string')
  throwsString(): never {
    throw 'not even an Error';
  }

  @Get('/throws-undefined')
  throwsUndefined(): never {
    throw undefined;
  }

  @Get('/returns-symbol')
  returnsSymbol(): unknown {
    return Symbol('not a response');
  }

  @Get('/stream-fails')
  streamFails(): StreamingHttpResponse {
    async function* body(): AsyncGenerator<string> {
      yield 'first chunk\n';
      await sleep(10);
      throw new Error('stream exploded mid-body');
    }
    return new StreamingHttpResponse(body(), { contentType: 'text/plain' });
  }

  @Get('/stream-fails-at-once')
  streamFailsAtOnce(): StreamingHttpResponse {
    // eslint-disable-next-line require-yield
    async function* body(): AsyncGenerator<string> {
      throw new Error('stream exploded before its first chunk');
    }
    return new StreamingHttpResponse(body(), { contentType: 'text/plain' });
  }

  @Get('/readable-fails')
  readableFails(): Readable {
    let sent = false;
    return new Readable({
      read() {
        if (!sent) {
          sent = true;
          this.push(Buffer.from('readable chunk\n'));
        } else {
          setTimeout(() => this.destroy(new Error('readable exploded')), 10);
        }
      },
    });
  }

  @Get('/session')
  session(request: HttpRequest): unknown {
    const n = (request.session.get<number>('n') ?? 0) + 1;
    request.session.set('n', n);
    return { n };
  }
}

/** A middleware that throws on its own path; inside the default stack. */
const exploding: MiddlewareFunction = async (request, next) => {
  if (request.path === '/f/mw-throws') throw new Error('middleware exploded');
  if (request.path === '/f/mw-throws-after') {
    await next(request);
    throw new Error('middleware exploded after the handler');
  }
  return next(request);
};

/** The outermost layer: records the status every request came back with (never an exception). */
const seenByOuter: (number | string)[] = [];
const recorder: MiddlewareFunction = async (request, next) => {
  try {
    const response = await next(request);
    seenByOuter.push(response.statusCode);
    return response;
  } catch (error) {
    seenByOuter.push(`threw ${String(error)}`);
    throw error;
  }
};

interface Running {
  app: Application;
  port: number;
  logs: string[];
}

async function start(options: Partial<AppOptions> = {}, settings: AppOptions['settings'] = {}): Promise<Running> {
  // Each record as one line: its message, then its error's message.
  const logger = new CapturingLogger();
  const lines = (): string[] => logger.records.map((r) => `${r.msg ?? ''} ${r.err instanceof Error ? r.err.message : String(r.err ?? '')}`);
  const app = createApp({
    controllers: [FaultController],
    container: rootContainer.createChildContainer(),
    logger,
    ...options,
    settings: { ...BASE_SETTINGS, ...settings },
  });
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  return {
    app,
    port: (server.address() as AddressInfo).port,
    get logs() {
      return lines();
    },
  };
}

function get(port: number, path: string, headers: [string, string][] = []): Promise<RawOutcome> {
  return sendRaw(port, httpRequest('GET', path, [['Host', 'localhost'], ...headers]), { responses: 1 });
}

const JSON_ACCEPT: [string, string] = ['Accept', 'application/json'];

let watcher: ReturnType<typeof watchProcessErrors>;
beforeAll(() => {
  watcher = watchProcessErrors();
});
afterAll(() => watcher.dispose());
afterEach(() => {
  // "The process stays up": nothing escaped as an uncaught exception or unhandled rejection.
  expect(watcher.errors).toEqual([]);
});

describe('a handler, a middleware or a body stream that fails', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start({ middleware: [recorder, ...DEFAULT_MIDDLEWARE, exploding] });
  });
  afterAll(() => running.app.close());

  test.each([
    ['/f/throws', 'handler exploded'],
    ['/f/rejects', 'handler exploded later'],
    ['/f/throws-string', 'not even an Error'],
    ['/f/throws-undefined', 'undefined'],
    ['/f/mw-throws', 'middleware exploded'],
    ['/f/mw-throws-after', 'middleware exploded after the handler'],
  ])('%s answers the 500 view (HTML and JSON), logged, and the outer middleware sees the 500', async (path, logged) => {
    seenByOuter.length = 0;
    const html = await get(running.port, path);
    expect(html.status).toBe(500);
    expect(html.responses[0].body.toString()).toBe(BUILTIN_500);
    const json = await get(running.port, path, [JSON_ACCEPT]);
    expect(json.status).toBe(500);
    expect(JSON.parse(json.responses[0].body.toString())).toEqual({ detail: 'Server Error' });
    expect(seenByOuter).toEqual([500, 500]);
    expect(running.logs.some((line) => line.startsWith('Internal Server Error: ' + path) && line.includes(logged))).toBe(true);
    expect(await healthStatus(running.port, '/f/ok')).toBe(200);
  });

  test('a handler returning something that is not a response answers 500 naming the culprit in the log', async () => {
    const outcome = await get(running.port, '/f/returns-symbol');
    expect(outcome.status).toBe(500);
    expect(running.logs.some((line) => line.includes('FaultController') && line.includes('returnsSymbol'))).toBe(true);
  });

  test('a stream that fails mid-body: 200 and the first chunk went out, then the connection closes before the last chunk', async () => {
    const outcome = await sendRaw(running.port, httpRequest('GET', '/f/stream-fails', [['Host', 'localhost']]));
    const text = outcome.raw.toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*Transfer-Encoding: chunked\r\n/);
    expect(text).toContain('first chunk\n');
    expect(outcome.closed).toBe(true);
    expect(outcome.timedOut).toBe(false);
    // The body was cut: chunked encoding's terminating zero-length chunk never came.
    expect(outcome.truncated).toBe(true);
    expect(text.endsWith('0\r\n\r\n')).toBe(false);
    expect(await healthStatus(running.port, '/f/ok')).toBe(200);
  });

  test('a Readable that errors mid-body: same, the connection closes before the end', async () => {
    const outcome = await sendRaw(running.port, httpRequest('GET', '/f/readable-fails', [['Host', 'localhost']]));
    const text = outcome.raw.toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain('readable chunk\n');
    expect(outcome.closed).toBe(true);
    expect(outcome.truncated).toBe(true);
    expect(await healthStatus(running.port, '/f/ok')).toBe(200);
  });

  test('a stream that fails before its first chunk: the connection closes with no complete response', async () => {
    const outcome = await sendRaw(running.port, httpRequest('GET', '/f/stream-fails-at-once', [['Host', 'localhost']]));
    expect(outcome.closed).toBe(true);
    expect(outcome.timedOut).toBe(false);
    expect(outcome.statuses).toEqual([]);
    expect(outcome.raw.toString('latin1').endsWith('0\r\n\r\n')).toBe(false);
    expect(await healthStatus(running.port, '/f/ok')).toBe(200);
  });
});

describe('an error view that throws', () => {
  let running: Running;
  beforeAll(async () => {
    running = await start({
      handler500: () => {
        throw new Error('the 500 view exploded');
      },
      handler404: async () => {
        await sleep(1);
        throw new Error('the 404 view exploded');
      },
    });
  });
  afterAll(() => running.app.close());

  test('a failing 500 view: the built-in 500 page', async () => {
    const outcome = await get(running.port, '/f/throws', [JSON_ACCEPT]);
    expect(outcome.status).toBe(500);
    expect(outcome.responses[0].body.toString()).toBe(BUILTIN_500);
    expect(running.logs.some((line) => line.startsWith('The error view failed') && line.includes('the 500 view exploded'))).toBe(true);
  });

  test('a failing 404 view: the built-in 500 page', async () => {
    const outcome = await get(running.port, '/nowhere');
    expect(outcome.status).toBe(500);
    expect(outcome.responses[0].body.toString()).toBe(BUILTIN_500);
    expect(running.logs.some((line) => line.includes('the 404 view exploded'))).toBe(true);
    expect(await healthStatus(running.port, '/f/ok')).toBe(200);
  });
});

describe('RedisSessionStore while Redis goes away and comes back', () => {
  const TIMEOUT = 500;
  /** What a request may take beyond the timeout: scheduling, the 503 page, the socket. */
  const MARGIN = 700;
  let redis: RedisServer;
  let redisPort: number;
  let store: RedisSessionStore;
  let running: Running;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = await startRedisServer(redisPort);
    store = new RedisSessionStore({ url: redis.url, prefix: 'robust:' });
    const container = rootContainer.createChildContainer();
    container.register(SessionStore, { useValue: store });
    // debug: the 503s below show the store's reason; without it they are generic (test/security/production-error-details.test.ts).
    running = await start({ container }, { sessionStoreTimeout: TIMEOUT, debug: true });
  });

  afterAll(async () => {
    await running?.app.close();
    await store?.close();
    await redis?.stop();
  });

  /** `GET /f/session`, with the cookie when given; returns the status, body, new cookie, time. */
  async function sessionRequest(cookie?: string, accept: [string, string] = JSON_ACCEPT) {
    const headers: [string, string][] = [accept];
    if (cookie !== undefined) headers.push(['Cookie', `sessionid=${cookie}`]);
    const outcome = await get(running.port, '/f/session', headers);
    const response = outcome.responses[0];
    const setCookie = /sessionid=([a-z0-9]+);/.exec(response?.headers['set-cookie'] ?? '');
    return { status: outcome.status, body: response?.body.toString() ?? '', cookie: setCookie?.[1], ms: outcome.ms };
  }

  test('with Redis up, a session lives across requests', async () => {
    const first = await sessionRequest();
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ n: 1 });
    expect(first.cookie).toMatch(/^[a-z0-9]{32}$/);
    const second = await sessionRequest(first.cookie);
    expect(JSON.parse(second.body)).toEqual({ n: 2 });
  });

  test('Redis killed mid-run: session requests answer 503 within the timeout with a clear message, others 200', async () => {
    const { cookie } = await sessionRequest();
    // Traffic in flight while Redis dies: every answer is 200 or 503, none hangs.
    const during: Promise<{ status: number | null; ms: number }>[] = [];
    const traffic = (async () => {
      for (let i = 0; i < 20; i++) {
        during.push(sessionRequest(cookie).then((r) => ({ status: r.status, ms: r.ms })));
        during.push(get(running.port, '/f/ok').then((r) => ({ status: r.status, ms: r.ms })));
        await sleep(10);
      }
    })();
    await sleep(50);
    await new Promise<void>((resolve) => {
      redis.process.once('exit', () => resolve());
      redis.process.kill('SIGKILL');
    });
    await traffic;
    const settled = await Promise.all(during);
    expect(settled.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(settled.filter((r) => r.ms > TIMEOUT + MARGIN)).toEqual([]);
    expect(settled.some((r) => r.status === 503)).toBe(true);

    const withCookie = await sessionRequest(cookie);
    expect(withCookie.status).toBe(503);
    expect(withCookie.ms).toBeLessThan(TIMEOUT + MARGIN);
    expect(JSON.parse(withCookie.body).detail).toMatch(/^Session store unavailable: /);
    const html = await sessionRequest(cookie, ['Accept', 'text/html']);
    expect(html.status).toBe(503);
    expect(html.body).toContain('<h1>Service Unavailable (503)</h1>');
    expect(html.body).toContain('Session store unavailable: ');
    // A new session cannot be saved either: 503, and no cookie for a session that does not exist.
    const fresh = await sessionRequest();
    expect(fresh.status).toBe(503);
    expect(fresh.cookie).toBeUndefined();
    // No session cookie, no session use: the store is never asked.
    const plain = await get(running.port, '/f/ok');
    expect(plain.status).toBe(200);
    expect(plain.responses[0].body.toString()).toBe('ok');
  });

  test('Redis back on the same port: sessions work again without a restart', async () => {
    redis = await startRedisServer(redisPort);
    const started = Date.now();
    let first = await sessionRequest();
    // ioredis reconnects on its own schedule (backing off to 2 s between attempts).
    while (first.status !== 200 && Date.now() - started < 6000) {
      expect(first.status).toBe(503);
      await sleep(100);
      first = await sessionRequest();
    }
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ n: 1 });
    const second = await sessionRequest(first.cookie);
    expect(second.status).toBe(200);
    expect(JSON.parse(second.body)).toEqual({ n: 2 });
  });

  test('Redis frozen (SIGSTOP, connection open but silent): 503 within the timeout, then fine after SIGCONT', async () => {
    const { cookie } = await sessionRequest();
    redis.process.kill('SIGSTOP');
    try {
      const results = await Promise.all([sessionRequest(cookie), sessionRequest(cookie), get(running.port, '/f/ok')]);
      expect(results.map((r) => r.status)).toEqual([503, 503, 200]);
      expect(results[0].ms).toBeGreaterThanOrEqual(TIMEOUT - 50);
      expect(results[0].ms).toBeLessThan(TIMEOUT + MARGIN);
      expect(JSON.parse((results[0] as { body: string }).body)).toEqual({ detail: `Session store unavailable: no answer within ${TIMEOUT} ms` });
    } finally {
      redis.process.kill('SIGCONT');
    }
    await sleep(100);
    const after = await sessionRequest(cookie);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body).n).toBeGreaterThanOrEqual(2);
  });
});
