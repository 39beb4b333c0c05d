import { CacheHandler, cachesFor, ImproperlyConfigured, MemoryCache, RedisCache, resolveSettings } from '../../src';

// Django's CacheHandler (django/core/cache/__init__.py): caches by alias, each built on first use.
describe('cachesFor / CacheHandler', () => {
  test("the default setting is one memory cache under 'default', built once, on first use", () => {
    const settings = resolveSettings({ secretKey: 's' });
    expect(settings.caches).toEqual({ default: { backend: 'memory' } });
    const handler = cachesFor(settings);
    expect(cachesFor(settings)).toBe(handler);
    const cache = handler.get();
    expect(cache).toBeInstanceOf(MemoryCache);
    expect(handler.get('default')).toBe(cache);
  });

  test('each app has its own caches: two settings objects never share a memory cache', async () => {
    const one = cachesFor(resolveSettings({ secretKey: 's' })).get();
    const two = cachesFor(resolveSettings({ secretKey: 's' })).get();
    await one.set('k', 1);
    expect(await two.get('k')).toBeUndefined();
  });

  test('memory caches with one location share a store (Django LOCATION)', async () => {
    const handler = new CacheHandler({ a: { backend: 'memory', location: 'shared-store' }, b: { backend: 'memory', location: 'shared-store' }, c: { backend: 'memory' } });
    await handler.get('a').set('k', 'v');
    expect(await handler.get('b').get('k')).toBe('v');
    expect(await handler.get('c').get('k')).toBeUndefined();
  });

  test('a Redis alias is a RedisCache with its options, not connected until used', () => {
    const handler = new CacheHandler({ default: { backend: 'redis', location: 'redis://127.0.0.1:1/2', keyPrefix: 'site', timeout: null } });
    const cache = handler.get();
    expect(cache).toBeInstanceOf(RedisCache);
    expect(cache.keyPrefix).toBe('site');
    expect(cache.defaultTimeout).toBeNull();
    expect(cache.makeKey('x')).toBe('site:1:x');
  });

  test('an unknown alias names itself and the ones there are', () => {
    expect(() => cachesFor(resolveSettings({ secretKey: 's' })).get('pages')).toThrow(new ImproperlyConfigured("The cache 'pages' is not in the caches setting (default)."));
  });

  test.each([
    [[], "The caches setting must be an object of cache configurations by alias, e.g. { default: { backend: 'memory' } }."],
    [{ default: { backend: 'memcached' } }, `The caches setting's 'default' cache has backend "memcached"; use 'memory' or 'redis'.`],
    [{ default: { backend: 'memory', TIMEOUT: 5 } }, "The caches setting's 'default' cache has an unknown option 'TIMEOUT'."],
    [{ default: { backend: 'memory', timeout: '5' } }, "The caches setting's 'default' cache: timeout must be a number of seconds or null."],
    [{ default: { backend: 'memory', redisOptions: {} } }, "The caches setting's 'default' cache is in memory: client and redisOptions are for 'redis'."],
    [{ other: { backend: 'memory' } }, 'The rateLimitCache setting names the cache "default", which the caches setting does not have.'],
  ])('the setting %j is refused at start: %s', (caches, message) => {
    expect(() => resolveSettings({ secretKey: 's', caches: caches as never })).toThrow(new ImproperlyConfigured(message));
  });
});
