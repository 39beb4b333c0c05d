/**
 * `reinhardt:request` (src/tracing/channels.ts): subscribed to by name, as an APM would, it
 * reports each request's dispatch with its route, controller and method, the response's status,
 * and the exception a handler threw; with nobody listening the pipeline is the plain one.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { Http404 } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { JsonResponse } from '../../src/http/json-response';
import { Client } from '../../src/testing/client';
import type { RequestTrace } from '../../src/tracing/channels';
import { record } from './record';

const spans = new AsyncLocalStorage<string>();

@Controller('/polls')
class PollController {
  @Get('/<int:id>/')
  detail(_request: HttpRequest, id: number) {
    return new JsonResponse({ id });
  }

  @Get('/slow/')
  async slow() {
    await new Promise((resolve) => setImmediate(resolve));
    return { span: spans.getStore() ?? null };
  }

  @Get('/boom/')
  boom(): never {
    throw new Error('boom');
  }

  @Get('/slow-boom/')
  async slowBoom() {
    await Promise.resolve();
    throw new Error('slow boom');
  }

  @Post('/echo/')
  echo(request: HttpRequest) {
    return new JsonResponse({ got: request.POST.get('choice') });
  }

  @Get('/missing/')
  missing(): never {
    throw new Http404('no such poll');
  }
}

const silent = new CapturingLogger();
const fields = (trace: RequestTrace) => ({
  path: trace.request.path,
  route: trace.route,
  controller: trace.controller,
  method: trace.method,
  status: trace.result?.statusCode,
  error: trace.error === undefined ? undefined : (trace.error as Error).message,
});

function client(middleware?: []) {
  const app = createApp({ controllers: [PollController], middleware, settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: silent });
  return { app, client: new Client(app) };
}

let tracing: ReturnType<typeof record<RequestTrace>>;
beforeEach(() => {
  tracing = record<RequestTrace>('reinhardt:request', fields);
});
afterEach(() => tracing.stop());

const detail = { path: '/polls/7/', route: '/polls/<int:id>/', controller: 'PollController', method: 'detail' };

describe('reinhardt:request', () => {
  test('a synchronous handler: start with the route, controller and method, then end with the 200', async () => {
    const response = await client().client.get('/polls/7/');
    expect(response.statusCode).toBe(200);
    expect(tracing.events).toEqual([
      ['start', { ...detail, status: undefined, error: undefined }],
      ['end', { ...detail, status: 200, error: undefined }],
    ]);
  });

  test('an asynchronous handler: end when the dispatch returned its promise, asyncStart and asyncEnd with the response', async () => {
    const slow = { path: '/polls/slow/', route: '/polls/slow/', controller: 'PollController', method: 'slow', error: undefined };
    await client().client.get('/polls/slow/');
    expect(tracing.events).toEqual([
      ['start', { ...slow, status: undefined }],
      ['end', { ...slow, status: undefined }],
      ['asyncStart', { ...slow, status: 200 }],
      ['asyncEnd', { ...slow, status: 200 }],
    ]);
  });

  test('a throwing handler: the error event carries the exception, and the trace ends with the 500 it became', async () => {
    const boom = { path: '/polls/boom/', route: '/polls/boom/', controller: 'PollController', method: 'boom' };
    const response = await client().client.get('/polls/boom/');
    expect(response.statusCode).toBe(500);
    expect(tracing.events).toEqual([
      ['start', { ...boom, status: undefined, error: undefined }],
      ['error', { ...boom, status: undefined, error: 'boom' }],
      ['end', { ...boom, status: undefined, error: 'boom' }],
      ['asyncStart', { ...boom, status: 500, error: 'boom' }],
      ['asyncEnd', { ...boom, status: 500, error: 'boom' }],
    ]);
  });

  test('an async handler that rejects, without middleware: error after end, then the 500', async () => {
    const boom = { path: '/polls/slow-boom/', route: '/polls/slow-boom/', controller: 'PollController', method: 'slowBoom' };
    const response = await client([]).client.get('/polls/slow-boom/');
    expect(response.statusCode).toBe(500);
    expect(tracing.events).toEqual([
      ['start', { ...boom, status: undefined, error: undefined }],
      ['end', { ...boom, status: undefined, error: undefined }],
      ['error', { ...boom, status: undefined, error: 'slow boom' }],
      ['asyncStart', { ...boom, status: 500, error: 'slow boom' }],
      ['asyncEnd', { ...boom, status: 500, error: 'slow boom' }],
    ]);
  });

  test('a handler raising Http404 is an error event too; its status says it is the client\'s', async () => {
    const response = await client([]).client.get('/polls/missing/');
    expect(response.statusCode).toBe(404);
    expect(tracing.events.map(([event, { status, error }]) => [event, status, error])).toEqual([
      ['start', undefined, undefined],
      ['error', undefined, 'no such poll'],
      ['end', undefined, 'no such poll'],
      ['asyncStart', 404, 'no such poll'],
      ['asyncEnd', 404, 'no such poll'],
    ]);
  });

  test('a path no route matches: a trace with a null route, controller and method, ending with the 404', async () => {
    const nowhere = { path: '/nowhere/', route: null, controller: null, method: null, error: undefined };
    const response = await client().client.get('/nowhere/');
    expect(response.statusCode).toBe(404);
    expect(tracing.events).toEqual([
      ['start', { ...nowhere, status: undefined }],
      ['end', { ...nowhere, status: 404 }],
    ]);
  });

  test('a store bound to the start channel is the handler\'s context, across its awaits (how OpenTelemetry keeps the active span)', async () => {
    const start = diagnosticsChannel.tracingChannel<unknown, RequestTrace>('reinhardt:request').start;
    start.bindStore(spans, (trace) => `span for ${trace.route}`);
    try {
      const response = await client().client.get('/polls/slow/');
      expect(response.json()).toEqual({ span: 'span for /polls/slow/' });
    } finally {
      start.unbindStore(spans);
    }
  });

  test('unsubscribing restores the plain path: no event, and the app answers as before', async () => {
    tracing.stop();
    expect(diagnosticsChannel.tracingChannel('reinhardt:request').hasSubscribers).toBe(false);
    const { client: plain } = client();
    expect((await plain.get('/polls/7/')).json()).toEqual({ id: 7 });
    expect((await plain.get('/polls/boom/')).statusCode).toBe(500);
    expect(tracing.events).toEqual([]);
  });
});

describe('reinhardt:request on node:http', () => {
  let server: Server;
  let endedInHandle: boolean[];

  beforeEach(async () => {
    const app = createApp({ controllers: [PollController], middleware: [], settings: { secretKey: 'k' }, container: root.createChildContainer(), logger: silent });
    endedInHandle = [];
    server = createServer((req, res) => {
      app.handle(req, res);
      endedInHandle.push(res.writableEnded);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function get(path: string, form?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      const headers = form === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(form.length) };
      httpRequest({ port, host: '127.0.0.1', path, agent: false, method: form === undefined ? 'GET' : 'POST', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
      }).on('error', reject).end(form);
    });
  }

  test('a bare app traces a synchronous handler and still answers it in the same tick; unsubscribed, the same', async () => {
    expect(await get('/polls/7/')).toEqual({ status: 200, body: '{"id":7}' });
    tracing.stop();
    expect(await get('/polls/8/')).toEqual({ status: 200, body: '{"id":8}' });
    expect(tracing.events).toEqual([
      ['start', { ...detail, status: undefined, error: undefined }],
      ['end', { ...detail, status: 200, error: undefined }],
    ]);
    expect(endedInHandle).toEqual([true, true]);
  });

  test('a bare app traces a request with a body, which the untraced path answers a tick later, and gives the same answer', async () => {
    const echo = { path: '/polls/echo/', route: '/polls/echo/', controller: 'PollController', method: 'echo', error: undefined };
    expect(await get('/polls/echo/', 'choice=2')).toEqual({ status: 200, body: '{"got":"2"}' });
    tracing.stop();
    expect(await get('/polls/echo/', 'choice=3')).toEqual({ status: 200, body: '{"got":"3"}' });
    expect(tracing.events).toEqual([
      ['start', { ...echo, status: undefined }],
      ['end', { ...echo, status: undefined }],
      ['asyncStart', { ...echo, status: 200 }],
      ['asyncEnd', { ...echo, status: 200 }],
    ]);
  });
});
