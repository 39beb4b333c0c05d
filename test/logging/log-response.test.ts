/**
 * Django's log_response for the responses a view returns (django/core/handlers/base.py
 * get_response, django/utils/log.py log_response; tests/logging_tests/tests.py
 * HandlerLoggingTests): every response with a status >= 400 is logged once on
 * reinhardt.request, `"<reason phrase>: <path>"`, WARNING for a 4xx and ERROR for a 5xx, with its
 * status and the request ID, unless the path that made it logged it already (an exception, a CSRF
 * refusal, a 405: `_has_been_logged`). 404s are not logged (docs/differences-from-django.md).
 * Each case runs on the three dispatch paths: the test Client's `app.dispatch`, and `app.handle`
 * without middleware (the bare fast path) and with Django's default stack (the layered one).
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { container as root } from 'tsyringe';
import {
  BadRequest,
  CapturingLogger,
  Client,
  Controller,
  createApp,
  CsrfExempt,
  Get,
  HttpResponse,
  HttpResponseBadRequest,
  HttpResponseForbidden,
  HttpResponseNotFound,
  HttpResponseRedirect,
  HttpResponseServerError,
  PermissionDenied,
  Post,
  RateLimit,
  type Application,
  type HttpRequest,
  type Middleware,
  type Settings,
} from '../../src';

@Controller('')
class ReturningController {
  @Get('/bad/')
  bad() {
    return new HttpResponseBadRequest('no');
  }

  @Get('/forbidden/')
  forbidden() {
    return new HttpResponseForbidden('no');
  }

  @Get('/server-error/')
  serverError() {
    return new HttpResponseServerError('down');
  }

  @Get('/unknown/')
  unknown() {
    return new HttpResponse('odd', { status: 599 });
  }

  @Get('/async-bad/')
  async asyncBad() {
    await Promise.resolve();
    return new HttpResponseBadRequest('later');
  }

  @Post('/form/')
  @CsrfExempt()
  form(request: HttpRequest) {
    return request.POST.get('choice') === undefined ? new HttpResponseBadRequest('no choice') : { ok: true };
  }

  @Get('/bad-request/')
  badRequest() {
    throw new BadRequest('Choose one of the answers.');
  }

  @Get('/bare-bad-request/')
  bareBadRequest() {
    throw new BadRequest();
  }

  @Get('/needs-q/')
  needsQ(request: HttpRequest) {
    return request.GET.getItem('q');
  }

  @Get('/missing/')
  missing() {
    return new HttpResponseNotFound('gone');
  }

  @Get('/ok/')
  ok() {
    return { ok: true };
  }

  @Get('/moved/')
  moved() {
    return new HttpResponseRedirect('/ok/');
  }

  @Get('/denied/')
  denied(): never {
    throw new PermissionDenied('not yours');
  }

  @Get('/boom/')
  boom(): never {
    throw new TypeError('poll 7 has no choices');
  }

  @Get('/thrown-response/')
  thrownResponse(): never {
    throw new HttpResponseForbidden('thrown');
  }

  @Post('/vote/')
  vote() {
    return { voted: true };
  }

  @Get('/limited/')
  @RateLimit('1/h', { key: 'ip' })
  limited() {
    return { ok: true };
  }
}

type Via = 'dispatch' | 'handle, bare' | 'handle, default stack';
const VIAS: Via[] = ['dispatch', 'handle, bare', 'handle, default stack'];

function appWith(via: Via, options: { settings?: Partial<Settings>; middleware?: Middleware[] } = {}) {
  const logger = new CapturingLogger();
  const middleware = options.middleware ?? (via === 'handle, bare' ? [] : undefined);
  const app = createApp({
    controllers: [ReturningController],
    container: root.createChildContainer(),
    middleware,
    settings: { secretKey: 'log-response', allowedHosts: ['testserver', '127.0.0.1'], ...options.settings },
    logger,
  });
  return { app, logger };
}

interface Answer {
  status: number;
  requestId: string | null;
}

/** One request through `via`: the test Client (app.dispatch) or a real server (app.handle). */
async function request(app: Application, via: Via, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  if (via === 'dispatch') {
    const client = new Client(app);
    const response =
      method === 'POST'
        ? await client.post(path, init.body, { contentType: init.headers?.['Content-Type'] })
        : method === 'DELETE'
          ? await client.delete(path)
          : await client.get(path);
    return { status: response.statusCode, requestId: response.headers.get('X-Request-ID') ?? null };
  }
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { method, body: init.body, headers: init.headers, redirect: 'manual' });
    await response.arrayBuffer();
    return { status: response.status, requestId: response.headers.get('x-request-id') };
  } finally {
    await app.close();
  }
}

