/**
 * healthController(): /healthz and /readyz through the test Client, against a real redis-server
 * that goes down and comes back; a hung check hits its own timeout without holding the others;
 * an unexpected error is logged and shown only as "unknown error" (django-health-check); while the
 * server drains, both answer shutting_down (NestJS terminus) — that one over a raw socket.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { container } from 'tsyringe';
import { Client, Controller, Get, HealthCheckError, HttpResponse, RedisSessionStore, SessionStore, createApp, healthController, type HealthCheck, type Settings } from '../../src';
import { cachesFor } from '../../src/cache/cache-handler';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';

function capturingLogger(): CapturingLogger {
  return new CapturingLogger();
}

function appWith(options: Parameters<typeof healthController>[0], store?: SessionStore, caches?: Settings['caches']) {
  const scope = container.createChildContainer();
  if (store !== undefined) scope.registerInstance(SessionStore, store);
  return createApp({
    controllers: [healthController(options)],
    settings: { secretKey: 'health-secret', ...(caches === undefined ? {} : { caches }) },
    container: scope,
    // The app's records go where the checks' do, so each test sees every record a probe makes.
    ...(options?.logger === undefined ? {} : { logger: options.logger as CapturingLogger }),
  });
}

describe('GET /healthz (liveness)', () => {
  test('200 {"status":"ok"}, never cached', async () => {
    const response = await new Client(appWith({})).get('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('Cache-Control')).toBe(NEVER_CACHE);
    expect(response.text).toBe('{"status":"ok"}');
  });

  test('POST is 405: the probes are GET only, so CSRF never applies', async () => {
    const response = await new Client(appWith({}), { enforceCsrfChecks: true }).post('/healthz');
    expect(response.statusCode).toBe(405);
  });
});

describe('GET /readyz (readiness) with the default stores', () => {
  test('200 with one result per check: session store, each cache, the extra checks', async () => {
    const queue: HealthCheck = { name: 'queue', run: async () => undefined };
    const response = await new Client(appWith({ checks: [queue] })).get('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe(NEVER_CACHE);
    expect(response.text).toBe(
      '{"status":"ok","checks":{"sessionStore":{"status":"ok"},"cache:default":{"status":"ok"},"queue":{"status":"ok"}}}',
    );
  });

  test('a HealthCheckError is 503 with its message', async () => {
    const queue: HealthCheck = {
      name: 'queue',
      run: async () => {
        throw new HealthCheckError('queue backlog over 10000');
      },
    };
    const response = await new Client(appWith({ checks: [queue] })).get('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'error',
      checks: { sessionStore: { status: 'ok' }, 'cache:default': { status: 'ok' }, queue: { status: 'error', error: 'queue backlog over 10000' } },
    });
  });

  test('an unexpected error is logged and shown only as "unknown error" (no internals)', async () => {
    const logger = capturingLogger();
    const failure = new TypeError("Cannot read properties of undefined (reading 'host') at db://admin:hunter2@10.0.0.5");
    const broken: HealthCheck = {
      name: 'database',
      run: async () => {
        throw failure;
      },
    };
    const response = await new Client(appWith({ checks: [broken], logger })).get('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json().checks.database).toEqual({ status: 'error', error: 'unknown error' });
    expect(response.text).not.toContain('hunter2');
    expect(logger.records).toEqual([
      { level: 'error', name: 'reinhardt.health', check: 'database', err: failure, msg: 'Health check database failed with an unexpected error' },
    ]);
  });

  test('a hung check fails at its timeout and does not hold the endpoint', async () => {
    const hung: HealthCheck = { name: 'hung', run: () => new Promise<void>(() => undefined) };
    let quickRuns = 0;
    const quick: HealthCheck = {
      name: 'quick',
      run: async () => {
        quickRuns++;
      },
    };
    const client = new Client(appWith({ checks: [hung, quick], timeout: 200 }));
    const started = process.hrtime.bigint();
    const response = await client.get('/readyz');
    const hungMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(response.statusCode).toBe(503);
    expect(response.json().checks).toEqual({
      sessionStore: { status: 'ok' },
      'cache:default': { status: 'ok' },
      hung: { status: 'error', error: 'timed out after 200 ms' },
      quick: { status: 'ok' },
    });
    expect(quickRuns).toBe(1);
    // The checks run together: the probe took about one timeout, not one per check. Measured as
    // a ratio against a probe of the same app whose hung check is given twice the time.
    const slower = new Client(appWith({ checks: [hung, quick], timeout: 400 }));
    const again = process.hrtime.bigint();
    await slower.get('/readyz');
    const slowerMs = Number(process.hrtime.bigint() - again) / 1e6;
    expect(slowerMs / hungMs).toBeGreaterThan(1.5);
    expect(slowerMs / hungMs).toBeLessThan(2.5);
  });

  test('probes during a run share it; cacheSeconds reuses the report', async () => {
    let runs = 0;
    const counted: HealthCheck = {
      name: 'counted',
      run: async () => {
        runs++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
    const client = new Client(appWith({ checks: [counted], cacheSeconds: 60 }));
    const responses = await Promise.all([client.get('/readyz'), client.get('/readyz'), client.get('/readyz')]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(runs).toBe(1);
    await client.get('/readyz');
    expect(runs).toBe(1);
  });

  test('two checks with one name are refused at start-up', () => {
    const a: HealthCheck = { name: 'db', run: async () => undefined };
    expect(() => healthController({ checks: [a, a] })).toThrow(new TypeError('healthController(): two checks are named db.'));
  });
});

describe('GET /readyz with Redis going down and coming back', () => {
  let redis: RedisServer;
  let store: RedisSessionStore;
  let settingsCaches: Settings['caches'];

  beforeAll(async () => {
    redis = await startRedisServer();
    store = new RedisSessionStore({ url: redis.url });
    settingsCaches = { default: { backend: 'redis', location: redis.url } };
  });
  afterAll(async () => {
    await store.close();
    await redis.stop();
  });

  test('200 while Redis answers, 503 naming both checks while it is down, 200 once it is back', async () => {
    const logger = capturingLogger();
    const app = appWith({ logger, timeout: 3000 }, store, settingsCaches);
    const client = new Client(app);
    try {
      const up = await client.get('/readyz');
      expect(up.statusCode).toBe(200);
      expect(up.text).toBe('{"status":"ok","checks":{"sessionStore":{"status":"ok"},"cache:default":{"status":"ok"}}}');

      await redis.stop();
      const down = await client.get('/readyz');
      expect(down.statusCode).toBe(503);
      expect(down.text).toBe(
        '{"status":"error","checks":{"sessionStore":{"status":"error","error":"session store unreachable"},"cache:default":{"status":"error","error":"cache unreachable"}}}',
      );
      expect(down.text).not.toContain(String(redis.port));
      expect(logger.messages('error')).toEqual([
        'Health check sessionStore: the session store is unreachable',
        'Health check cache:default: the cache is unreachable',
      ]);
      // Liveness does not depend on Redis.
      expect((await client.get('/healthz')).statusCode).toBe(200);

      redis = await startRedisServer(redis.port);
      let back = await client.get('/readyz');
      for (let attempt = 0; back.statusCode !== 200 && attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        back = await client.get('/readyz');
      }
      expect(back.statusCode).toBe(200);
      expect(back.text).toBe(up.text);
    } finally {
      await cachesFor(app.settings).close();
    }
  });
});

describe('while the server drains', () => {
  test('/healthz and /readyz answer 503 {"status":"shutting_down"} on connections still open', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inSlow = new Promise<void>((resolve) => (entered = resolve));
    @Controller()
    class SlowController {
      @Get('/slow')
      async slow(): Promise<HttpResponse> {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        return new HttpResponse('done');
      }
    }
    const app = createApp({
      controllers: [SlowController, healthController()],
      settings: { secretKey: 'health-secret', allowedHosts: ['localhost'] },
      container: container.createChildContainer(),
    });
    const server = await app.listen(0, '127.0.0.1');
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await inSlow;
    const closed = app.close();
    // Node's own channel: release /slow once the server has parsed the two pipelined probes.
    let parsed = 1;
    const onRequest = ({ server: from }: { server: unknown }) => void (from === server && parsed++);
    subscribe('http.server.request.start', onRequest as (message: unknown) => void);
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 500 && parsed < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    unsubscribe('http.server.request.start', onRequest as (message: unknown) => void);
    expect(parsed).toBe(3);
    release();
    await new Promise((resolve) => socket.on('close', resolve));
    await closed;
    const bodies = received.split('HTTP/1.1 ').slice(1).map((part) => [part.slice(0, 3), part.slice(part.indexOf('\r\n\r\n') + 4)]);
    expect(bodies).toEqual([
      ['200', 'done'],
      ['503', '{"status":"shutting_down"}'],
      ['503', '{"status":"shutting_down"}'],
    ]);
  }, 10_000);
});
