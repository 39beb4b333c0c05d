/**
 * The static files' system checks (Django's django/contrib/staticfiles/checks.py and the
 * FileSystemFinder's `check()`), run when an app starts and by `reinhardt check`. With
 * StaticFilesMiddleware in the app's middleware, the check also makes the middleware's one scan
 * of the folders, so it happens at start-up rather than in the first request, and a manifest that
 * cannot be read stops the app there.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkError, checkWarning, type CheckMessage } from '../checks/check-message';
import { registerCheck, type CheckTarget } from '../checks/check-registry';
import { StaticFilesMiddleware, staticFileTable } from './static-files-middleware';

/**
 * staticfiles.W004: a `staticDirs` folder that does not exist (Django's id and wording).
 * staticfiles.E100 (Reinhardt's own): the manifest in `staticRoot` cannot be read.
 */
export function checkStaticFiles(target: CheckTarget): CheckMessage[] {
  const settings = target.settings;
  const found: CheckMessage[] = [];
  if (Array.isArray(settings.staticDirs)) {
    for (const dir of settings.staticDirs) {
      if (typeof dir === 'string' && !existsSync(resolve(dir))) {
        found.push(checkWarning('staticfiles.W004', `The directory '${dir}' in the staticDirs setting does not exist.`));
      }
    }
  }
  const serving = target.middleware.some((m) => m === StaticFilesMiddleware || m instanceof StaticFilesMiddleware);
  if (serving) {
    try {
      staticFileTable(settings);
    } catch (error) {
      found.push(
        checkError('staticfiles.E100', error instanceof Error ? error.message : String(error), 'Run `reinhardt collectstatic` again, or remove the file.'),
      );
    }
  }
  return found;
}

registerCheck(checkStaticFiles);
