/**
 * One contract, every cache backend (Hono's router/common.case.test.ts pattern): Django's
 * tests/cache/tests.py BaseCacheTests, ported; each backend's test file calls
 * `describeCacheContract` with a factory making a cache with the given options.
 */
import { Cache, CacheKeyMissing, type CacheOptions } from '../../src/cache/cache';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeCacheContract(name: string, make: (options?: CacheOptions) => Cache): void {
  describe(`${name} satisfies the Cache contract (Django's BaseCacheTests)`, () => {
    let cache: Cache;

    beforeEach(async () => {
      cache = make();
      await cache.clear();
    });

    test('simple: a value set is got back; a missing key gives undefined or the default', async () => {
      await cache.set('key', 'value');
      expect(await cache.get('key')).toBe('value');
      expect(await cache.get('does_not_exist')).toBeUndefined();
      expect(await cache.get('does_not_exist', 'bang!')).toBe('bang!');
    });

    test('add stores only when the key holds nothing, and says so', async () => {
      expect(await cache.add('addkey1', 'value')).toBe(true);
      expect(await cache.add('addkey1', 'newvalue')).toBe(false);
      expect(await cache.get('addkey1')).toBe('value');
    });

    test('the key prefix and version keep caches apart (test_prefix)', async () => {
      const other = make({ keyPrefix: 'cacheprefix' });
      await cache.set('somekey', 'value');
      expect(await other.has('somekey')).toBe(false);
      await other.set('somekey', 'other');
      expect(await cache.get('somekey')).toBe('value');
      expect(await other.get('somekey')).toBe('other');
      expect(other.makeKey('somekey')).toBe('cacheprefix:1:somekey');
    });

    test('getMany returns the keys that hold a value, and nothing for an empty list', async () => {
      await cache.set('a', 'a');
      await cache.set('b', 'b');
      await cache.set('c', 'c');
      await cache.set('d', 'd');
      expect(await cache.getMany(['a', 'c', 'd'])).toEqual({ a: 'a', c: 'c', d: 'd' });
      expect(await cache.getMany(['a', 'b', 'e'])).toEqual({ a: 'a', b: 'b' });
      expect(await cache.getMany([])).toEqual({});
    });

    test('delete removes a key and tells whether it held one', async () => {
      await cache.set('key1', 'spam');
      await cache.set('key2', 'eggs');
      expect(await cache.delete('key1')).toBe(true);
      expect(await cache.get('key1')).toBeUndefined();
      expect(await cache.get('key2')).toBe('eggs');
      expect(await cache.delete('key1')).toBe(false);
    });

    test('has tells a stored value (null included) from none', async () => {
      await cache.set('hello1', 'goodbye1');
      await cache.set('no_value', null);
      expect(await cache.has('hello1')).toBe(true);
      expect(await cache.has('goodbye1')).toBe(false);
      expect(await cache.has('no_value')).toBe(true);
      expect(await cache.get('no_value', 'default')).toBeNull();
    });

    test('incr and decr add to an integer atomically; a missing key throws CacheKeyMissing', async () => {
      await cache.set('answer', 41);
      expect(await cache.incr('answer')).toBe(42);
      expect(await cache.get('answer')).toBe(42);
      expect(await cache.incr('answer', 10)).toBe(52);
      expect(await cache.incr('answer', -10)).toBe(42);
      expect(await cache.decr('answer')).toBe(41);
      expect(await cache.decr('answer', 10)).toBe(31);
      await expect(cache.incr('does_not_exist')).rejects.toThrow(CacheKeyMissing);
      await expect(cache.decr('does_not_exist')).rejects.toThrow("Key 'does_not_exist' not found");
      await cache.set('text', 'abc');
      await expect(cache.incr('text')).rejects.toThrow(TypeError);
      await expect(cache.incr('answer', 1.5)).rejects.toThrow(TypeError);
    });

    test('concurrent incr calls lose no update', async () => {
      await cache.set('counter', 0);
      await Promise.all(Array.from({ length: 50 }, () => cache.incr('counter')));
      expect(await cache.get('counter')).toBe(50);
    });

    test('data types round-trip as JSON, and a stored object is a copy', async () => {
      const stuff = { string: 'this is a string', int: 42, list: [1, 2, 3, 4], nested: { a: [true, false, null] }, float: 1.5, unicode: 'Ångström ü 日本' };
      await cache.set('data', stuff);
      expect(await cache.get('data')).toEqual(stuff);
      stuff.list.push(5);
      expect(((await cache.get('data')) as typeof stuff).list).toEqual([1, 2, 3, 4]);
      await cache.set('falsy', false);
      expect(await cache.get('falsy')).toBe(false);
      await cache.set('zero', 0);
      expect(await cache.get('zero')).toBe(0);
      await expect(cache.set('undefined', undefined)).rejects.toThrow('A cache value must be JSON-serialisable; got undefined.');
    });

    test('unicode keys and values', async () => {
      const pairs: Record<string, unknown> = { 'ascii': 'ascii_value', 'unicode_ascii': 'Iñtërnâtiônàlizætiøn1', 'Iñtërnâtiônàlizætiøn': 'Iñtërnâtiônàlizætiøn2', 'ascii2': { x: 1 } };
      for (const [key, value] of Object.entries(pairs)) {
        await cache.set(key, value);
        expect(await cache.get(key)).toEqual(value);
        expect(await cache.delete(key)).toBe(true);
        expect(await cache.add(key, value)).toBe(true);
        expect(await cache.get(key)).toEqual(value);
      }
      await cache.setMany(pairs);
      expect(await cache.getMany(Object.keys(pairs))).toEqual(pairs);
    });

    test('a value expires after its timeout; add and touch see it gone', async () => {
      await cache.set('expire1', 'very quickly', 0.3);
      await cache.set('expire2', 'very quickly', 0.3);
      await cache.set('expire3', 'very quickly', 0.3);
      await sleep(450);
      expect(await cache.get('expire1')).toBeUndefined();
      expect(await cache.add('expire2', 'newvalue')).toBe(true);
      expect(await cache.get('expire2')).toBe('newvalue');
      expect(await cache.has('expire3')).toBe(false);
      expect(await cache.touch('expire3')).toBe(false);
    });

    test('touch gives a key a new timeout (longer, null for forever); false for a missing key', async () => {
      await cache.set('expire1', 'very quickly', 0.3);
      expect(await cache.touch('expire1', 10)).toBe(true);
      await cache.set('expire2', 'very quickly', 0.3);
      expect(await cache.touch('expire2', null)).toBe(true);
      await sleep(450);
      expect(await cache.get('expire1')).toBe('very quickly');
      expect(await cache.get('expire2')).toBe('very quickly');
      expect(await cache.touch('nonexistent')).toBe(false);
      await cache.set('forever', 'x', null);
      expect(await cache.touch('forever', null)).toBe(true);
    });

    test('timeout null is forever; 0 (or less) expires at once, for set, add, setMany and touch', async () => {
      await cache.set('key1', 'eggs', null);
      expect(await cache.get('key1')).toBe('eggs');
      expect(await cache.add('key1', 'newvalue', null)).toBe(false);
      await cache.set('key2', 'ham', 0);
      expect(await cache.get('key2')).toBeUndefined();
      expect(await cache.add('key3', 'chicken', 0)).toBe(true);
      expect(await cache.get('key3')).toBeUndefined();
      await cache.setMany({ key4: 'lobster bisque', key5: 'green eggs' }, 0);
      expect(await cache.getMany(['key4', 'key5'])).toEqual({});
      await cache.set('key6', 'bacon', -1);
      expect(await cache.get('key6')).toBeUndefined();
      await cache.set('key7', 'toast');
      expect(await cache.touch('key7', 0)).toBe(true);
      expect(await cache.get('key7')).toBeUndefined();
    });

    test('a long timeout (over 30 days, which memcached reads as a date) is kept', async () => {
      await cache.set('key1', 'eggs', 60 * 60 * 24 * 30 + 1);
      expect(await cache.get('key1')).toBe('eggs');
      expect(await cache.add('key2', 'ham', 60 * 60 * 24 * 30 + 1)).toBe(true);
      expect(await cache.get('key2')).toBe('ham');
    });

    test('the default timeout applies when a call gives none', async () => {
      const short = make({ timeout: 0.3 });
      await short.set('default-timeout', 'x');
      expect(await short.get('default-timeout')).toBe('x');
      await sleep(450);
      expect(await short.get('default-timeout')).toBeUndefined();
    });

    test('setMany stores all with one timeout and returns no failed keys; deleteMany removes them', async () => {
      expect(await cache.setMany({ key1: 'spam', key2: 'eggs' })).toEqual([]);
      expect(await cache.get('key1')).toBe('spam');
      expect(await cache.get('key2')).toBe('eggs');
      await cache.setMany({ key1: 'spam', key2: 'eggs' }, 0.3);
      await sleep(450);
      expect(await cache.get('key1')).toBeUndefined();
      await cache.setMany({ key1: 'spam', key2: 'eggs', key3: 'ham' });
      await cache.deleteMany(['key1', 'key2']);
      expect(await cache.getMany(['key1', 'key2', 'key3'])).toEqual({ key3: 'ham' });
      await cache.deleteMany([]);
    });

    test('clear empties the cache', async () => {
      await cache.set('key1', 'spam');
      await cache.set('key2', 'eggs');
      await cache.clear();
      expect(await cache.get('key1')).toBeUndefined();
      expect(await cache.get('key2')).toBeUndefined();
    });

    test('versions: a value is read only with its version; the cache version is the default', async () => {
      const v2 = make({ version: 2 });
      await cache.set('answer1', 42);
      expect(await cache.get('answer1')).toBe(42);
      expect(await cache.get('answer1', undefined, 1)).toBe(42);
      expect(await cache.get('answer1', undefined, 2)).toBeUndefined();
      expect(await v2.get('answer1')).toBeUndefined();
      expect(await v2.get('answer1', undefined, 1)).toBe(42);
      await cache.set('answer2', 42, undefined, 2);
      expect(await cache.get('answer2')).toBeUndefined();
      expect(await v2.get('answer2')).toBe(42);
      expect(await cache.add('answer2', 37)).toBe(true);
      expect(await cache.has('answer2', 2)).toBe(true);
      expect(await cache.delete('answer2', 2)).toBe(true);
      expect(await cache.get('answer2')).toBe(37);
      expect(await cache.incr('answer2', 1, 1)).toBe(38);
      await expect(cache.incr('answer2', 1, 2)).rejects.toThrow(CacheKeyMissing);
      await cache.setMany({ ford1: 37, arthur1: 42 }, undefined, 2);
      expect(await cache.getMany(['ford1', 'arthur1'])).toEqual({});
      expect(await v2.getMany(['ford1', 'arthur1'])).toEqual({ ford1: 37, arthur1: 42 });
      await v2.deleteMany(['ford1']);
      expect(await cache.getMany(['ford1', 'arthur1'], 2)).toEqual({ arthur1: 42 });
    });

    test('incrVersion and decrVersion move a value between versions; a missing key throws', async () => {
      await cache.set('answer', 42, undefined, 2);
      expect(await cache.incrVersion('answer', 1, 2)).toBe(3);
      expect(await cache.get('answer', undefined, 2)).toBeUndefined();
      expect(await cache.get('answer', undefined, 3)).toBe(42);
      expect(await cache.decrVersion('answer', 1, 3)).toBe(2);
      expect(await cache.get('answer', undefined, 2)).toBe(42);
      await cache.set('default-version', 'x');
      expect(await cache.incrVersion('default-version')).toBe(2);
      expect(await cache.get('default-version')).toBeUndefined();
      await expect(cache.incrVersion('does_not_exist')).rejects.toThrow(CacheKeyMissing);
    });

    test('getOrSet adds the default (a value or a function, sync or async) only when the key holds nothing', async () => {
      expect(await cache.get('projector')).toBeUndefined();
      expect(await cache.getOrSet('projector', 42)).toBe(42);
      expect(await cache.get('projector')).toBe(42);
      expect(await cache.getOrSet('projector', 43)).toBe(42);
      let calls = 0;
      const compute = async () => {
        calls++;
        return 'value';
      };
      expect(await cache.getOrSet('mykey', compute)).toBe('value');
      expect(await cache.getOrSet('mykey', compute)).toBe('value');
      expect(calls).toBe(1);
      expect(await cache.getOrSet('null', () => null)).toBeNull();
      expect(await cache.getOrSet('brand', 'x', undefined, 2)).toBe('x');
      expect(await cache.get('brand')).toBeUndefined();
      expect(await cache.getOrSet('now-expired', 'x', 0)).toBe('x');
    });

    test('a custom key function decides the stored key', async () => {
      const custom = make({ keyFunc: (key, prefix, version) => `CUSTOM-${prefix}-${version}-${key}` });
      await custom.set('answer1', 42);
      expect(await custom.get('answer1')).toBe(42);
      expect(await cache.get('answer1')).toBeUndefined();
      expect(custom.makeKey('answer1')).toBe('CUSTOM--1-answer1');
    });
  });
}
