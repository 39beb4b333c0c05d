import 'reflect-metadata';
import { PageCache, type CachePageOptions } from '../src/cache/page-cache';
import { ImproperlyConfigured } from '../src/http/errors';
import '../src/cache/cache-checks';
import { CACHE_PAGE } from './metadata-keys';

export type { CachePageOptions };

/**
 * Caches the route's pages for `seconds` (Django's `@cache_page`): a GET or HEAD whose page is
 * stored is answered from the cache without running the handler; otherwise the handler's
 * response is stored when it may be shared, and gets `Expires` and `Cache-Control: max-age`.
 *
 * Pages are keyed by method, full URL (scheme, host, path, query) and the request headers the
 * response's `Vary` names, so put `@VaryOnCookie()` (or `@VaryOnHeaders(...)`) below
 * `@CachePage` on a page that differs per user. Never stored: responses that set a cookie, are
 * `Cache-Control: private`, `Vary: *`, streamed, or not 200. Guards (`@LoginRequired`,
 * `@RateLimit`) run before the cache is read, so a cached page is never served past them.
 * While the cache's backend is down, pages are computed and served uncached (and logged).
 * @example
 * \@Get('/polls/')
 * \@CachePage(60)
 * list() { return polls.all(); }
 */
export function CachePage(seconds: number, options: CachePageOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    const culprit = `${(target as { constructor: Function }).constructor.name}.${String(propertyKey)}`;
    if (!Number.isSafeInteger(seconds) || seconds < 0) {
      throw new ImproperlyConfigured(`@CachePage on ${culprit}: the timeout must be a whole number of seconds, got ${String(seconds)}.`);
    }
    if (Reflect.hasOwnMetadata(CACHE_PAGE, target, propertyKey)) {
      throw new ImproperlyConfigured(`${culprit} has two @CachePage decorators.`);
    }
    const alias = options.cache ?? 'default';
    const keyPrefix = options.keyPrefix ?? '';
    if (typeof alias !== 'string' || typeof keyPrefix !== 'string') {
      throw new ImproperlyConfigured(`@CachePage on ${culprit}: cache and keyPrefix must be strings.`);
    }
    Reflect.defineMetadata(CACHE_PAGE, new PageCache(seconds, alias, keyPrefix), target, propertyKey);
  };
}

/** The route's page cache, or null (the route then pays nothing for it). */
export function getPageCache(target: object, propertyKey: string): PageCache | null {
  return Reflect.getMetadata(CACHE_PAGE, target, propertyKey) ?? null;
}
