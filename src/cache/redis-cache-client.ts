import type { Redis, RedisOptions } from 'ioredis';
import { makeFailFastRedis, whenRedisReady } from '../core/fail-fast-redis';
import { ServiceUnavailable } from '../http/errors';

/** Where a `RedisCache` connects: an ioredis client you made, or a URL. */
export interface RedisConnectionOptions {
  /** An ioredis client you configured (and close yourself). */
  client?: Redis;
  /** A `redis://` URL (database number included: `redis://host:6379/1`). Default 'redis://127.0.0.1:6379'. */
  location?: string;
  /** Extra ioredis options for the client made from `location`. */
  redisOptions?: RedisOptions;
}

/**
 * The Redis I/O of `RedisCache` (Django splits `RedisCacheClient` from `RedisCache` the same
 * way): one ioredis client, made and connected on first use, and the commands the cache rules
 * need, on keys already made and values already encoded. ioredis is required only then, so an
 * app that never touches a Redis cache never loads it.
 */
export class RedisCacheClient {
  private redis: Redis | null;
  private readonly ownsClient: boolean;
  private readonly options: RedisConnectionOptions;
  private lastError: string | null = null;

  constructor(options: RedisConnectionOptions = {}) {
    this.options = options;
    this.redis = options.client ?? null;
    this.ownsClient = options.client === undefined;
  }

  /** The connected client; throws ServiceUnavailable at once while Redis cannot be reached. */
  async connection(): Promise<Redis> {
    const client = this.redis ?? this.makeClient();
    await whenRedisReady(client, () => this.unavailable());
    return client;
  }

  /** Runs `command` on the connection; a connection or timeout failure becomes ServiceUnavailable. */
  async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = await this.connection();
    try {
      return await command(redis);
    } catch (error) {
      // A reply error (wrong type, not an integer) is the caller's; anything else is the link.
      if (error instanceof Error && error.name === 'ReplyError') throw error;
      this.lastError = error instanceof Error ? error.message : String(error);
      throw this.unavailable();
    }
  }

  /** Closes a client made from `location` (one you passed is yours to close). */
  async close(): Promise<void> {
    const client = this.redis;
    if (client === null || !this.ownsClient || client.status === 'end') return;
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  }

  private makeClient(): Redis {
    // Fails fast while Redis is down; `lazyConnect`: nothing connects until the first command
    // (Django's RedisCacheClient connects on first use).
    const client = makeFailFastRedis(this.options.location ?? 'redis://127.0.0.1:6379', { lazyConnect: true, ...this.options.redisOptions }, (error) => {
      this.lastError = error;
    });
    this.redis = client;
    return client;
  }

  private unavailable(): ServiceUnavailable {
    const detail = this.lastError ?? `Redis connection is ${this.redis?.status ?? 'not made'}`;
    return new ServiceUnavailable(`Cache unavailable: ${detail}`);
  }
}
