import { Cache, CacheKeyMissing, checkDelta, decodeCacheValue, encodeCacheValue, type CacheOptions, type CacheTimeout } from './cache';
import { RedisCacheClient, type RedisConnectionOptions } from './redis-cache-client';

export interface RedisCacheOptions extends CacheOptions, RedisConnectionOptions {}

/** INCRBY only on an existing key, in one atomic step (Django checks EXISTS first, in two). */
const INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end return false";

/**
 * A new lifetime for an existing key: -1 forever, 0 now, else milliseconds. Returns 0 when the
 * key holds nothing. (Django's PERSIST answers False for a key that never had a timeout.)
 */
const TOUCH = `if redis.call('exists', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '-1' then redis.call('persist', KEYS[1])
elseif ARGV[1] == '0' then redis.call('del', KEYS[1])
else redis.call('pexpire', KEYS[1], ARGV[1]) end
return 1`;

/**
 * The cache in Redis (Django's `RedisCache`), shared by every worker and machine that points at
 * the same database. Values are their JSON text, so an integer is stored as plain digits and
 * `incr` is Redis's atomic INCRBY; expiry is Redis's own (PX). Connects on first use; while Redis
 * is unreachable each call fails at once with `ServiceUnavailable` (a 503 if it escapes a view).
 *
 * `clear()` is Django's: FLUSHDB, every key of the database, not only this cache's. Give the
 * cache a database of its own (`redis://host:6379/1`) when sessions or other data share the
 * server.
 * @example
 * const cache = new RedisCache({ location: process.env.REDIS_URL, keyPrefix: 'site', timeout: 600 });
 * await cache.set('poll:1', { question: 'Tea?' });
 */
export class RedisCache extends Cache {
  readonly shared = true;
  /** The Redis I/O; its `connection()` is the ioredis client, for commands the cache does not have. */
  readonly client: RedisCacheClient;

  constructor(options: RedisCacheOptions = {}) {
    super(options);
    this.client = new RedisCacheClient(options);
  }

  async get<T = unknown>(key: string, defaultValue?: T, version?: number): Promise<T | undefined> {
    const made = this.makeKey(key, version);
    const text = await this.client.run((redis) => redis.get(made));
    return text === null ? defaultValue : (decodeCacheValue(text) as T);
  }

  async set(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<void> {
    const made = this.makeKey(key, version);
    const text = encodeCacheValue(value);
    const lifetime = this.lifetimeMs(timeout);
    if (lifetime === 0) await this.client.run((redis) => redis.del(made));
    else if (lifetime === null) await this.client.run((redis) => redis.set(made, text));
    else await this.client.run((redis) => redis.set(made, text, 'PX', lifetime));
  }

  async add(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    const text = encodeCacheValue(value);
    const lifetime = this.lifetimeMs(timeout);
    if (lifetime === 0) {
      // Django: would it have been added? Then it expires at once.
      return (await this.client.run((redis) => redis.exists(made))) === 0;
    }
    const reply = await this.client.run((redis) => (lifetime === null ? redis.set(made, text, 'NX') : redis.set(made, text, 'PX', lifetime, 'NX')));
    return reply === 'OK';
  }

  async touch(key: string, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    const lifetime = this.lifetimeMs(timeout);
    const argument = lifetime === null ? '-1' : String(lifetime);
    return (await this.client.run((redis) => redis.eval(TOUCH, 1, made, argument))) === 1;
  }

  async delete(key: string, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    return (await this.client.run((redis) => redis.del(made))) === 1;
  }

  async clear(): Promise<void> {
    await this.client.run((redis) => redis.flushdb());
  }

  override async has(key: string, version?: number): Promise<boolean> {
    const made = this.makeKey(key, version);
    return (await this.client.run((redis) => redis.exists(made))) === 1;
  }

  async incr(key: string, delta = 1, version?: number): Promise<number> {
    checkDelta(delta);
    const made = this.makeKey(key, version);
    let reply: unknown;
    try {
      reply = await this.client.run((redis) => redis.eval(INCR_EXISTING, 1, made, String(delta)));
    } catch (error) {
      if (error instanceof Error && error.name === 'ReplyError') throw new TypeError(`The value of cache key '${key}' is not an integer.`);
      throw error;
    }
    if (reply === null) throw new CacheKeyMissing(key);
    return Number(reply);
  }

  override async getMany(keys: readonly string[], version?: number): Promise<Record<string, unknown>> {
    if (keys.length === 0) return {};
    const made = keys.map((key) => this.makeKey(key, version));
    const texts = await this.client.run((redis) => redis.mget(made));
    const found: Record<string, unknown> = {};
    texts.forEach((text, i) => {
      if (text !== null) found[keys[i]] = decodeCacheValue(text);
    });
    return found;
  }

  override async setMany(data: Record<string, unknown>, timeout?: CacheTimeout, version?: number): Promise<string[]> {
    const lifetime = this.lifetimeMs(timeout);
    const entries = Object.entries(data).map(([key, value]) => [this.makeKey(key, version), encodeCacheValue(value)] as const);
    if (entries.length === 0) return [];
    await this.client.run((redis) => {
      const batch = redis.multi();
      for (const [made, text] of entries) {
        if (lifetime === 0) batch.del(made);
        else if (lifetime === null) batch.set(made, text);
        else batch.set(made, text, 'PX', lifetime);
      }
      return batch.exec();
    });
    return [];
  }

  override async deleteMany(keys: readonly string[], version?: number): Promise<void> {
    if (keys.length === 0) return;
    const made = keys.map((key) => this.makeKey(key, version));
    await this.client.run((redis) => redis.del(made));
  }

  /** Closes the connection made from `location` (a client you passed stays open). */
  override close(): Promise<void> {
    return this.client.close();
  }
}
