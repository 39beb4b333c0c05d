import type { Redis, RedisOptions } from 'ioredis';
import { ImproperlyConfigured } from '../http/errors';
import type { CacheKeyFunction } from './cache';

/**
 * One entry of the `caches` setting (Django's CACHES[alias]): which backend and its options.
 * @example { backend: 'redis', location: 'redis://127.0.0.1:6379/1', keyPrefix: 'site', timeout: 600 }
 */
export interface CacheConfig {
  /** 'memory' (Django's LocMemCache, this process only) or 'redis' (shared). */
  backend: 'memory' | 'redis';
  /** Redis: the `redis://` URL (default 'redis://127.0.0.1:6379'). Memory: caches with the same location share a store. */
  location?: string;
  /** Redis: an ioredis client to use instead of `location`. */
  client?: Redis;
  /** Redis: extra ioredis options. */
  redisOptions?: RedisOptions;
  /** Seconds a value lives by default; null: forever. Default 300. */
  timeout?: number | null;
  keyPrefix?: string;
  version?: number;
  keyFunc?: CacheKeyFunction;
  /** Memory: most entries before culling. Default 300. */
  maxEntries?: number;
  /** Memory: the fraction (1/n) culled at maxEntries; 0 empties. Default 3. */
  cullFrequency?: number;
}

/** The `caches` setting: configurations by alias; 'default' is the one used when none is named. */
export type CachesSetting = Record<string, CacheConfig>;

const OPTION_NAMES = new Set(['backend', 'location', 'client', 'redisOptions', 'timeout', 'keyPrefix', 'version', 'keyFunc', 'maxEntries', 'cullFrequency']);

/**
 * Checks the `caches` setting at start-up, naming the alias and the option at fault; the
 * backends themselves are built only when first used.
 */
export function checkCachesSetting(caches: unknown): void {
  if (caches === null || typeof caches !== 'object' || Array.isArray(caches)) {
    throw new ImproperlyConfigured("The caches setting must be an object of cache configurations by alias, e.g. { default: { backend: 'memory' } }.");
  }
  for (const [alias, config] of Object.entries(caches as Record<string, unknown>)) {
    const where = `The caches setting's '${alias}' cache`;
    if (config === null || typeof config !== 'object') throw new ImproperlyConfigured(`${where} must be an object such as { backend: 'memory' }.`);
    const entry = config as Record<string, unknown>;
    if (entry.backend !== 'memory' && entry.backend !== 'redis') {
      throw new ImproperlyConfigured(`${where} has backend ${JSON.stringify(entry.backend)}; use 'memory' or 'redis'.`);
    }
    for (const name of Object.keys(entry)) {
      if (!OPTION_NAMES.has(name)) throw new ImproperlyConfigured(`${where} has an unknown option '${name}'.`);
    }
    const timeout = entry.timeout;
    if (timeout !== undefined && timeout !== null && !(typeof timeout === 'number' && Number.isFinite(timeout))) {
      throw new ImproperlyConfigured(`${where}: timeout must be a number of seconds or null.`);
    }
    if (entry.location !== undefined && typeof entry.location !== 'string') throw new ImproperlyConfigured(`${where}: location must be a string.`);
    if (entry.backend === 'memory' && (entry.client !== undefined || entry.redisOptions !== undefined)) {
      throw new ImproperlyConfigured(`${where} is in memory: client and redisOptions are for 'redis'.`);
    }
  }
}
