/**
 * An error or failure page from the app's templates (`404.html`, `403_csrf.html`...), rendered with
 * the context every page gets, so the site header shows the signed-in user on error pages too.
 * Django's django/views/defaults.py and csrf.py load the template and fall back to a built-in page
 * only when it does not exist; a template that exists but fails to render falls back as well here,
 * since an error page that fails would otherwise turn a 404 into a 500 (or a 500 into nothing).
 */
import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { hasTemplate, pageContext, templateEnvironment } from '../core/templates';

/**
 * `template` rendered with {@link pageContext} plus `context`, answered with `status`; the
 * `builtin` HTML when the app has no such template or it fails (the failure is logged).
 * @example return templatePageOr(request, '404.html', 404, '<h1>Not Found</h1>', { request_path });
 */
export function templatePageOr(request: HttpRequest, template: string, status: number, builtin: string, context: Record<string, unknown>): HttpResponse {
  const settings = request.settings;
  if (hasTemplate(settings, template)) {
    try {
      return new HttpResponse(templateEnvironment(settings).render(template, pageContext(request, context)), { status });
    } catch (error) {
      // The template's own failure: logged with its name so it can be fixed, never shown.
      // django.template is Django's logger for template rendering (django/template/base.py).
      request.log.error({ name: 'reinhardt.template', template, err: error }, `Error rendering ${template} (the built-in ${status} page was sent)`);
    }
  }
  return new HttpResponse(builtin, { status });
}