describe.each(VIAS)('a 4xx or 5xx a view returns is logged once on reinhardt.request (%s)', (via) => {
  test.each([
    ['/bad/', 400, 'warn', 'Bad Request: /bad/'],
    ['/forbidden/', 403, 'warn', 'Forbidden: /forbidden/'],
    ['/server-error/', 500, 'error', 'Internal Server Error: /server-error/'],
    // Django's test_internal_server_error_599.
    ['/unknown/', 599, 'error', 'Unknown Status Code: /unknown/'],
    ['/async-bad/', 400, 'warn', 'Bad Request: /async-bad/'],
  ])('GET %s answers %i: one %s record with the reason phrase, the path, the status and the echoed request ID', async (path, status, level, msg) => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', path);
    expect(answer.status).toBe(status);
    expect(answer.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(logger.records).toEqual([{ level, name: 'reinhardt.request', status, requestId: answer.requestId, msg }]);
  });

  test('a 400 returned for a POST with a body (the bare path answers it on the tick after the head)', async () => {
    const { app, logger } = appWith(via);
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const answer = await request(app, via, 'POST', '/form/', { body: 'other=1', headers });
    expect(answer.status).toBe(400);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 400, requestId: answer.requestId, msg: 'Bad Request: /form/' }]);
  });

  test('a 405 from routing: Django\'s "Method Not Allowed (<method>): <path>", once', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'DELETE', '/ok/');
    expect(answer.status).toBe(405);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 405, requestId: answer.requestId, msg: 'Method Not Allowed (DELETE): /ok/' }]);
  });

  test('a raised PermissionDenied is logged by the exception path only, not again', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', '/denied/');
    expect(answer.status).toBe(403);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 403, requestId: answer.requestId, msg: 'Forbidden (Permission denied): /denied/' }]);
  });

  test('a raised error is logged once, with its stack, not again as "Internal Server Error: /boom/"', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', '/boom/');
    expect(answer.status).toBe(500);
    expect(logger.records).toEqual([{ level: 'error', name: 'reinhardt.request', status: 500, err: expect.any(TypeError), requestId: answer.requestId, msg: 'Internal Server Error: /boom/' }]);
  });

  test('a thrown response is sent as it is and logged as a returned one', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', '/thrown-response/');
    expect(answer.status).toBe(403);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 403, requestId: answer.requestId, msg: 'Forbidden: /thrown-response/' }]);
  });

  test('a 404, returned or from routing, is not logged and makes no request ID (scanners)', async () => {
    const { app, logger } = appWith(via);
    const returned = await request(app, via, 'GET', '/missing/');
    const unrouted = await request(app, via, 'GET', '/wp-login.php');
    expect([returned.status, unrouted.status]).toEqual([404, 404]);
    expect([returned.requestId, unrouted.requestId]).toEqual([null, null]);
    expect(logger.records).toEqual([]);
  });

  test('a 2xx and a 3xx are not logged and make no request ID', async () => {
    const { app, logger } = appWith(via);
    const ok = await request(app, via, 'GET', '/ok/');
    const moved = await request(app, via, 'GET', '/moved/');
    expect([ok.status, moved.status]).toEqual([200, 302]);
    expect([ok.requestId, moved.requestId]).toEqual([null, null]);
    expect(logger.records).toEqual([]);
  });

  test('a path that cannot be decoded: its 400 is logged with the BadRequest\'s message and the path as sent', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', '/%ZZ/');
    expect(answer.status).toBe(400);
    const msg = "The request path '/%ZZ/' has an invalid percent-escape: /%ZZ/";
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 400, requestId: answer.requestId, msg }]);
  });

  test('a raised BadRequest: Django\'s "<message>: <path>", WARNING, once', async () => {
    const { app, logger } = appWith(via);
    const answer = await request(app, via, 'GET', '/bad-request/');
    expect(answer.status).toBe(400);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 400, requestId: answer.requestId, msg: 'Choose one of the answers: /bad-request/' }]);
  });

  test('a BadRequest without a message: "Bad Request: <path>"; a missing GET key: its message', async () => {
    const { app, logger } = appWith(via);
    const bare = await request(app, via, 'GET', '/bare-bad-request/');
    const missing = await request(app, via, 'GET', '/needs-q/');
    expect([bare.status, missing.status]).toEqual([400, 400]);
    expect(logger.records).toEqual([
      { level: 'warn', name: 'reinhardt.request', status: 400, requestId: bare.requestId, msg: 'Bad Request: /bare-bad-request/' },
      { level: 'warn', name: 'reinhardt.request', status: 400, requestId: missing.requestId, msg: "Missing parameter 'q': /needs-q/" },
    ]);
  });

  test('a body that is not valid multipart: Django\'s "Bad request (Unable to parse request body): <path>" on reinhardt.request', async () => {
    const { app, logger } = appWith(via);
    const headers = { 'Content-Type': 'multipart/form-data' };
    const answer = await request(app, via, 'POST', '/form/', { body: 'x', headers });
    expect(answer.status).toBe(400);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 400, requestId: answer.requestId, msg: 'Bad request (Unable to parse request body): /form/: Invalid boundary in multipart: None' }]);
  });

  test('a 429 from the rate limiter: "Too Many Requests: <path>", WARNING, once', async () => {
    const { app, logger } = appWith(via);
    expect((await request(app, via, 'GET', '/limited/')).status).toBe(200);
    const answer = await request(app, via, 'GET', '/limited/');
    expect(answer.status).toBe(429);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 429, requestId: answer.requestId, msg: 'Too Many Requests: /limited/' }]);
  });

  test('a 4xx a middleware returns is logged like a view\'s', async () => {
    const refuseAll: Middleware = () => new HttpResponseForbidden('closed');
    const { app, logger } = appWith(via, { middleware: [refuseAll] });
    const answer = await request(app, via, 'GET', '/ok/');
    expect(answer.status).toBe(403);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.request', status: 403, requestId: answer.requestId, msg: 'Forbidden: /ok/' }]);
  });
});

