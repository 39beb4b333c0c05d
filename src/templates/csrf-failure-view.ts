/**
 * The page a request refused by CsrfMiddleware gets unless the `csrfFailureView` setting names
 * another (Django's django/views/csrf.py `csrf_failure`): the app's `403_csrf.html` when it has
 * one (Django's CSRF_FAILURE_TEMPLATE_NAME), rendered like every other page, else the built-in
 * page. JSON clients get `{"detail": "CSRF Failed: <reason>"}` (DRF's wording) either way.
 */
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { JsonResponse } from '../http/json-response';
import { wantsJson } from '../http/content-negotiation';
import { escapeHtml } from '../core/page-text';
import { REASON_NO_REFERER } from '../middleware/csrf-origins';
import { REASON_NO_CSRF_COOKIE } from '../middleware/csrf-token';
import { templatePageOr } from './template-page';

/**
 * The view that answers a request CsrfMiddleware refused (Django's CSRF_FAILURE_VIEW, called as
 * `csrf_failure(request, reason)`). `reason` is Django's text, e.g. 'CSRF cookie not set.'.
 * @example
 * const csrfFailureView: CsrfFailureView = (request, reason) =>
 *   render(request, 'csrf.html', { reason }, { status: 403 });
 */
export type CsrfFailureView = (request: HttpRequest, reason: string) => HttpResponse | Promise<HttpResponse>;

declare module '../core/settings' {
  interface Settings {
    /** The view answering a refused request (CSRF_FAILURE_VIEW); null: {@link defaultCsrfFailureView}. Default null. */
    csrfFailureView: CsrfFailureView | null;
  }
}

/** Django's CSRF_FAILURE_TEMPLATE_NAME. */
export const CSRF_FAILURE_TEMPLATE = '403_csrf.html';

/**
 * The default CSRF failure view: 403, `403_csrf.html` from the app's templates with `reason`,
 * `no_referer`, `no_cookie` and `DEBUG` (Django's context names) besides what every page gets,
 * else the built-in page. A custom `csrfFailureView` may call it for the cases it leaves alone.
 * @example
 * createApp({ controllers, settings: { csrfFailureView: (request, reason) =>
 *   request.path.startsWith('/admin/') ? render(request, 'admin/csrf.html', { reason }, { status: 403 }) : defaultCsrfFailureView(request, reason) } });
 */
export function defaultCsrfFailureView(request: HttpRequest, reason: string): HttpResponse {
  if (wantsJson(request)) return new JsonResponse({ detail: `CSRF Failed: ${reason}` }, { status: 403 });
  return templatePageOr(request, CSRF_FAILURE_TEMPLATE, 403, builtinPage(reason), {
    reason,
    no_referer: reason === REASON_NO_REFERER,
    no_cookie: reason === REASON_NO_CSRF_COOKIE,
    DEBUG: request.settings.debug,
  });
}

function builtinPage(reason: string): string {
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>403 Forbidden</title></head>\n<body>\n` +
    `<h1>Forbidden <span>(403)</span></h1>\n<p>CSRF verification failed. Request aborted.</p>\n` +
    `<p>Reason given for failure:</p>\n<pre>\n    ${escapeHtml(reason)}\n</pre>\n</body>\n</html>\n`
  );
}
