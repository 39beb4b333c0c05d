import { Cache, CacheKeyMissing, checkDelta, decodeCacheValue, encodeCacheValue, type CacheOptions, type CacheTimeout } from './cache';

export interface MemoryCacheOptions extends CacheOptions {
  /**
   * Caches made with the same location share one store in this process (Django's LOCATION).
   * Default: none, the cache has a store of its own (Django shares every unnamed one; here two
   * apps in one process, such as two tests, would then serve each other's pages).
   */
  location?: string;
  /** Most entries kept before culling (Django's OPTIONS MAX_ENTRIES). Default 300. */
  maxEntries?: number;
  /**
   * At `maxEntries`, 1/cullFrequency of the entries go, least recently used first; 0 empties
   * the cache (Django's OPTIONS CULL_FREQUENCY). Default 3.
   */
  cullFrequency?: number;
}

/** The stores of named locations (Django's module-level `_caches`). */
const sharedStores = new Map<string, Map<string, Entry>>();

interface Entry {
  /** The value's JSON text: a later change to the object that was set cannot leak in. */
  text: string;
  /** Date.now() milliseconds; Infinity for a value set with `timeout: null`. */
  expiresAt: number;
}

/**
 * The cache in this process's memory (Django's `LocMemCache`): least-recently-used order kept by
 * the Map's insertion order (a read moves the key to the end), culled at `maxEntries`, each value
 * expiring after its timeout. Every method does its work synchronously before its promise
 * resolves, so `add` and `incr` are atomic within the process.
 *
 * One process only: each `serve()` worker has its own. Rate limits and page caches shared by
 * several workers or machines need `RedisCache`.
 * @example
 * const cache = new MemoryCache({ timeout: 60, maxEntries: 1000 });
 * await cache.set('greeting', { text: 'hello' });
 * await cache.get('greeting'); // { text: 'hello' }
 */
export class MemoryCache extends Cache {
  readonly shared = false;
  private readonly entries: Map<string, Entry>;
  private readonly maxEntries: number;
  private readonly cullFrequency: number;

  constructor(options: MemoryCacheOptions = {}) {
    super(options);
    const maxEntries = options.maxEntries ?? 300;
    const cullFrequency = options.cullFrequency ?? 3;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer.');
    if (!Number.isInteger(cullFrequency) || cullFrequency < 0) throw new RangeError('cullFrequency must be a non-negative integer.');
    this.maxEntries = maxEntries;
    this.cullFrequency = cullFrequency;
    const location = options.location;
    if (location === undefined) {
      this.entries = new Map();
    } else {
      this.entries = sharedStores.get(location) ?? new Map();
      sharedStores.set(location, this.entries);
    }
  }

  /** Entries held, expired ones included until they are read or culled. */
  get size(): number {
    return this.entries.size;
  }

  async get<T = unknown>(key: string, defaultValue?: T, version?: number): Promise<T | undefined> {
    const entry = this.live(this.makeKey(key, version));
    return entry === undefined ? defaultValue : (decodeCacheValue(entry.text) as T);
  }

  async set(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<void> {
    this.store(this.makeKey(key, version), encodeCacheValue(value), this.lifetimeMs(timeout));
  }

  async add(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    if (this.live(made) !== undefined) return false;
    this.store(made, encodeCacheValue(value), this.lifetimeMs(timeout));
    return true;
  }

  async touch(key: string, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    const entry = this.live(made);
    if (entry === undefined) return false;
    const lifetime = this.lifetimeMs(timeout);
    if (lifetime === 0) this.entries.delete(made);
    else entry.expiresAt = lifetime === null ? Infinity : Date.now() + lifetime;
    return true;
  }

  async delete(key: string, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    const existed = this.live(made) !== undefined;
    this.entries.delete(made);
    return existed;
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }

  async incr(key: string, delta = 1, version?: number): Promise<number> {
    checkDelta(delta);
    const made = this.makeKey(key, version);
    const entry = this.live(made);
    if (entry === undefined) throw new CacheKeyMissing(key);
    const value = decodeCacheValue(entry.text);
    // Redis's INCRBY refuses anything but an integer; so does this, for one behaviour everywhere.
    if (!Number.isSafeInteger(value)) throw new TypeError(`The value of cache key '${key}' is not an integer.`);
    const result = (value as number) + delta;
    entry.text = String(result);
    return result;
  }

  /** The unexpired entry under a made key, moved to the most recently used end; expired ones go. */
  private live(made: string): Entry | undefined {
    const entry = this.entries.get(made);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(made);
      return undefined;
    }
    this.entries.delete(made);
    this.entries.set(made, entry);
    return entry;
  }

  private store(made: string, text: string, lifetime: number | null): void {
    this.entries.delete(made);
    // Django's locmem stores a timeout-0 value already expired; not storing it is the same to readers.
    if (lifetime === 0) return;
    if (this.entries.size >= this.maxEntries) this.cull();
    this.entries.set(made, { text, expiresAt: lifetime === null ? Infinity : Date.now() + lifetime });
  }

  /** Django's `_cull`: drop the least recently used 1/cullFrequency, or everything for 0. */
  private cull(): void {
    if (this.cullFrequency === 0) {
      this.entries.clear();
      return;
    }
    // At least one, so a small maxEntries still bounds the map (Django's count can round to 0).
    let count = Math.max(1, Math.floor(this.entries.size / this.cullFrequency));
    for (const key of this.entries.keys()) {
      if (count-- <= 0) break;
      this.entries.delete(key);
    }
  }
}
