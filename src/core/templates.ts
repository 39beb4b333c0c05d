import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type nunjucksModule from 'nunjucks';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse, type HttpResponseInit } from '../http/http-response';
import type { Settings } from './settings';
import { LazyCsrfInput, LazyCsrfToken } from '../templates/lazy-csrf';
import { registerTemplateTags } from '../templates/template-tags';
import { reportTriedTemplates } from '../templates/template-does-not-exist';
import { getMessages } from '../messages/api';
import { DEFAULT_LEVELS as DEFAULT_MESSAGE_LEVELS } from '../messages/constants';

/** One Nunjucks environment per app (its settings object), made on first use (autoescape on, as Django's). */
const environments = new WeakMap<Readonly<Settings>, nunjucksModule.Environment>();

/**
 * The app's Nunjucks environment: `templatesDir` then `templateDirs` searched in order, Reinhardt's
 * tags and globals, then the app's own from `configureTemplates`. Built on the first render, so an
 * app that never renders never loads Nunjucks.
 * @example templateEnvironment(request.settings).addFilter('shout', (s: string) => s.toUpperCase());
 */
export function templateEnvironment(settings: Readonly<Settings>): nunjucksModule.Environment {
  let env = environments.get(settings);
  if (env === undefined) {
    const nunjucks = loadNunjucks();
    env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templateFolders(settings), { noCache: false }), {
      autoescape: true,
      throwOnUndefined: false,
      // Nunjucks keeps the error a template raised as the `cause` of its render error only in
      // `dev` mode: the debug 500 page needs it (the template-loader postmortem).
      dev: settings.debug,
    });
    reportTriedTemplates(env);
    registerTemplateTags(env, nunjucks);
    settings.configureTemplates?.(env);
    environments.set(settings, env);
  }
  return env;
}

/** The folders templates are looked up in, in order (Django's TEMPLATES DIRS). */
export function templateFolders(settings: Readonly<Settings>): string[] {
  return settings.templatesDir === null ? [...settings.templateDirs] : [settings.templatesDir, ...settings.templateDirs];
}

/** Whether `name` exists in one of the app's template folders (the error views fall back when it does not). */
export function hasTemplate(settings: Readonly<Settings>, name: string): boolean {
  // Asked on every 400/403/404 page: no array, no closure for an app without template folders.
  const dir = settings.templatesDir;
  if (dir !== null && existsSync(join(dir, name))) return true;
  for (const extra of settings.templateDirs) if (existsSync(join(extra, name))) return true;
  return false;
}

/**
 * The context every page gets, as Django's context processors give it: `request`, `user`,
 * `csrf_token` (the masked token) and `csrf_input` (the hidden form field), both made only when
 * printed, so only a page that shows a form sets the CSRF cookie, and `cspNonce`
 * (`request.cspNonce`, made only if printed). `context` comes last and wins.
 * @example env.render('404.html', pageContext(request, { request_path: '/x/' }))
 */
export function pageContext(request: HttpRequest, context: Record<string, unknown>): Record<string, unknown> {
  const token = new LazyCsrfToken(request);
  return {
    request,
    user: request.user,
    csrf_token: token,
    csrf_input: new LazyCsrfInput(token),
    cspNonce: new LazyCspNonce(request),
    // The storage itself: nothing is decoded until the template iterates it (docs/messages.md).
    messages: getMessages(request),
    DEFAULT_MESSAGE_LEVELS,
    ...context,
  };
}

/**
 * Renders a Nunjucks template from the `templatesDir` setting into an `HttpResponse` (Django's
 * `django.shortcuts.render`). The context also holds what {@link pageContext} gives every page:
 * `request`, `user`, `csrf_token`, `csrf_input` and `cspNonce`.
 * @example
 * return render(request, 'polls/detail.html', { poll });
 */
export function render(
  request: HttpRequest,
  template: string,
  context: Record<string, unknown> = {},
  init?: HttpResponseInit,
): HttpResponse {
  const settings = request.settings;
  if (settings.templatesDir === null && settings.templateDirs.length === 0) {
    throw new Error(`render('${template}') needs the templatesDir setting.`);
  }
  return new HttpResponse(templateEnvironment(settings).render(template, pageContext(request, context)), init);
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

/** Nunjucks is loaded on the first render, so an API-only app never pays for it. */
function loadNunjucks(): typeof nunjucksModule {
  return require('nunjucks') as typeof nunjucksModule;
}
