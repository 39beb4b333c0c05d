import type { Redis, RedisOptions } from 'ioredis';
import { makeFailFastRedis, whenRedisReady } from '../core/fail-fast-redis';
import { ServiceUnavailable } from '../http/errors';
import { CreateError, decodeSessionData, UpdateError, type SaveMode, type SessionData, type SessionStore } from './session-store';

export interface RedisSessionStoreOptions {
  /** An ioredis client you configured (and close yourself). */
  client?: Redis;
  /** Or a `redis://` URL: the store makes a client tuned to fail fast and closes it in `close()`. */
  url?: string;
  /** Prepended to every session key. Default 'session:'. */
  prefix?: string;
  /** Extra ioredis options for a client made from `url`. */
  redisOptions?: RedisOptions;
}

/**
 * Sessions in Redis through ioredis, for several processes or machines (SPEC §9): any worker of
 * `serve()`, or any server behind a load balancer, reads a session another one wrote.
 *
 * Each session is one string key (`prefix` + session key) holding JSON, expiring by Redis's own
 * TTL. Saves are single atomic `SET` commands: `NX` to create (a key collision is reported, never
 * overwritten) and `XX` to update, so a save racing a logout in another request cannot bring a
 * deleted session back (Django's `save(must_create=...)`/UpdateError, done by Redis atomically).
 * @example container.register(SessionStore, { useValue: new RedisSessionStore({ url: 'redis://127.0.0.1:6379/0' }) });
 */
export class RedisSessionStore implements SessionStore {
  readonly client: Redis;
  private readonly prefix: string;
  private readonly ownsClient: boolean;
  private lastError: string | null;

  constructor(options: RedisSessionStoreOptions = {}) {
    this.prefix = options.prefix ?? 'session:';
    this.ownsClient = options.client === undefined;
    this.lastError = null;
    // A client made from `url` fails fast and tracks its link for the 503 message; one you passed is yours.
    this.client =
      options.client ??
      makeFailFastRedis(options.url ?? 'redis://127.0.0.1:6379', options.redisOptions, (error) => {
        this.lastError = error;
      });
  }

  async load(key: string): Promise<SessionData | null> {
    await this.ready();
    const json = await this.client.get(this.prefix + key);
    return json === null ? null : decodeSessionData(json, 'RedisSessionStore');
  }

  async save(key: string, data: SessionData, ttlSeconds: number, mode: SaveMode = 'upsert'): Promise<void> {
    await this.ready();
    const redisKey = this.prefix + key;
    if (ttlSeconds <= 0) {
      // Already expired: Redis refuses a zero TTL, and the record must not outlive it.
      if (mode === 'update' && (await this.client.del(redisKey)) === 0) throw new UpdateError();
      if (mode !== 'update') await this.client.del(redisKey);
      return;
    }
    const json = JSON.stringify(data);
    const ms = Math.max(1, Math.round(ttlSeconds * 1000));
    if (mode === 'create') {
      if ((await this.client.set(redisKey, json, 'PX', ms, 'NX')) === null) throw new CreateError(key);
    } else if (mode === 'update') {
      if ((await this.client.set(redisKey, json, 'PX', ms, 'XX')) === null) throw new UpdateError();
    } else {
      await this.client.set(redisKey, json, 'PX', ms);
    }
  }

  async delete(key: string): Promise<void> {
    await this.ready();
    await this.client.del(this.prefix + key);
  }

  async exists(key: string): Promise<boolean> {
    await this.ready();
    return (await this.client.exists(this.prefix + key)) === 1;
  }

  /** Closes a client the store made from `url` (a client you passed is yours to close). */
  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  /**
   * Waits for the first connection (commands are not queued, so one sent while the client is
   * still connecting would fail); while Redis is down and the client is reconnecting, fails at
   * once with 503 rather than holding the request.
   */
  private ready(): Promise<void> {
    return whenRedisReady(this.client, () => this.unavailable());
  }

  private unavailable(): ServiceUnavailable {
    const detail = this.lastError ?? `Redis connection is ${this.client.status}`;
    return new ServiceUnavailable(`Session store unavailable: ${detail}`);
  }
}
