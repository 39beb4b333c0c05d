/**
 * The cache API every backend has (Django's `django/core/cache/backends/base.py`, camelCased and
 * Promise-returning): `BaseCache` owns the default timeout, the key prefix, the version and the
 * key function, and builds the composite methods (getMany, setMany, getOrSet, incr, decr,
 * incrVersion...) on a few primitives each backend implements (get, set, add, touch, delete,
 * clear). A backend overrides a composite only when it can do it better (Redis's MGET, an atomic
 * INCRBY).
 */

/** Django's `default_key_func` signature: the key the backend stores under. */
export type CacheKeyFunction = (key: string, keyPrefix: string, version: number) => string;

/** The options every backend takes (Django's TIMEOUT, KEY_PREFIX, VERSION, KEY_FUNCTION). */
export interface CacheOptions {
  /** Seconds a value lives when `set` is given no timeout; `null`: forever. Default 300. */
  timeout?: number | null;
  /** Put in front of every key (`keyFunc`'s second argument). Default ''. */
  keyPrefix?: string;
  /** The version of keys when a call gives none. Default 1. */
  version?: number;
  /** Builds the stored key. Default `${keyPrefix}:${version}:${key}` (Django's `default_key_func`). */
  keyFunc?: CacheKeyFunction;
}

/**
 * A timeout as the callers write it: `undefined` is the cache's default, `null` is forever, and
 * `0` or less is "expire now" (Django: `timeout=0` expires the value immediately).
 */
export type CacheTimeout = number | null | undefined;

/**
 * Django's `default_key_func`.
 * @example defaultKeyFunc('poll:1', 'site', 2) // 'site:2:poll:1'
 */
export function defaultKeyFunc(key: string, keyPrefix: string, version: number): string {
  return `${keyPrefix}:${version}:${key}`;
}

/**
 * What a cache stores: values JSON can carry. Values are kept as their JSON text (Django pickles
 * them), so a value changed after `set` does not change what is stored, and integers are stored
 * as plain digits, which Redis's INCRBY counts on. A `Date` comes back as its ISO string.
 */
export function encodeCacheValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`A cache value must be JSON-serialisable; got ${typeof value}.`);
  return text;
}

export function decodeCacheValue(text: string): unknown {
  return JSON.parse(text);
}

/**
 * `incr`/`decr` on a key that holds no value (Django raises ValueError).
 * @example
 * try { await cache.incr('visits'); } catch (error) { if (error instanceof CacheKeyMissing) await cache.set('visits', 1); }
 */
export class CacheKeyMissing extends Error {
  constructor(key: string) {
    super(`Key '${key}' not found`);
    this.name = 'CacheKeyMissing';
  }
}

/**
 * The API of every cache backend (Django's `BaseCache`). Every method takes the key as the
 * caller wrote it; `makeKey` turns it into the stored one.
 * @example
 * const cache = cachesFor(request.settings).get();
 * await cache.set('poll:1', { question: 'Tea?' }, 60);
 * if (await cache.add('lock:export', true, 30)) await runExport();
 */
export abstract class Cache {
  readonly defaultTimeout: number | null;
  readonly keyPrefix: string;
  readonly version: number;
  readonly keyFunc: CacheKeyFunction;
  /**
   * Whether every process and machine using this cache sees the same data, with atomic `add`
   * and `incr` (Redis: yes; process memory: no). Rate limiting refuses an unshared cache when
   * the app runs on several workers (django-ratelimit's check).
   */
  abstract readonly shared: boolean;

  constructor(options: CacheOptions = {}) {
    const timeout = options.timeout === undefined ? 300 : options.timeout;
    if (timeout !== null && !(typeof timeout === 'number' && Number.isFinite(timeout))) {
      throw new TypeError('A cache timeout must be a number of seconds or null.');
    }
    const version = options.version ?? 1;
    if (!Number.isInteger(version)) throw new TypeError('A cache version must be an integer.');
    this.defaultTimeout = timeout;
    this.keyPrefix = options.keyPrefix ?? '';
    this.version = version;
    this.keyFunc = options.keyFunc ?? defaultKeyFunc;
  }

  /**
   * The key the backend stores `key` under for `version` (default: the cache's version).
   * @example new MemoryCache({ keyPrefix: 'site' }).makeKey('poll:1') // 'site:1:poll:1'
   */
  makeKey(key: string, version?: number): string {
    return this.keyFunc(key, this.keyPrefix, version ?? this.version);
  }

