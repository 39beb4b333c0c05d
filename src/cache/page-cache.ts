import type { Settings } from '../core/settings';
import { ServiceUnavailable } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { getMaxAge, hasVaryHeader, patchResponseHeaders } from '../http/cache-headers';
import type { Cache } from './cache';
import { cachesFor } from './cache-handler';
import { getCacheKey, learnCacheKey } from './cache-keys';
import { fromCachedResponse, toCachedResponse } from './cached-response';

/** `@CachePage` options (Django's `cache_page(timeout, *, cache=None, key_prefix=None)`). */
export interface CachePageOptions {
  /** The alias of the cache to keep pages in. Default 'default'. */
  cache?: string;
  /** Put in the keys, to keep this route's pages apart (Django's CACHE_MIDDLEWARE_KEY_PREFIX). Default ''. */
  keyPrefix?: string;
}

/** A `private` directive in Cache-Control, as a directive name, not any substring. */
const PRIVATE = /(?:^|,)\s*private\s*(?:[=,]|$)/i;

/**
 * One route's page cache, built once when the routes are compiled: Django's `CacheMiddleware`
 * applied to a single view, as `cache_page` is. `fetch` runs before the handler
 * (FetchFromCacheMiddleware), `update` after it (UpdateCacheMiddleware).
 */
export class PageCache {
  private settings: Readonly<Settings> | null = null;
  private cache: Cache | null = null;

  constructor(
    /** Seconds a page is kept; also its `max-age` and `Expires`. */
    readonly timeout: number,
    readonly alias: string,
    readonly keyPrefix: string,
  ) {}

  /**
   * The stored page for a GET or HEAD, with `Age` set, or null (a miss, or another method).
   * A HEAD is answered from the GET's page when there is one, else from its own.
   */
  async fetch(request: HttpRequest): Promise<HttpResponse | null> {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return null;
    try {
      return await this.lookup(request, method);
    } catch (error) {
      // A page cache is a shortcut: while its backend is down the page is computed (and logged),
      // where Django's cache_page would answer 500.
      if (!(error instanceof ServiceUnavailable)) throw error;
      logCacheFailure(request, this.alias, 'read', error);
      return null;
    }
  }

  private async lookup(request: HttpRequest, method: string): Promise<HttpResponse | null> {
    const cache = this.cacheOf(request);
    let key = await getCacheKey(request, this.keyPrefix, 'GET', cache);
    if (key === null) return null;
    let response = fromCachedResponse(await cache.get(key));
    if (response === null && method === 'HEAD') {
      key = await getCacheKey(request, this.keyPrefix, 'HEAD', cache);
      response = key === null ? null : fromCachedResponse(await cache.get(key));
    }
    if (response === null) return null;
    // Django's estimate of the page's age from what is left of its max-age (0 if the clock went back).
    const maxAge = getMaxAge(response);
    const expires = Date.parse(response.headers.get('expires') ?? '');
    if (maxAge !== null && !Number.isNaN(expires)) {
      const remaining = Math.floor(expires / 1000) - Math.floor(Date.now() / 1000);
      response.headers.set('Age', String(Math.max(0, maxAge - remaining)));
    }
    return response;
  }

  /**
   * Stores the handler's response when it may be shared (Django's UpdateCacheMiddleware rules)
   * and gives it `Expires` and `max-age`. Not stored, and left as it is:
   * - another method than GET or HEAD, a streamed body, a status other than 200 and 304;
   * - a response that sets a cookie: stored, it would hand one visitor's cookie (a session, a
   *   CSRF token) to the next. Django skips only a cookie set in answer to a cookie-less request
   *   that varies on Cookie; issue 21 asks for never;
   * - `Cache-Control: private`, meant for one user only;
   * - `Vary: *`, which no later request can match (RFC 9111 §4.1).
   */
  async update(request: HttpRequest, response: HttpResponse): Promise<HttpResponse> {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return response;
    const status = response.statusCode;
    if (response.streaming || (status !== 200 && status !== 304)) return response;
    if (response.cookies.size > 0) return response;
    const cacheControl = response.headers.get('cache-control');
    if (cacheControl !== undefined && PRIVATE.test(cacheControl)) return response;
    if (hasVaryHeader(response, '*')) return response;
    patchResponseHeaders(response, this.timeout);
    if (this.timeout > 0 && status === 200) {
      const cache = this.cacheOf(request);
      try {
        const key = await learnCacheKey(request, response, this.timeout, this.keyPrefix, cache);
        await cache.set(key, toCachedResponse(response), this.timeout);
      } catch (error) {
        if (!(error instanceof ServiceUnavailable)) throw error;
        logCacheFailure(request, this.alias, 'store', error);
      }
    }
    return response;
  }

  /** The cache of the request's app; remembered, so a route served by one app looks it up once. */
  private cacheOf(request: HttpRequest): Cache {
    if (request.settings !== this.settings || this.cache === null) {
      this.cache = cachesFor(request.settings).get(this.alias);
      this.settings = request.settings;
    }
    return this.cache;
  }
}

function logCacheFailure(request: HttpRequest, alias: string, action: 'read' | 'store', error: ServiceUnavailable): void {
  request.log.error({ name: 'reinhardt.cache', cache: alias, err: error }, `@CachePage could not ${action} a page in the cache '${alias}', answering without it: ${error.message}`);
}
