import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import type { HttpRequest } from '../../src/http/http-request';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { SessionStore } from '../../src/sessions/session-store';
import { Client } from '../../src/testing/client';

@Controller('/s')
class SessionController {
  @Get('/set/')
  set(request: HttpRequest) {
    request.session.set('n', (request.session.get<number>('n') ?? 0) + 1);
    return { ok: true };
  }

  @Get('/read/')
  read(request: HttpRequest) {
    return { n: request.session.get('n') ?? null, key: request.session.sessionKey };
  }

  @Get('/untouched/')
  untouched() {
    return { ok: true };
  }

  @Get('/flush/')
  async flush(request: HttpRequest) {
    await request.session.flush();
    return { ok: true };
  }

  @Get('/boom/')
  boom(request: HttpRequest) {
    request.session.set('half', 'done');
    throw new Error('boom');
  }

  @Get('/browser/')
  browser(request: HttpRequest) {
    request.session.setExpiry(0);
    request.session.set('a', 1);
    return { ok: true };
  }
}

function setup(settings: Partial<Settings> = {}, store = new MemorySessionStore()) {
  const container = root.createChildContainer();
  container.register(SessionStore, { useValue: store });
  const logger = new CapturingLogger();
  const app = createApp({ controllers: [SessionController], settings: { secretKey: 'k', ...settings }, container, logger });
  return { app, store, logger, client: new Client(app) };
}

const EXPIRED = 'sessionid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax';

describe('SessionMiddleware', () => {
  test('a request without a session cookie never touches the store and sends no cookie', async () => {
    const { client, store } = setup();
    const load = jest.spyOn(store, 'load');
    const exists = jest.spyOn(store, 'exists');
    const response = await client.get('/s/untouched/');
    expect(response.statusCode).toBe(200);
    expect(response.cookies.size).toBe(0);
    expect(response.headers.get('Vary')).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
    expect(exists).not.toHaveBeenCalled();
  });

  test('a modified session is saved and its cookie sent: sessionid, two weeks, HttpOnly, SameSite=Lax, Vary: Cookie', async () => {
    const { client, store } = setup();
    const response = await client.get('/s/set/');
    const cookie = response.cookies.get('sessionid')!;
    expect(cookie.value).toMatch(/^[a-z0-9]{32}$/);
    expect(cookie.serialized).toMatch(/^sessionid=[a-z0-9]{32}; Max-Age=1209600; Path=\/; Expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT; HttpOnly; SameSite=Lax$/);
    expect(response.headers.get('Vary')).toBe('Cookie');
    expect(await store.load(cookie.value)).toEqual({ n: 1 });
  });

  test('the next request reads it; an unmodified session is not saved again and sends no cookie', async () => {
    const { client, store } = setup();
    await client.get('/s/set/');
    const save = jest.spyOn(store, 'save');
    const response = await client.get('/s/read/');
    expect(response.json()).toEqual({ n: 1, key: client.cookies.get('sessionid') });
    expect(response.cookies.size).toBe(0);
    expect(response.headers.get('Vary')).toBe('Cookie');
    expect(save).not.toHaveBeenCalled();
  });

  test('an unmodified session that was not read adds no Vary', async () => {
    const { client } = setup();
    await client.get('/s/set/');
    const response = await client.get('/s/untouched/');
    expect(response.headers.get('Vary')).toBeUndefined();
    expect(response.cookies.size).toBe(0);
  });

  test('sessionCookieSecure adds Secure', async () => {
    const { client } = setup({ sessionCookieSecure: true });
    const response = await client.get('/s/set/');
    expect(response.cookies.get('sessionid')!.serialized).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  test('a key the store does not know is not adopted: a new key is issued, the old one stays unknown', async () => {
    const { client, store } = setup();
    const planted = 'attackerchosenkey000000000000000';
    client.cookies.set('sessionid', planted);
    const response = await client.get('/s/set/');
    const issued = response.cookies.get('sessionid')!.value;
    expect(issued).toMatch(/^[a-z0-9]{32}$/);
    expect(issued).not.toBe(planted);
    expect(await store.load(planted)).toBeNull();
  });

  test('an unknown key with nothing to save: the cookie is deleted (Django delete_cookie)', async () => {
    const { client } = setup();
    client.cookies.set('sessionid', 'attackerchosenkey000000000000000');
    const response = await client.get('/s/read/');
    expect(response.json()).toEqual({ n: null, key: null });
    expect(response.cookies.get('sessionid')!.serialized).toBe(EXPIRED);
    expect(response.headers.get('Vary')).toBe('Cookie');
  });

  test('a corrupted record (SuspiciousSession): logged with the request ID as Django logs it, the session starts empty, the cookie is deleted', async () => {
    const { client, store, logger } = setup();
    await client.get('/s/set/');
    const key = client.cookies.get('sessionid')!;
    // Garble the record as a bit flip in memory would (the store keeps JSON text).
    const entries = (store as unknown as { entries: Map<string, { json: string; expiresAt: number }> }).entries;
    entries.set(key, { ...entries.get(key)!, json: '{"n": 1' });
    logger.clear();
    const response = await client.get('/s/read/');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ n: null, key: null });
    expect(response.cookies.get('sessionid')!.serialized).toBe(EXPIRED);
    // Django's db backend: logger "django.security.SuspiciousSession", warning, str(e).
    expect(logger.records).toEqual([
      { level: 'warn', name: 'reinhardt.security.SuspiciousSession', requestId: response.headers.get('X-Request-ID'), msg: 'MemorySessionStore: Session data corrupted' },
    ]);
    expect(response.headers.get('X-Request-ID')).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
  });

  test('flush deletes the record and the cookie', async () => {
    const { client, store } = setup();
    await client.get('/s/set/');
    const key = client.cookies.get('sessionid')!;
    const response = await client.get('/s/flush/');
    expect(response.cookies.get('sessionid')!.serialized).toBe(EXPIRED);
    expect(await store.exists(key)).toBe(false);
  });

  test('nothing is saved for a 500 response', async () => {
    const { client, store } = setup();
    const save = jest.spyOn(store, 'save');
    const response = await client.get('/s/boom/');
    expect(response.statusCode).toBe(500);
    expect(response.cookies.size).toBe(0);
    expect(save).not.toHaveBeenCalled();
  });

  test('setExpiry(0) sends a browser-session cookie: no Max-Age, no Expires', async () => {
    const { client } = setup();
    const response = await client.get('/s/browser/');
    expect(response.cookies.get('sessionid')!.serialized).toMatch(/^sessionid=[a-z0-9]{32}; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  test('a store slower than sessionStoreTimeout answers 503, never hangs (debug: with the reason)', async () => {
    const store = new MemorySessionStore();
    jest.spyOn(store, 'load').mockImplementation(() => new Promise(() => undefined));
    const { client } = setup({ sessionStoreTimeout: 50, debug: true }, store);
    client.cookies.set('sessionid', 'abcdefghijklmnopqrstuvwxyz012345');
    const response = await client.get('/s/read/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ detail: 'Session store unavailable: no answer within 50 ms' });
  });

  test('a store that fails answers 503, with the reason under debug', async () => {
    const store = new MemorySessionStore();
    jest.spyOn(store, 'load').mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
    const { client } = setup({ debug: true }, store);
    client.cookies.set('sessionid', 'abcdefghijklmnopqrstuvwxyz012345');
    const response = await client.get('/s/read/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ detail: 'Session store unavailable: connect ECONNREFUSED 127.0.0.1:6379' });
  });
});
