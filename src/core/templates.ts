import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type nunjucksModule from 'nunjucks';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse, type HttpResponseInit } from '../http/http-response';
import { csrfToken } from '../middleware/csrf';
import { staticUrl } from '../staticfiles/static-url';

/** One Nunjucks environment per templates folder, made on first use (autoescape on, as Django's). */
const environments = new Map<string, nunjucksModule.Environment>();

export function templateEnvironment(templatesDir: string): nunjucksModule.Environment {
  let env = environments.get(templatesDir);
  if (env === undefined) {
    const nunjucks = loadNunjucks();
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templatesDir, { noCache: false }), {
      autoescape: true,
      throwOnUndefined: false,
    });
    env.addGlobal('static', staticGlobal);
    environments.set(templatesDir, env);
  }
  return env;
}

/** Whether `name` exists in the app's templates folder (the error views fall back when it does not). */
export function hasTemplate(templatesDir: string | null, name: string): templatesDir is string {
  return templatesDir !== null && existsSync(join(templatesDir, name));
}

/**
 * Renders a Nunjucks template from the `templatesDir` setting into an `HttpResponse` (Django's
 * `django.shortcuts.render`). The context also holds `request`, `user`, `csrf_token` (the masked
 * token), `csrf_input` (the hidden form field) and `cspNonce` (`request.cspNonce`, made only if
 * the template prints it), as Django's context processors give them.
 * @example
 * return render(request, 'polls/detail.html', { poll });
 */
export function render(
  request: HttpRequest,
  template: string,
  context: Record<string, unknown> = {},
  init?: HttpResponseInit,
): HttpResponse {
  const dir = request.settings.templatesDir;
  if (dir === null) {
    throw new Error(`render('${template}') needs the templatesDir setting.`);
  }
  const token = csrfToken(request);
  const full = {
    request,
    user: request.user,
    csrf_token: token,
    csrf_input: new (loadNunjucks().runtime.SafeString)(
      `<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`,
    ),
    cspNonce: new LazyCspNonce(request),
    ...context,
  };
  return new HttpResponse(templateEnvironment(dir).render(template, full), init);
}

/**
 * `{{ cspNonce }}` in a template (Django's `csp` context processor). Nunjucks copies the context
 * object, so a getter there would make a nonce for every page; this is read only when printed.
 * Prints '' without ContentSecurityPolicyMiddleware.
 */
class LazyCspNonce {
  constructor(private readonly request: HttpRequest) {}

  toString(): string {
    return this.request.cspNonce ?? '';
  }
}

/**
 * `{{ static('css/site.css') }}` (Django's `{% static %}` tag): `staticUrl` with the settings of
 * the `request` in the context, which `render()` always puts there. Nunjucks calls a global with
 * the template context as `this`.
 */
function staticGlobal(this: { ctx: Record<string, unknown> }, name: string): string {
  const request = this.ctx.request as HttpRequest | undefined;
  if (request?.settings === undefined) throw new Error(`static('${name}') needs the request in the template context (render() puts it there).`);
  return staticUrl(name, request);
}

/** Nunjucks is loaded on the first render, so an API-only app never pays for it. */
function loadNunjucks(): typeof nunjucksModule {
  return require('nunjucks') as typeof nunjucksModule;
}