describe('a CSRF refusal is logged once, on reinhardt.security.csrf (CsrfViewMiddleware._reject marks it)', () => {
  test.each(['dispatch', 'handle, default stack'] as const)('through %s', async (via) => {
    const { app, logger } = appWith(via);
    const answer =
      via === 'dispatch'
        ? await new Client(app, { enforceCsrfChecks: true }).post('/vote/', { choice: '1' }).then((response) => ({ status: response.statusCode, requestId: response.headers.get('X-Request-ID') }))
        : await request(app, via, 'POST', '/vote/', { body: 'choice=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(403);
    expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.security.csrf', status: 403, requestId: answer.requestId, msg: 'Forbidden (CSRF cookie not set.): /vote/' }]);
  });

  test('with a csrfFailureView that answers later', async () => {
    const csrfFailureView = async (_request: HttpRequest, reason: string) => new HttpResponseForbidden(`refused: ${reason}`);
    const { app, logger } = appWith('dispatch', { settings: { csrfFailureView } });
    const response = await new Client(app, { enforceCsrfChecks: true }).post('/vote/', { choice: '1' });
    expect(response.statusCode).toBe(403);
    expect(logger.records).toEqual([
      { level: 'warn', name: 'reinhardt.security.csrf', status: 403, requestId: response.headers.get('X-Request-ID'), msg: 'Forbidden (CSRF cookie not set.): /vote/' },
    ]);
  });
});