  /**
   * Milliseconds a value set with `timeout` lives: null for forever, 0 for "expire now"
   * (Django's `get_backend_timeout`).
   */
  protected lifetimeMs(timeout: CacheTimeout): number | null {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout;
    if (seconds === null) return null;
    if (typeof seconds !== 'number' || Number.isNaN(seconds)) throw new TypeError('A cache timeout must be a number of seconds or null.');
    return seconds <= 0 ? 0 : Math.max(1, Math.round(seconds * 1000));
  }

  // -- Primitives (each backend) --

  /** The value under `key`, or `defaultValue` when there is none. */
  abstract get<T = unknown>(key: string, defaultValue?: T, version?: number): Promise<T | undefined>;
  /** Stores `value` under `key` for `timeout` seconds. */
  abstract set(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<void>;
  /** Stores `value` only if `key` holds nothing; true when it stored it. Atomic. */
  abstract add(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<boolean>;
  /** Gives `key` a new timeout; false when the key holds nothing. */
  abstract touch(key: string, timeout?: CacheTimeout, version?: number): Promise<boolean>;
  /** Removes `key`; true when it held a value. */
  abstract delete(key: string, version?: number): Promise<boolean>;
  /** Removes every key of this cache. */
  abstract clear(): Promise<void>;
  /** Lets go of connections (Django's `close`); memory has none. */
  async close(): Promise<void> {}

  // -- Composites (Django's BaseCache) --

  /** Whether `key` holds a value (Django's `has_key` / `in`). */
  async has(key: string, version?: number): Promise<boolean> {
    return (await this.get(key, MISSING, version)) !== MISSING;
  }

  /**
   * The values of the keys that hold one, by key; missing keys are left out.
   * @example await cache.getMany(['a', 'b']) // { a: 1 }
   */
  async getMany(keys: readonly string[], version?: number): Promise<Record<string, unknown>> {
    const found: Record<string, unknown> = {};
    for (const key of keys) {
      const value = await this.get(key, MISSING, version);
      if (value !== MISSING) found[key] = value;
    }
    return found;
  }

  /** Stores every entry; returns the keys that failed to store (Django: memcached only, so []). */
  async setMany(data: Record<string, unknown>, timeout?: CacheTimeout, version?: number): Promise<string[]> {
    for (const [key, value] of Object.entries(data)) await this.set(key, value, timeout, version);
    return [];
  }

  async deleteMany(keys: readonly string[], version?: number): Promise<void> {
    for (const key of keys) await this.delete(key, version);
  }

  /**
   * The value under `key`; when there is none, `defaultValue` (called first when it is a
   * function) is added and returned. As Django, a value another caller added meanwhile wins.
   * @example const polls = await cache.getOrSet('polls', () => loadPolls(), 60);
   */
  async getOrSet<T>(key: string, defaultValue: T | (() => T | Promise<T>), timeout?: CacheTimeout, version?: number): Promise<T> {
    const value = await this.get<T>(key, MISSING as T, version);
    if (value !== MISSING) return value as T;
    const computed = typeof defaultValue === 'function' ? await (defaultValue as () => T | Promise<T>)() : defaultValue;
    await this.add(key, computed, timeout, version);
    // The value stored now (another caller's, if it added first); the computed one if it already expired.
    return this.get<T>(key, computed, version) as Promise<T>;
  }

  /**
   * Adds `delta` to the integer under `key` and returns the result; a missing key throws
   * `CacheKeyMissing` (Django's ValueError), a value that is not an integer a TypeError.
   * Backends make it atomic.
   */
  abstract incr(key: string, delta?: number, version?: number): Promise<number>;

  /** `incr(key, -delta)`. */
  decr(key: string, delta = 1, version?: number): Promise<number> {
    return this.incr(key, -delta, version);
  }

  /**
   * Moves the value under `key` to version `version + delta` and returns the new version (Django's
   * `incr_version`): how to invalidate a key without knowing every reader.
   */
  async incrVersion(key: string, delta = 1, version?: number): Promise<number> {
    const from = version ?? this.version;
    const value = await this.get(key, MISSING, from);
    if (value === MISSING) throw new CacheKeyMissing(key);
    await this.set(key, value, undefined, from + delta);
    await this.delete(key, from);
    return from + delta;
  }

  decrVersion(key: string, delta = 1, version?: number): Promise<number> {
    return this.incrVersion(key, -delta, version);
  }
}

/** Tells "no value" from any value a cache can hold (Django's `_missing_key` sentinel). */
const MISSING: unknown = Symbol('reinhardt:cache-missing');

/** Checks an `incr` delta: an integer, as Redis's INCRBY takes. */
export function checkDelta(delta: number): number {
  if (!Number.isSafeInteger(delta)) throw new TypeError(`An incr/decr delta must be an integer; got ${delta}.`);
  return delta;
}
