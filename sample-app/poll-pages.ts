import { cachesFor, type HttpRequest } from 'reinhardt';

/**
 * The cache alias `@CachePage` keeps the poll lists in (the HTML list and the JSON one). It
 * holds nothing else, so emptying it when the polls change drops exactly those pages: the way
 * the cache guide recommends (docs/cache.md), simpler than tracking each page's key, which
 * depends on the full URL, `?n=` and the `Vary`-listed headers.
 */
export const POLL_PAGES_CACHE = 'pages';

/** How long a poll list is served from the cache when nothing changes. */
export const POLL_LIST_CACHE_SECONDS = 60;

/**
 * Drops every cached poll list: called after a vote and after a new poll, so the next list
 * shows them. Awaited before the response, so the voter's own next page is already fresh.
 * @example
 * this.polls.vote(id, choice);
 * await clearPollPages(request);
 */
export async function clearPollPages(request: HttpRequest): Promise<void> {
  await cachesFor(request.settings).get(POLL_PAGES_CACHE).clear();
}
