/**
 * Django's technical 404 (django/views/debug.py `technical_404_response`, technical_404.html),
 * shown only with `debug: true`. When a handler raised `Http404`, the page names it ("Raised by:
 * PollController.detail") with the route it matched and the exception's message; when no route
 * matched, it lists every pattern that was tried, in order.
 */
import type { HttpRequest } from '../http/http-request';
import { escapeHtml, safePath } from '../core/page-text';
import { explanation, metaRow, STYLE } from './page-parts';
import { requestUrl } from './request-report';

/**
 * The page for a 404 with `detail` (the Http404's message); `patterns` are the app's routes, as
 * the 404 view's context gives them.
 * @example return new HttpResponse(technical404(request, 'No Poll matches the given query.', patterns), { status: 404 });
 */
export function technical404(request: HttpRequest, detail: string, patterns: readonly string[]): string {
  const path = safePath(request);
  const match = request.resolverMatch;
  const resolved = match !== null;
  const info = resolved
    ? `<p>The current path, <code>${escapeHtml(path)}</code>, matched the route <code>${escapeHtml(match.route)}</code>.</p>\n`
    : `<p>Reinhardt tried these URL patterns, in this order:</p>\n<ol class="patterns">\n${patterns.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('\n')}\n</ol>\n` +
      `<p>${path === '/' ? 'The empty path' : `The current path, <code>${escapeHtml(path)}</code>,`} didn't match any of these.</p>\n`;
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="NONE,NOARCHIVE">` +
    `<title>Page not found at ${escapeHtml(path)}</title>\n${STYLE}</head><body>\n` +
    `<header id="summary">\n<h1>Page not found <small>(404)</small></h1>\n` +
    (shownReason(detail, resolved) ? `<pre class="exception_value">${escapeHtml(detail)}</pre>\n` : '') +
    `<table class="meta">\n` +
    metaRow('Request Method', request.method) +
    metaRow('Request URL', requestUrl(request)) +
    (resolved ? metaRow('Raised by', `${match.controllerName}.${match.methodName}`) : '') +
    `</table>\n</header>\n<main id="info">\n${info}</main>\n` +
    explanation('a standard 404 page') +
    `</body></html>\n`
  );
}

/**
 * Django shows the reason only for an Http404 that something raised: the one for a path no route
 * matched says what the line under the patterns says.
 */
function shownReason(detail: string, resolved: boolean): boolean {
  return detail !== '' && (resolved || !detail.startsWith('The current path, '));
}
