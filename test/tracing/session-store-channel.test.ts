/**
 * `reinhardt:session-store` (src/tracing/channels.ts): SessionMiddleware's load and save, with
 * the store's name; a store that fails is an error event, and the client gets the 503.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { ServiceUnavailable } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { SessionStore } from '../../src/sessions/session-store';
import { Client } from '../../src/testing/client';
import type { SessionStoreTrace } from '../../src/tracing/channels';
import { record } from './record';

@Controller('/s')
class CounterController {
  @Get('/count/')
  count(request: HttpRequest) {
    const n = (request.session.get<number>('n') ?? 0) + 1;
    request.session.set('n', n);
    return { n };
  }

  @Get('/plain/')
  plain() {
    return { ok: true };
  }
}

const fields = (trace: SessionStoreTrace) => ({
  operation: trace.operation,
  store: trace.store,
  path: trace.request.path,
  error: trace.error === undefined ? undefined : (trace.error as Error).message,
});

function client(store: SessionStore) {
  const container = root.createChildContainer();
  container.register(SessionStore, { useValue: store });
  const app = createApp({ controllers: [CounterController], settings: { secretKey: 'k' }, container, logger: new CapturingLogger() });
  return new Client(app);
}

const event = (name: string, operation: string, error?: string) => [name, { operation, store: 'MemorySessionStore', path: '/s/count/', error }];

describe('reinhardt:session-store', () => {
  test('a new session is saved, a known one loaded then saved: one trace per store call, each settling', async () => {
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', fields);
    try {
      const browser = client(new MemorySessionStore());
      expect((await browser.get('/s/count/')).json()).toEqual({ n: 1 });
      expect((await browser.get('/s/count/')).json()).toEqual({ n: 2 });
      expect(tracing.events).toEqual([
        event('start', 'save'), event('end', 'save'), event('asyncStart', 'save'), event('asyncEnd', 'save'),
        event('start', 'load'), event('end', 'load'), event('asyncStart', 'load'), event('asyncEnd', 'load'),
        event('start', 'save'), event('end', 'save'), event('asyncStart', 'save'), event('asyncEnd', 'save'),
      ]);
    } finally {
      tracing.stop();
    }
  });

  test('a request that never touches the store publishes nothing', async () => {
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', fields);
    try {
      await client(new MemorySessionStore()).get('/s/plain/');
      expect(tracing.events).toEqual([]);
    } finally {
      tracing.stop();
    }
  });

  test('a store that is down: the load trace carries its error, and the client gets the 503', async () => {
    const store = new MemorySessionStore();
    store.load = () => Promise.reject(new ServiceUnavailable('Session store unavailable: connection refused'));
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', fields);
    try {
      const response = await client(store).get('/s/count/', undefined, { headers: { Cookie: 'sessionid=abcdefgh12345678' } });
      expect(response.statusCode).toBe(503);
      const down = 'Session store unavailable: connection refused';
      expect(tracing.events).toEqual([event('start', 'load'), event('end', 'load'), event('error', 'load', down), event('asyncStart', 'load', down), event('asyncEnd', 'load', down)]);
    } finally {
      tracing.stop();
    }
  });

  test('unsubscribed, the store is called directly and nothing is published', async () => {
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', fields);
    tracing.stop();
    const browser = client(new MemorySessionStore());
    await browser.get('/s/count/');
    expect((await browser.get('/s/count/')).json()).toEqual({ n: 2 });
    expect(tracing.events).toEqual([]);
  });
});
