import { Http404 } from '../http/errors';
import { escapeLeadingSlashes } from '../http/escape-leading-slashes';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { HttpResponseNoContent, HttpResponsePermanentRedirect } from '../http/response-subclasses';
import type { RouteMatch, Router } from '../routing/router';
import { appendSlashError, losesDataOnSlashRedirect } from './append-slash-error';
import { methodNotAllowed } from './error-views';
import { errorViewFailed, type ErrorViews } from './exception-to-response';
import type { CompiledRoute } from './route-table';
import { logResponse } from '../logging/log-response';

/**
 * The answer when no route takes the request: 405 (or OPTIONS's 204) when the path exists for
 * other methods, Django's append-slash redirect for a GET/HEAD, Django's RuntimeError in debug
 * for a form posting to the slash-less URL, else the 404 view. `known` is the router's match
 * when the caller already has it.
 */
export function noRouteResponse(
  request: HttpRequest,
  router: Router<CompiledRoute>,
  views: ErrorViews,
  known?: RouteMatch<CompiledRoute> | null,
): HttpResponse | Promise<HttpResponse> {
  const settings = request.settings;
  const path = request.path;
  const match = known === undefined ? router.match(request.method, path) : known;
  if (match !== null) {
    if (request.method === 'OPTIONS') {
      return new HttpResponseNoContent(undefined, { headers: { Allow: match.allowed.join(', ') } });
    }
    const response = methodNotAllowed(request, match.allowed);
    // Django's View.http_method_not_allowed logs its 405 through log_response with the method.
    logResponse(request, response, `Method Not Allowed (${request.method}): ${path}`);
    return response;
  }
  if (
    settings.appendSlash &&
    (request.method === 'GET' || request.method === 'HEAD') &&
    !path.endsWith('/') &&
    router.matchWithSlash(request.method, path) !== null
  ) {
    // Django's CommonMiddleware.get_full_path_with_slash: `GET //evil.com` must not answer
    // `Location: //evil.com/`, a scheme-relative URL to another host (CVE-2018-14574).
    return new HttpResponsePermanentRedirect(escapeLeadingSlashes(request.getFullPath(true)));
  }
  // Django's RuntimeError in debug: a form posting to the slash-less URL, which no redirect can fix.
  if (
    settings.debug &&
    settings.appendSlash &&
    losesDataOnSlashRedirect(request.method) &&
    !path.endsWith('/') &&
    router.matchWithSlash(request.method, path) !== null
  ) {
    throw appendSlashError(request);
  }
  const error = settings.debug ? notFound(`The current path, ${path}, didn't match any of these.`) : NOT_FOUND;
  // As responseForException: a 404 view that fails gives the built-in 500 page, not the 500 view.
  let response: HttpResponse | Promise<HttpResponse>;
  try {
    response = views.handler404(request, error, views.context);
  } catch (viewError) {
    return errorViewFailed(request, views, viewError);
  }
  return response instanceof Promise ? settleNotFound(request, views, response) : response;
}

async function settleNotFound(request: HttpRequest, views: ErrorViews, pending: Promise<HttpResponse>): Promise<HttpResponse> {
  try {
    return await pending;
  } catch (viewError) {
    return errorViewFailed(request, views, viewError);
  }
}

/**
 * The Http404 for a path no route matches. Nothing threw it, so its stack says nothing: leaving
 * it out spares the 404 path the cost of capturing one (scanners send many). Without debug its
 * message is empty, so one frozen instance serves every such request.
 */
function notFound(message: string): Http404 {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Http404(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const NOT_FOUND = Object.freeze(notFound(''));
