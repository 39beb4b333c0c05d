/**
 * `reinhardt:middleware` (src/tracing/channels.ts): one trace per layer of the onion, the app's
 * and a route's @UseMiddleware, named after the middleware, nested as the onion is.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { UseMiddleware } from '../../decorators/use';
import { createApp } from '../../src/core/application';
import type { NextHandler } from '../../src/core/middleware';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { SessionMiddleware } from '../../src/sessions/session-middleware';
import { Client } from '../../src/testing/client';
import type { MiddlewareTrace } from '../../src/tracing/channels';
import { record } from './record';

async function timing(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
  const response = await next(request);
  response.setHeader('X-Timed', 'yes');
  return response;
}

function refusing(): HttpResponse {
  throw new Error('refused');
}

@Controller('/m')
class PageController {
  @Get('/page/')
  page() {
    return new HttpResponse('page');
  }

  @Get('/guarded/')
  @UseMiddleware(refusing)
  guarded() {
    return new HttpResponse('never');
  }
}

const fields = (trace: MiddlewareTrace) => ({
  middleware: trace.middleware,
  path: trace.request.path,
  status: trace.result?.statusCode,
  error: trace.error === undefined ? undefined : (trace.error as Error).message,
});

function client() {
  const app = createApp({
    controllers: [PageController],
    middleware: [timing, SessionMiddleware],
    settings: { secretKey: 'k' },
    container: root.createChildContainer(),
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

describe('reinhardt:middleware', () => {
  test('each layer is a trace inside the one around it: the inline SessionMiddleware synchronous, the async function layer settling last', async () => {
    const tracing = record<MiddlewareTrace>('reinhardt:middleware', fields);
    try {
      const response = await client().get('/m/page/');
      expect(response.headers.get('X-Timed')).toBe('yes');
      expect(tracing.events).toEqual([
        ['start', { middleware: 'timing', path: '/m/page/', status: undefined, error: undefined }],
        ['start', { middleware: 'SessionMiddleware', path: '/m/page/', status: undefined, error: undefined }],
        ['end', { middleware: 'SessionMiddleware', path: '/m/page/', status: 200, error: undefined }],
        ['end', { middleware: 'timing', path: '/m/page/', status: undefined, error: undefined }],
        ['asyncStart', { middleware: 'timing', path: '/m/page/', status: 200, error: undefined }],
        ['asyncEnd', { middleware: 'timing', path: '/m/page/', status: 200, error: undefined }],
      ]);
    } finally {
      tracing.stop();
    }
  });

  test("a route's @UseMiddleware layer is traced too; an exception it throws becomes the 500 its layer answers", async () => {
    const tracing = record<MiddlewareTrace>('reinhardt:middleware', fields);
    try {
      const response = await client().get('/m/guarded/');
      expect(response.statusCode).toBe(500);
      const guarded = tracing.events.filter(([, { middleware }]) => middleware === 'refusing');
      expect(guarded).toEqual([
        ['start', { middleware: 'refusing', path: '/m/guarded/', status: undefined, error: undefined }],
        ['end', { middleware: 'refusing', path: '/m/guarded/', status: undefined, error: undefined }],
        ['asyncStart', { middleware: 'refusing', path: '/m/guarded/', status: 500, error: undefined }],
        ['asyncEnd', { middleware: 'refusing', path: '/m/guarded/', status: 500, error: undefined }],
      ]);
    } finally {
      tracing.stop();
    }
  });

  test('unsubscribed, no event and the same response', async () => {
    const tracing = record<MiddlewareTrace>('reinhardt:middleware', fields);
    tracing.stop();
    const response = await client().get('/m/page/');
    expect([response.statusCode, response.content.toString(), response.headers.get('X-Timed')]).toEqual([200, 'page', 'yes']);
    expect(tracing.events).toEqual([]);
  });
});
