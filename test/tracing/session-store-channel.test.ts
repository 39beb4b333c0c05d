/**
 * `reinhardt:session-store` (src/tracing/channels.ts): SessionMiddleware's load and save, and the
 * session's own store calls on login (`cycleKey`: the new record, then the old one's delete) and
 * logout (`flush`: the delete), with the store's name and the request; a store that fails is an
 * error event, and the client gets the 503.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { login, logout } from '../../src/auth/login';
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

  @Get('/login/')
  async login(request: HttpRequest) {
    await login(request, { id: 7 });
    return { key: request.session.sessionKey };
  }

  @Get('/logout/')
  async logout(request: HttpRequest) {
    await logout(request);
    return { key: request.session.sessionKey };
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

const event = (name: string, operation: string, error?: string, path = '/s/count/') => [name, { operation, store: 'MemorySessionStore', path, error }];
/** One store call that settled: Node's tracePromise order (start, end, asyncStart, asyncEnd). */
const settled = (operation: string, path: string) => ['start', 'end', 'asyncStart', 'asyncEnd'].map((name) => event(name, operation, undefined, path));

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

  test('login (cycleKey) publishes the new record as a save and the old key as a delete; logout (flush) its delete, each with the request', async () => {
    const store = new MemorySessionStore();
    const browser = client(store);
    await browser.get('/s/count/');
    const anonymous = browser.cookies.get('sessionid')!;
    const requests: HttpRequest[] = [];
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', (trace) => {
      if (!requests.includes(trace.request)) requests.push(trace.request);
      return fields(trace);
    });
    try {
      const { key } = (await browser.get('/s/login/')).json() as { key: string };
      expect(key).not.toBe(anonymous);
      expect(await store.exists(anonymous)).toBe(false);
      expect((await browser.get('/s/logout/')).json()).toEqual({ key: null });
      expect(await store.exists(key)).toBe(false);
      expect(tracing.events).toEqual([
        // GET /s/login/: the middleware loads the anonymous session; login's cycleKey saves the
        // data under a new key and deletes the old one; the middleware saves the logged-in session.
        ...settled('load', '/s/login/'), ...settled('save', '/s/login/'), ...settled('delete', '/s/login/'), ...settled('save', '/s/login/'),
        // GET /s/logout/: loaded, then flush deletes the record (the middleware only deletes the cookie).
        ...settled('load', '/s/logout/'), ...settled('delete', '/s/logout/'),
      ]);
      expect(requests.map((request) => request.path)).toEqual(['/s/login/', '/s/logout/']);
    } finally {
      tracing.stop();
    }
  });

  test("a delete that fails: the delete trace carries the error, and the client gets the 503", async () => {
    const store = new MemorySessionStore();
    const browser = client(store);
    await browser.get('/s/count/');
    store.delete = () => Promise.reject(new Error('connection reset'));
    const tracing = record<SessionStoreTrace>('reinhardt:session-store', fields);
    try {
      const response = await browser.get('/s/logout/');
      expect(response.statusCode).toBe(503);
      const down = 'Session store unavailable: connection reset';
      expect(tracing.events).toEqual([
        ...settled('load', '/s/logout/'),
        event('start', 'delete', undefined, '/s/logout/'), event('end', 'delete', undefined, '/s/logout/'),
        event('error', 'delete', down, '/s/logout/'), event('asyncStart', 'delete', down, '/s/logout/'), event('asyncEnd', 'delete', down, '/s/logout/'),
      ]);
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
    expect((await browser.get('/s/login/')).json()).toEqual({ key: expect.stringMatching(/^[a-z0-9]{32}$/) });
    expect((await browser.get('/s/logout/')).json()).toEqual({ key: null });
    expect(tracing.events).toEqual([]);
  });
});
