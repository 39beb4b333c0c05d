import Redis from 'ioredis';
import { ServiceUnavailable } from '../../src/http/errors';
import { RedisSessionStore } from '../../src/sessions/redis-session-store';
import { Session } from '../../src/sessions/session';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { describeSessionStoreContract, settings } from './session-store.contract';

let redis: RedisServer;
const stores: RedisSessionStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await redis?.stop();
});

function makeStore(prefix = 'session:'): RedisSessionStore {
  const store = new RedisSessionStore({ url: redis.url, prefix });
  stores.push(store);
  return store;
}

describeSessionStoreContract('RedisSessionStore', () => {
  const store = makeStore();
  return {
    store,
    stateless: false,
    async corrupt(key) {
      await store.client.set(`session:${key}`, '\u0000not json');
      return key;
    },
  };
});

describe('RedisSessionStore', () => {
  test('keeps each session as one prefixed key with a TTL close to the expiry age', async () => {
    const store = makeStore('app1:');
    const session = new Session(store, settings);
    session.set('a', 1);
    await session.save();
    const key = `app1:${session.sessionKey}`;
    expect(await store.client.get(key)).toBe('{"a":1}');
    const ttl = await store.client.pttl(key);
    expect(ttl).toBeGreaterThan((settings.sessionCookieAge - 5) * 1000);
    expect(ttl).toBeLessThanOrEqual(settings.sessionCookieAge * 1000);
  });

  test('a client passed in is used as is and left open by close()', async () => {
    const client = new Redis(redis.url);
    const store = new RedisSessionStore({ client });
    await store.save('ownclient0000000', { a: 1 }, 60);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.get('session:ownclient0000000')).toBe('{"a":1}');
    await client.quit();
  });

  test('Redis down: the call fails fast with ServiceUnavailable, and works again when Redis is back', async () => {
    const own = await startRedisServer();
    const store = new RedisSessionStore({ url: own.url });
    stores.push(store);
    await store.save('downtest00000000', { a: 1 }, 60);
    await own.stop();
    const session = new Session(store, { ...settings, sessionStoreTimeout: 1500 });
    const started = Date.now();
    const failure = await session.load('downtest00000000').then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailable);
    expect((failure as Error).message).toMatch(/^Session store unavailable: /);
    expect(Date.now() - started).toBeLessThan(1500);

    const again = await startRedisServer(own.port);
    try {
      const deadline = Date.now() + 8000;
      while (store.client.status !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const back = new Session(store, settings);
      await back.load('downtest00000000'); // the old server's data is gone: a fresh session
      back.set('b', 2);
      await back.save();
      expect(await store.load(back.sessionKey!)).toEqual({ b: 2 });
    } finally {
      await store.close();
      await again.stop();
    }
  });
});
