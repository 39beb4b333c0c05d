/**
 * A template that none of the template folders holds, with every path that was tried (Django's
 * `TemplateDoesNotExist` and its `tried` list, django/template/exceptions.py, shown by the
 * technical 500 as the "Template-loader postmortem"). Nunjucks says only
 * `template not found: login.html`; this says where it looked, in the log too.
 */
import { resolve } from 'node:path';
import type nunjucksModule from 'nunjucks';

/** One place a template was looked for. */
export interface TemplateAttempt {
  /** Django's `loader_name`: which loader looked. */
  readonly loader: string;
  /** The absolute path that was tried. */
  readonly path: string;
  /** Why it was not used: Django's "Source does not exist" (or, here, "Outside the template folder"). */
  readonly reason: string;
}

/**
 * Thrown when a template (rendered, extended or included) is in none of the template folders.
 * @example
 * try { render(request, 'login.html'); } catch (error) {
 *   if (error instanceof TemplateDoesNotExist) console.log(error.tried.map((t) => t.path));
 * }
 */
export class TemplateDoesNotExist extends Error {
  override readonly name = 'TemplateDoesNotExist';

  constructor(
    readonly templateName: string,
    readonly tried: readonly TemplateAttempt[],
  ) {
    super(
      tried.length === 0
        ? `template not found: ${templateName} (no template folders are configured)`
        : `template not found: ${templateName} (looked in: ${tried.map((attempt) => attempt.path).join(', ')})`,
    );
  }
}

/** Nunjucks' own message for a missing template (nunjucks/src/environment.js, `getTemplate`). */
const NUNJUCKS_NOT_FOUND = 'template not found: ';

/** The loaders' folders as Nunjucks' FileSystemLoader keeps them. */
interface FolderLoader {
  searchPaths?: string[];
}

/**
 * Makes `env` throw {@link TemplateDoesNotExist} where Nunjucks throws its bare "template not
 * found", for `render`, `{% extends %}` and `{% include %}` alike (all go through `getTemplate`).
 * Called once when the environment is built; a template that exists costs one more call.
 * @example
 * const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(['templates']));
 * reportTriedTemplates(env);
 * env.render('missing.html'); // throws TemplateDoesNotExist: template not found: missing.html (looked in: /app/templates/missing.html)
 */
export function reportTriedTemplates(env: nunjucksModule.Environment): void {
  const getTemplate = env.getTemplate as (...args: unknown[]) => unknown;
  (env as { getTemplate: unknown }).getTemplate = function getTemplateReportingTried(this: nunjucksModule.Environment, ...args: unknown[]): unknown {
    const last = args.length - 1;
    const callback = typeof args[last] === 'function' ? (args[last] as (error: unknown, template?: unknown) => void) : null;
    if (callback !== null) {
      args[last] = (error: unknown, template?: unknown) => callback(withTried(env, error), template);
      return getTemplate.apply(this, args);
    }
    try {
      return getTemplate.apply(this, args);
    } catch (error) {
      throw withTried(env, error);
    }
  };
}

function withTried(env: nunjucksModule.Environment, error: unknown): unknown {
  // Nunjucks' own plain Error, not a render error wrapping one (which already passed through here).
  if (!(error instanceof Error) || error.constructor !== Error || !error.message.startsWith(NUNJUCKS_NOT_FOUND)) return error;
  const name = error.message.slice(NUNJUCKS_NOT_FOUND.length);
  return new TemplateDoesNotExist(name, triedPaths(env, name));
}

/** The paths Nunjucks' FileSystemLoader checks for `name`, in its order, with why each failed. */
function triedPaths(env: nunjucksModule.Environment, name: string): TemplateAttempt[] {
  const loaders = (env as unknown as { loaders: FolderLoader[] }).loaders;
  const tried: TemplateAttempt[] = [];
  for (const loader of loaders) {
    for (const folder of loader.searchPaths ?? []) {
      const base = resolve(folder);
      const path = resolve(folder, name);
      // The loader refuses a name that leads out of its folder (`../secrets.html`).
      tried.push({ loader: 'nunjucks.FileSystemLoader', path, reason: path.startsWith(base) ? 'Source does not exist' : 'Outside the template folder' });
    }
  }
  return tried;
}

/**
 * The {@link TemplateDoesNotExist} behind an error: the error itself, or the cause of the
 * Nunjucks render error that wraps it (an `{% include %}` of a missing template).
 * @example templateDoesNotExistIn(error)?.tried.map((attempt) => attempt.path)
 */
export function templateDoesNotExistIn(error: unknown): TemplateDoesNotExist | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof TemplateDoesNotExist) return current;
  }
  return null;
}
