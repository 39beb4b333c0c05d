/**
 * The page cache's keys (Django's `django/utils/cache.py`: `learn_cache_key`, `get_cache_key`,
 * `_generate_cache_key`, `_generate_cache_header_key`). A page is stored under its method, its
 * full absolute URL (scheme, host, path and query) and the values of the request headers its
 * response's `Vary` names; the list of those headers is itself stored under the URL, so the
 * next request knows which of its headers to read before it has a response.
 */
import { createHash } from 'node:crypto';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import type { Cache } from './cache';

/** Splits a Vary value (Django's `cc_delim_re`). */
const LIST_DELIMITER = /\s*,\s*/;

/**
 * The URL's hash: md5 as Django, an identifier that bounds the key's length whatever the URL,
 * not a security measure. The absolute URI has a host that passed `allowedHosts`.
 */
function urlHash(request: HttpRequest): string {
  return createHash('md5').update(request.buildAbsoluteUri()).digest('hex');
}

/** Where the Vary header list for this URL is kept (Django's `_generate_cache_header_key`). */
function headerListKey(keyPrefix: string, request: HttpRequest): string {
  return `views.decorators.cache.cache_header.${keyPrefix}.${urlHash(request)}`;
}

/**
 * The key of the page for `method`, the URL and the values of `headerList` (META names such as
 * `HTTP_ACCEPT_LANGUAGE`). Each value is followed by a NUL and an absent header is marked apart
 * from an empty one, so ('ab', 'c') and ('a', 'bc') differ (Django concatenates them).
 */
export function pageCacheKey(request: HttpRequest, method: string, headerList: readonly string[], keyPrefix: string): string {
  const values = createHash('md5');
  const meta = request.META;
  for (const header of headerList) {
    const value = meta[header];
    values.update(value === undefined ? '\u0001' : `${value}\u0000`);
  }
  return `views.decorators.cache.cache_page.${keyPrefix}.${method}.${urlHash(request)}.${values.digest('hex')}`;
}

/**
 * The META names of the request headers the response varies on, sorted (Django's
 * `learn_cache_key` list): `Vary: Accept-Language, Cookie` gives `['HTTP_ACCEPT_LANGUAGE', 'HTTP_COOKIE']`.
 */
export function varyHeaderList(response: HttpResponse): string[] {
  const vary = response.headers.get('vary');
  if (vary === undefined || vary.trim() === '') return [];
  return vary
    .trim()
    .split(LIST_DELIMITER)
    .filter((name) => name !== '')
    .map((name) => 'HTTP_' + name.toUpperCase().replace(/-/g, '_'))
    .sort();
}

/**
 * Stores the response's Vary header list for this URL for `timeout` seconds and returns the key
 * to store the page under (Django's `learn_cache_key`).
 * @example
 * const key = await learnCacheKey(request, response, 60, '', cache);
 * await cache.set(key, toCachedResponse(response), 60);
 */
export async function learnCacheKey(request: HttpRequest, response: HttpResponse, timeout: number, keyPrefix: string, cache: Cache): Promise<string> {
  const headerList = varyHeaderList(response);
  await cache.set(headerListKey(keyPrefix, request), headerList, timeout);
  return pageCacheKey(request, request.method, headerList, keyPrefix);
}

/**
 * The key a page for this request and `method` was stored under, or null when no page for this
 * URL was learnt (Django's `get_cache_key`).
 * @example
 * const key = await getCacheKey(request, '', 'GET', cache);
 * const page = key === null ? undefined : await cache.get(key);
 */
export async function getCacheKey(request: HttpRequest, keyPrefix: string, method: string, cache: Cache): Promise<string | null> {
  const headerList = await cache.get<string[]>(headerListKey(keyPrefix, request));
  if (!Array.isArray(headerList) || !headerList.every((name) => typeof name === 'string')) return null;
  return pageCacheKey(request, method, headerList, keyPrefix);
}
