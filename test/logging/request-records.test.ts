/**
 * Issue 23's "done when": the exact records a request writes, captured through a logger
 * registered in the container (createApp's `logger` and the container's LOGGER), for an access
 * log line, a CSRF failure, a DisallowedHost, a 500 and a session-store outage. Each carries
 * the request's ID, and it is the one the response echoes in X-Request-ID. Django's loggers and
 * levels: django.server INFO, django.security.csrf WARNING (CsrfViewMiddleware._reject),
 * django.security.<class> ERROR (response_for_exception), django.request ERROR for 5xx
 * (log_response).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { container as root } from 'tsyringe';
import { CapturingLogger, Client, Controller, createApp, Get, LOGGER, Post, RedisSessionStore, SessionStore, type HttpRequest, type Settings } from '../../src';
import { freePort } from '../helpers/redis-server';

@Controller('')
class PollController {
  @Get('/polls/')
  index() {
    return { polls: [1, 2] };
  }

  @Post('/vote/')
  vote() {
    return { voted: true };
  }

  @Get('/boom/')
  boom(): never {
    throw new TypeError('poll 7 has no choices');
  }

  @Get('/session/')
  session(request: HttpRequest) {
    return { n: request.session.get('n') ?? null };
  }
}

/** The default stack, the logger registered in the app's container (not passed to createApp). */
function appWith(settings: Partial<Settings> = {}, store?: SessionStore) {
  const logger = new CapturingLogger();
  const container = root.createChildContainer();
  container.registerInstance(LOGGER, logger);
  if (store !== undefined) container.registerInstance(SessionStore, store);
  const app = createApp({ controllers: [PollController], settings: { secretKey: 'request-records', allowedHosts: ['testserver', '127.0.0.1'], ...settings }, container });
  return { app, logger };
}

describe('the records of a request, each with its request ID', () => {
  test('a request with the access log on: one reinhardt.server record with method, path, status, bytes, duration and ID', async () => {
    const { app, logger } = appWith({ accessLog: true });
    expect(app.logger).toBe(logger);
    const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/polls/?page=2`);
      const body = await response.text();
      expect(body).toBe('{"polls":[1,2]}');
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
      const records = logger.named('reinhardt.server').filter((record) => record.method !== undefined);
      expect(records).toEqual([
        {
          level: 'info',
          name: 'reinhardt.server',
          method: 'GET',
          path: '/polls/?page=2',
          status: 200,
          bytes: 15,
          durationMs: expect.any(Number),
          requestId,
          msg: '"GET /polls/?page=2 HTTP/1.1" 200 15',
        },
      ]);
      expect(records[0].durationMs).toBeGreaterThanOrEqual(0);
    } finally {
      await app.close();
    }
  });

  test('a CSRF failure: reinhardt.security.csrf, WARNING, status 403', async () => {
    const { app, logger } = appWith();
    const response = await new Client(app, { enforceCsrfChecks: true }).post('/vote/', { choice: '1' });
    expect(response.statusCode).toBe(403);
    const requestId = response.headers.get('X-Request-ID');
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(logger.records).toEqual([{ level: 'warn', requestId, name: 'reinhardt.security.csrf', status: 403, msg: 'Forbidden (CSRF cookie not set.): /vote/' }]);
  });

  test('a Host outside allowedHosts: reinhardt.security.DisallowedHost, ERROR, status 400', async () => {
    const { app, logger } = appWith();
    const response = await new Client(app).get('/polls/', undefined, { headers: { Host: 'evil.example' } });
    expect(response.statusCode).toBe(400);
    const requestId = response.headers.get('X-Request-ID');
    expect(logger.records).toEqual([
      {
        level: 'error',
        requestId,
        name: 'reinhardt.security.DisallowedHost',
        status: 400,
        msg: "Invalid HTTP_HOST header: 'evil.example'. You may need to add 'evil.example' to allowedHosts.",
      },
    ]);
  });

  test('a 500: reinhardt.request, ERROR, status 500, the error with its stack', async () => {
    const { app, logger } = appWith();
    const response = await new Client(app).get('/boom/');
    expect(response.statusCode).toBe(500);
    const requestId = response.headers.get('X-Request-ID');
    expect(logger.records).toEqual([{ level: 'error', requestId, name: 'reinhardt.request', status: 500, err: expect.any(TypeError), msg: 'Internal Server Error: /boom/' }]);
    const err = logger.records[0].err as Error;
    expect(err.message).toBe('poll 7 has no choices');
    expect(err.stack).toMatch(/^TypeError: poll 7 has no choices\n {4}at PollController\.boom /);
  });

  test('a session store that is down: reinhardt.request, ERROR, status 503, the store error', async () => {
    const port = await freePort(); // nothing listens there: every connection is refused
    const store = new RedisSessionStore({ url: `redis://127.0.0.1:${port}` });
    try {
      const { app, logger } = appWith({}, store);
      const client = new Client(app);
      client.cookies.set('sessionid', 'abcdefghijklmnopqrstuvwxyz012345');
      const response = await client.get('/session/');
      expect(response.statusCode).toBe(503);
      const requestId = response.headers.get('X-Request-ID');
      const reason = `Session store unavailable: connect ECONNREFUSED 127.0.0.1:${port}`;
      expect(logger.records).toEqual([
        { level: 'error', requestId, name: 'reinhardt.request', status: 503, err: expect.objectContaining({ name: 'ServiceUnavailable', message: reason }), msg: `Service Unavailable: /session/: ${reason}` },
      ]);
    } finally {
      await store.close();
    }
  });

  test('each request has its own ID', async () => {
    const { app } = appWith();
    const client = new Client(app, { enforceCsrfChecks: true });
    const first = (await client.post('/vote/', {})).headers.get('X-Request-ID');
    const second = (await client.post('/vote/', {})).headers.get('X-Request-ID');
    expect(first).not.toBe(second);
  });

  test('nothing logged, access log off: no ID is made and none is echoed', async () => {
    const { app, logger } = appWith();
    const response = await new Client(app).get('/polls/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.has('X-Request-ID')).toBe(false);
    expect(logger.records).toEqual([]);
  });

  test('createApp({ logger }) wins over the container and registers itself under LOGGER', () => {
    const given = new CapturingLogger();
    const container = root.createChildContainer();
    container.registerInstance(LOGGER, new CapturingLogger());
    const app = createApp({ controllers: [PollController], settings: { secretKey: 'k' }, container, logger: given });
    expect(app.logger).toBe(given);
    expect(container.resolve(LOGGER)).toBe(given);
  });
});
