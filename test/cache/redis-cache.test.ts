import Redis from 'ioredis';
import { RedisCache } from '../../src/cache/redis-cache';
import { ServiceUnavailable } from '../../src/http/errors';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { describeCacheContract } from './cache.contract';

let redis: RedisServer;
const caches: RedisCache[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(caches.map((cache) => cache.close()));
  await redis?.stop();
});

function makeCache(options: ConstructorParameters<typeof RedisCache>[0] = {}): RedisCache {
  const cache = new RedisCache({ location: redis.url, ...options });
  caches.push(cache);
  return cache;
}

describeCacheContract('RedisCache', (options) => makeCache(options));

describe('RedisCache', () => {
  test('integers are stored as plain digits, so INCRBY counts them; other values as JSON with a PX expiry', async () => {
    const cache = makeCache({ keyPrefix: 'raw' });
    const client = new Redis(redis.url);
    try {
      await cache.set('count', 5, 60);
      expect(await client.get('raw:1:count')).toBe('5');
      await client.incrby('raw:1:count', 2);
      expect(await cache.get('count')).toBe(7);
      await cache.set('poll', { q: 'Tea?' }, 60);
      expect(await client.get('raw:1:poll')).toBe('{"q":"Tea?"}');
      const ttl = await client.pttl('raw:1:poll');
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await cache.set('forever', 1, null);
      expect(await client.pttl('raw:1:forever')).toBe(-1);
    } finally {
      await client.quit();
    }
  });

  test('connects on first use, not when made', async () => {
    const cache = makeCache({ location: 'redis://127.0.0.1:1' });
    // Nothing connects (and nothing fails) until a command is sent.
    expect(cache.shared).toBe(true);
    await expect(cache.get('x')).rejects.toThrow(ServiceUnavailable);
  });

  test('two caches on one server share values (what makes it usable across processes)', async () => {
    const a = makeCache({ keyPrefix: 'shared' });
    const b = makeCache({ keyPrefix: 'shared' });
    await a.set('k', 'v');
    expect(await b.get('k')).toBe('v');
    expect(await b.add('k', 'w')).toBe(false);
  });

  test('Redis down: each call fails fast with ServiceUnavailable, and works again when Redis is back', async () => {
    const own = await startRedisServer();
    const cache = makeCache({ location: own.url });
    await cache.set('k', 1);
    await own.stop();
    const failure = await cache.get('k').then(() => null, (error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailable);
    expect((failure as Error).message).toMatch(/^Cache unavailable: /);
    const again = await startRedisServer(own.port);
    try {
      let value: unknown = 'unavailable';
      const deadline = Date.now() + 8000;
      while (value === 'unavailable' && Date.now() < deadline) {
        value = await cache.get('k').catch(() => 'unavailable');
        if (value === 'unavailable') await new Promise((r) => setTimeout(r, 100));
      }
      expect(value).toBeUndefined(); // the new server is empty
      await cache.set('k', 2);
      expect(await cache.get('k')).toBe(2);
    } finally {
      await again.stop();
    }
  });
});
