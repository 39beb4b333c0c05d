import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { JsonResponse } from '../http/json-response';
import { SuspiciousOperation, ValidationError } from '../http/errors';
import { reasonPhraseFor } from '../http/status-codes';
import { exemptFromCsp } from '../http/csp';
import { templatePageOr } from '../templates/template-page';
import { escapeHtml, safePath } from './page-text';
import { isApiRequest, prefersJson } from '../http/content-negotiation';
import { HttpResponseNotAllowed } from '../http/response-subclasses';

/** An error view: `handler404(request, error)` and friends, settable on the app. */
export type ErrorView = (request: HttpRequest, error: unknown) => HttpResponse | Promise<HttpResponse>;

/** What the app passes to the default views beyond the request and the error. */
export interface ErrorViewContext {
  /** For the technical 404: the patterns that were tried. */
  patterns(): string[];
}

function messageOf(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

/**
 * A page from the app's templates when it has one, rendered with the context of every page
 * (request, user, cspNonce...), else (or when the template fails) Django's plain built-in page.
 */
function page(request: HttpRequest, template: string, status: number, builtin: string, context: Record<string, unknown>): HttpResponse {
  return templatePageOr(request, template, status, builtin, context);
}

export function defaultHandler400(request: HttpRequest, error: unknown, status = 400): HttpResponse {
  // §8: a DTO that fails validation answers its errors as JSON, whatever the client accepts.
  // Under an API controller with the `detail` every other API error has (one error shape).
  if (error instanceof ValidationError) {
    return new JsonResponse(isApiRequest(request) ? { detail: messageOf(error, 'Invalid input.'), errors: error.errors } : { errors: error.errors }, { status });
  }
  // A SuspiciousOperation's message is for the security log (which host, which setting); in
  // production the client gets the plain page. Django's bad_request view: "No exception content
  // is passed to the template, to not disclose any sensitive information." (issue 19 item 5)
  const detail = error instanceof SuspiciousOperation && !request.settings.debug ? reasonPhraseFor(status) : messageOf(error, 'Bad Request');
  if (prefersJson(request)) return new JsonResponse({ detail }, { status });
  return page(request, `${status}.html`, status, `<!doctype html>\n<title>Bad Request (${status})</title>\n<h1>Bad Request (${status})</h1>\n<p>${escapeHtml(detail)}</p>\n`, { exception: detail });
}

export function defaultHandler403(request: HttpRequest, error: unknown): HttpResponse {
  const detail = messageOf(error, 'You do not have permission to perform this action.');
  if (prefersJson(request)) return new JsonResponse({ detail }, { status: 403 });
  return page(request, '403.html', 403, `<!doctype html>\n<title>403 Forbidden</title>\n<h1>403 Forbidden</h1>\n<p>${escapeHtml(detail)}</p>\n`, { exception: detail });
}

export function defaultHandler404(request: HttpRequest, error: unknown, context?: ErrorViewContext): HttpResponse {
  const detail = messageOf(error, 'Not found.');
  if (request.settings.debug && context) {
    if (prefersJson(request)) return new JsonResponse({ detail, patterns: context.patterns() }, { status: 404 });
    // Loaded on the first debug page: an app without `debug` never loads the debug pages.
    const { technical404 } = require('../debug/technical-404') as typeof import('../debug/technical-404');
    return exemptFromCsp(new HttpResponse(technical404(request, detail, context.patterns()), { status: 404 }));
  }
  if (prefersJson(request)) return new JsonResponse({ detail }, { status: 404 });
  return page(
    request,
    '404.html',
    404,
    `<!doctype html>\n<title>Not Found</title>\n<h1>Not Found</h1>\n<p>The requested resource was not found on this server.</p>\n`,
    { request_path: safePath(request), exception: detail },
  );
}

export function defaultHandler500(request: HttpRequest, error: unknown): HttpResponse {
  if (request.settings.debug) {
    if (prefersJson(request)) {
      // The stack's frames as the HTML page shows them: mapped to the .ts files (loaded on the first one).
      const { mappedStack } = require('../debug/mapped-stack') as typeof import('../debug/mapped-stack');
      const stack = error instanceof Error ? (typeof error.stack === 'string' ? mappedStack(error.stack) : null) : String(error);
      return new JsonResponse({ detail: messageOf(error, 'Server Error'), stack }, { status: 500 });
    }
    const { technical500 } = require('../debug/technical-500') as typeof import('../debug/technical-500');
    return exemptFromCsp(new HttpResponse(technical500(request, error), { status: 500 }));
  }
  if (prefersJson(request)) return new JsonResponse({ detail: 'Server Error' }, { status: 500 });
  return page(request, '500.html', 500, BUILTIN_500, {});
}

/**
 * The 503 for a backing service that is down (`ServiceUnavailable`, e.g. the session store). Its
 * message names the service and the reason (`connect ECONNREFUSED 127.0.0.1:6379`): shown with
 * `debug`, else a generic page; the caller logs the message either way (issue 19 item 5).
 */
export function serviceUnavailable(request: HttpRequest, error: unknown): HttpResponse {
  const detail = request.settings.debug ? messageOf(error, 'Service Unavailable') : 'Service Unavailable';
  if (prefersJson(request)) return new JsonResponse({ detail }, { status: 503 });
  return new HttpResponse(`<!doctype html>\n<title>Service Unavailable (503)</title>\n<h1>Service Unavailable (503)</h1>\n<p>${escapeHtml(detail)}</p>\n`, {
    status: 503,
  });
}

/**
 * The 429 for a request over a rate limit (`Ratelimited`, from `@RateLimit` or
 * `RateLimitMiddleware`): JSON or HTML by the request's Accept, `429.html` from the templates
 * folder when it exists, and `Retry-After` with the seconds to wait (RFC 6585 §4). The wording is
 * Django REST framework's `Throttled` detail.
 */
export function defaultHandler429(request: HttpRequest, error: unknown): HttpResponse {
  const wait = typeof (error as { retryAfter?: unknown })?.retryAfter === 'number' ? (error as { retryAfter: number }).retryAfter : null;
  const detail = wait === null ? 'Request was throttled.' : `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`;
  const response = prefersJson(request)
    ? new JsonResponse({ detail }, { status: 429 })
    : page(request, '429.html', 429, `<!doctype html>\n<title>Too Many Requests (429)</title>\n<h1>Too Many Requests (429)</h1>\n<p>${escapeHtml(detail)}</p>\n`, { exception: detail, retry_after: wait });
  if (wait !== null) response.setHeader('Retry-After', String(wait));
  return response;
}

/**
 * The 405 for a path that exists without this method: Django's empty body with `Allow`, or, under
 * an API controller (`api: true`), DRF's `MethodNotAllowed` detail as JSON.
 */
export function methodNotAllowed(request: HttpRequest, allowed: readonly string[]): HttpResponse {
  if (!isApiRequest(request)) return new HttpResponseNotAllowed(allowed);
  // The method is the client's: JSON.stringify escapes whatever it holds.
  const body = JSON.stringify({ detail: `Method "${request.method}" not allowed.` });
  return new HttpResponseNotAllowed(allowed, body, { contentType: 'application/json' });
}

/**
 * The 401 for a request an authenticator refused or that a guard needs authenticated
 * (`NotAuthenticated` / `AuthenticationFailed`), with `WWW-Authenticate: <challenge>` as RFC 9110
 * §11.6.1 requires of every 401. JSON `{"detail": ...}` or HTML by Accept (JSON under `api: true`).
 */
export function unauthorized(request: HttpRequest, detail: string, challenge: string): HttpResponse {
  const response = prefersJson(request)
    ? new JsonResponse({ detail }, { status: 401 })
    : page(request, '401.html', 401, `<!doctype html>\n<title>Unauthorized (401)</title>\n<h1>Unauthorized (401)</h1>\n<p>${escapeHtml(detail)}</p>\n`, { exception: detail });
  response.setHeader('WWW-Authenticate', challenge);
  return response;
}

export const BUILTIN_500 = '<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n';
