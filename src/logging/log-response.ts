/**
 * Django's `log_response` (django/utils/log.py) and the check that ends `BaseHandler.get_response`
 * (django/core/handlers/base.py): every response with a status of 400 or more is logged once on
 * `reinhardt.request`, `"<reason phrase>: <path>"` (`Bad Request: /polls/`), as a warning for a
 * 4xx and an error for a 5xx, with its `status` and, through `request.log`, the request ID.
 *
 * A path that logs its response itself with more to say (an exception answered by
 * src/core/exception-to-response.ts, a CSRF refusal, a 405 from routing) marks it, as Django sets
 * `response._has_been_logged`, so it is not logged twice. Only error paths ever add to or look up
 * the mark: a 2xx pays the caller's one `statusCode >= 400` comparison and nothing here.
 *
 * 404s are not logged (docs/differences-from-django.md): scanners make them the bulk of a public
 * site's requests, and Django's `Not Found: /wp-login.php` lines are what operators filter out
 * first.
 */
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';

/** Django's `django.request`. */
const REQUEST_LOGGER = 'reinhardt.request';

/** The responses already logged (Django's `_has_been_logged`); weak, so a sent response is not kept. */
const logged = new WeakSet<HttpResponse>();

/**
 * Marks a response as logged by the path that made it, so {@link logResponse} leaves it alone.
 * @example
 * request.log.warn({ name: 'reinhardt.security.csrf', status: 403 }, `Forbidden (${reason}): ${request.path}`);
 * return markLogged(defaultCsrfFailureView(request, reason));
 */
export function markLogged<R extends HttpResponse>(response: R): R {
  logged.add(response);
  return response;
}

/**
 * Logs an error response once (Django's `log_response`): `message`, by default
 * `"<reason phrase>: <path>"`, at `warn` for a 4xx and `error` for a 5xx, with `status`, through
 * `request.log`; then marks it. A response already marked, and a 404, are not logged. The caller
 * checks `statusCode >= 400` first, so the request path pays a comparison and no call.
 * @example
 * if (response.statusCode >= 400) logResponse(request, response);
 * logResponse(request, notAllowed, `Method Not Allowed (${request.method}): ${request.path}`);
 */
export function logResponse(request: HttpRequest, response: HttpResponse, message?: string): void {
  const status = response.statusCode;
  if (status === 404 || logged.has(response)) return;
  logged.add(response);
  const fields = { name: REQUEST_LOGGER, status };
  const text = message ?? `${response.reasonPhrase}: ${loggablePath(request)}`;
  if (status >= 500) request.log.error(fields, text);
  else request.log.warn(fields, text);
}

/**
 * The path a record names, as Django's (`request.path`): decoded, or as sent when it cannot be
 * decoded (`/%ZZ/`, answered 400), so the record of that 400 does not throw the same error again.
 * The logger escapes either.
 * @example request.log.warn(fields, `Forbidden (Permission denied): ${loggablePath(request)}`);
 */
export function loggablePath(request: HttpRequest): string {
  try {
    return request.path;
  } catch {
    return request.rawPath;
  }
}
