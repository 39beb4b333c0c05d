import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { applyConditional } from '../core/conditional';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { setResponseEtag } from '../http/cache-headers';

// Django's cc_delim_re, to find a no-store directive among the others.
const LIST_DELIMITER = /\s*,\s*/;

/**
 * Conditional GET for every page (Django's `ConditionalGetMiddleware`, django/middleware/http.py):
 * a GET or HEAD response with its body in memory and no `ETag` gets `ETag: W/"<md5 of the body>"`
 * (see {@link setResponseEtag}), and a request whose `If-None-Match` matches it, or whose
 * `If-Modified-Since` is not older than the response's `Last-Modified`, is answered `304 Not
 * Modified` with the validators, caching headers and cookies kept. The page is still built: the
 * saving is the bytes sent. Skipped: other methods ("too late to prevent an unsafe request with a
 * 412"), streaming and empty bodies, responses with `Cache-Control: no-store` (nothing may keep
 * them, so nothing will revalidate them), and non-2xx answers get no 304.
 *
 * HEAD is served too, where Django skips it: Django cannot see a HEAD response's body, but here
 * HEAD runs the GET handler and the writer drops the body, so the tag is the GET one, as RFC 9110
 * §9.3.2 asks of HEAD's header fields. Off unless listed. Put it inside a compressing middleware,
 * so that the tag is the hash of the uncompressed body (Django's ordering advice).
 * @example
 * createApp({ controllers, middleware: [...DEFAULT_MIDDLEWARE, ConditionalGetMiddleware] });
 */
@injectable()
export class ConditionalGetMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    const response = next(request);
    return response instanceof Promise ? conditionalGetLater(request, response) : conditionalGet(request, response);
  }
}

async function conditionalGetLater(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
  return conditionalGet(request, await pending);
}

function conditionalGet(request: HttpRequest, response: HttpResponse): HttpResponse {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') return response;
  const headers = response.headers;
  if (!headers.has('etag') && needsEtag(response)) setResponseEtag(response);
  // A route's own ETag or Last-Modified was answered in the core already; a second pass changes
  // nothing (a 304 is not 2xx), so only answers from elsewhere in the onion need it, as in Django.
  if (headers.has('etag') || headers.has('last-modified')) return applyConditional(request, response);
  return response;
}

/** Django's `needs_etag`: any response but one that says `no-store`. */
function needsEtag(response: HttpResponse): boolean {
  const cacheControl = response.headers.get('cache-control');
  if (cacheControl === undefined) return true;
  return cacheControl.trim().split(LIST_DELIMITER).every((directive) => directive.toLowerCase() !== 'no-store');
}
