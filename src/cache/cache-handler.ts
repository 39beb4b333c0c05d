import type { Settings } from '../core/settings';
import { ImproperlyConfigured } from '../http/errors';
import type { Cache } from './cache';
import type { CacheConfig, CachesSetting } from './cache-config';
import { MemoryCache } from './memory-cache';
import { RedisCache } from './redis-cache';

/**
 * The caches of one app by alias, each built the first time it is asked for (Django's
 * `CacheHandler` behind `django.core.cache.caches`): an app that never uses a cache builds none,
 * and a Redis cache connects only on its first command.
 * @example
 * const polls = await cachesFor(request.settings).get().getOrSet('polls', () => loadPolls(), 60);
 */
export class CacheHandler {
  private readonly built = new Map<string, Cache>();

  constructor(private readonly configs: Readonly<CachesSetting>) {}

  /** The cache configured under `alias` ('default' when none is named). */
  get(alias = 'default'): Cache {
    let cache = this.built.get(alias);
    if (cache === undefined) {
      const config = Object.hasOwn(this.configs, alias) ? this.configs[alias] : undefined;
      if (config === undefined) {
        throw new ImproperlyConfigured(`The cache '${alias}' is not in the caches setting (${Object.keys(this.configs).join(', ') || 'none'}).`);
      }
      cache = buildCache(config);
      this.built.set(alias, cache);
    }
    return cache;
  }

  /** The configuration of `alias`, without building the cache (start-up checks read it). */
  config(alias = 'default'): CacheConfig | undefined {
    return Object.hasOwn(this.configs, alias) ? this.configs[alias] : undefined;
  }

  /** Closes every cache built so far (their Redis connections); call it when the app stops. */
  async close(): Promise<void> {
    const caches = [...this.built.values()];
    this.built.clear();
    await Promise.all(caches.map((cache) => cache.close()));
  }
}

function buildCache(config: CacheConfig): Cache {
  const { backend, ...options } = config;
  return backend === 'redis' ? new RedisCache(options) : new MemoryCache(options);
}

/** One handler per app, found by the app's settings object (which every request carries). */
const handlers = new WeakMap<Readonly<Settings>, CacheHandler>();

/**
 * The caches of the app whose settings these are; in a view, `cachesFor(request.settings)`.
 * @example
 * const cache = cachesFor(request.settings).get('default');
 * await cache.incr('visits');
 */
export function cachesFor(settings: Readonly<Settings>): CacheHandler {
  let handler = handlers.get(settings);
  if (handler === undefined) {
    handler = new CacheHandler(settings.caches);
    handlers.set(settings, handler);
  }
  return handler;
}
