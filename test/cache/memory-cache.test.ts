import { MemoryCache } from '../../src/cache/memory-cache';
import { describeCacheContract } from './cache.contract';

describeCacheContract('MemoryCache', (options) => new MemoryCache({ location: 'contract', ...options }));

describe('MemoryCache', () => {
  test('at maxEntries, 1/cullFrequency of the least recently used entries go (Django test_cull)', async () => {
    const cache = new MemoryCache({ maxEntries: 30, cullFrequency: 3 });
    for (let i = 0; i < 30; i++) await cache.set(`cull${i}`, i);
    // Reading cull0 makes it the most recently used: cull1..cull10 go first.
    expect(await cache.get('cull0')).toBe(0);
    await cache.set('cull30', 30);
    expect(cache.size).toBe(21);
    expect(await cache.has('cull0')).toBe(true);
    for (let i = 1; i <= 10; i++) expect(await cache.has(`cull${i}`)).toBe(false);
    for (let i = 11; i <= 30; i++) expect(await cache.has(`cull${i}`)).toBe(true);
  });

  test('cullFrequency 0 empties the cache at maxEntries (Django test_zero_cull)', async () => {
    const cache = new MemoryCache({ maxEntries: 30, cullFrequency: 0 });
    for (let i = 0; i < 30; i++) await cache.set(`cull${i}`, i);
    await cache.set('last', 'x');
    expect(cache.size).toBe(1);
    expect(await cache.get('last')).toBe('x');
  });

  test('a tiny maxEntries still bounds the cache', async () => {
    const cache = new MemoryCache({ maxEntries: 1 });
    await cache.set('a', 1);
    await cache.set('b', 2);
    expect(cache.size).toBe(1);
    expect(await cache.get('b')).toBe(2);
  });

  test('is not shared: the rate limiter refuses it behind several workers', () => {
    expect(new MemoryCache().shared).toBe(false);
  });

  test('bad options fail at construction', () => {
    expect(() => new MemoryCache({ maxEntries: 0 })).toThrow('maxEntries must be a positive integer.');
    expect(() => new MemoryCache({ cullFrequency: -1 })).toThrow('cullFrequency must be a non-negative integer.');
    expect(() => new MemoryCache({ timeout: Number.NaN })).toThrow('A cache timeout must be a number of seconds or null.');
    expect(() => new MemoryCache({ version: 1.5 })).toThrow('A cache version must be an integer.');
  });
});
