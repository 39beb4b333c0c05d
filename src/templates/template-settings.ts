/**
 * The settings that shape templates and the CSRF failure page, checked at start-up. Django keeps
 * them in TEMPLATES (DIRS, OPTIONS) and CSRF_FAILURE_VIEW; here they are flat settings. This file
 * names no request type, so settings.ts can import it without an import cycle.
 */
import type nunjucksModule from 'nunjucks';
import { ImproperlyConfigured } from '../http/errors';

/**
 * Called once, when the app's Nunjucks environment is first built (the first render), to add
 * filters, globals and extensions (Django's TEMPLATES OPTIONS `builtins` / a Jinja2 `environment`).
 * @example
 * const configureTemplates: TemplateConfigurator = (env) => {
 *   env.addFilter('shout', (text: string) => text.toUpperCase());
 * };
 */
export type TemplateConfigurator = (env: nunjucksModule.Environment) => void;

interface TemplateSettings {
  templateDirs: string[];
  configureTemplates: TemplateConfigurator | null;
  /** Typed in csrf-failure-view.ts; only its kind is checked here. */
  csrfFailureView: unknown;
}

/** Fails at start-up, naming the setting, rather than at the first render or the first forged POST. */
export function checkTemplateSettings(settings: TemplateSettings): void {
  const dirs = settings.templateDirs;
  if (!Array.isArray(dirs) || !dirs.every((dir) => typeof dir === 'string' && dir !== '')) {
    throw new ImproperlyConfigured('The templateDirs setting must be an array of folder paths.');
  }
  for (const key of ['configureTemplates', 'csrfFailureView'] as const) {
    const value = settings[key];
    if (value !== null && typeof value !== 'function') {
      throw new ImproperlyConfigured(`The ${key} setting must be a function or null.`);
    }
  }
}
