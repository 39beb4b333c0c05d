/**
 * How every command finds the app, one convention: the `reinhardt` field of the project's
 * package.json names the module that exports it —
 *
 *     "reinhardt": { "app": "src/app.ts" }
 *
 * — or `--app PATH` overrides it. The module is TypeScript (compiled on the fly with SWC, which
 * needs @swc/core) or compiled JavaScript (`dist/src/app.js`, e.g. in production without dev
 * dependencies). It exports the Application as `app` or as its default export, and does not
 * listen (a separate main file does). The path is the project's own, but it
 * is still checked as an attacker would use it: it must stay inside the project folder (after
 * symbolic links), so a `--app ../../elsewhere.js` or a link out cannot make a command run code
 * from outside the project.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Application } from '../core/application';
import { withStartupChecksDeferred } from '../checks/system-checks';
import { CommandError } from './command';
import { registerTypeScriptHook } from './typescript-hook';

/** The nearest folder at or above `cwd` with a package.json; `cwd` itself when there is none. */
export function findProjectRoot(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** The project's package.json, or null when it has none. */
export function readPackageJson(root: string): Record<string, unknown> | null {
  const path = join(root, 'package.json');
  if (!existsSync(path)) return null;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch (error) {
    throw new CommandError(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const CONVENTION = 'give --app PATH, or name the module that exports the app in package.json: "reinhardt": { "app": "src/app.ts" }';

/** Where the app module is, and where that was said (for error messages). */
export function appModulePath(cwd: string, appOption: string | undefined): { path: string; given: string; from: string; root: string } {
  const root = findProjectRoot(cwd);
  let given: string;
  let from: string;
  if (appOption !== undefined) {
    given = appOption;
    from = '--app';
  } else {
    const field = readPackageJson(root)?.reinhardt;
    const app = typeof field === 'object' && field !== null ? (field as Record<string, unknown>).app : undefined;
    if (typeof app !== 'string') throw new CommandError(`No app to load: ${CONVENTION}.`);
    given = app;
    from = 'package.json "reinhardt.app"';
  }
  if (given.trim() === '' || given.includes('\0')) throw new CommandError(`The app module path from ${from} is empty or not a path.`);
  // --app is taken from the working directory, as a shell user expects; package.json's from the project root.
  const path = resolve(from === '--app' ? cwd : root, given);
  if (!isInside(root, path)) throw new CommandError(`The app module ${given} (from ${from}) is outside the project folder ${root}.`);
  return { path, given, from, root };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Loads the app module and returns its Application. A `.ts` module is compiled with SWC on the way
 * (typescript-hook.ts). The start-up checks are deferred: the command runs the ones it needs
 * (`reinhardt check` all of them, `routes` none, `runserver` the start-up ones).
 * @example const app = loadApp(process.cwd(), undefined);
 */
export function loadApp(cwd: string, appOption: string | undefined): Application {
  const { file, given, root } = resolveAppModule(cwd, appOption);
  if (file.endsWith('.ts')) registerTypeScriptHook(root);
  const exported = withStartupChecksDeferred(() => require(file)) as Record<string, unknown>;
  const app = exported.app ?? exported.default;
  if (!(app instanceof Application)) {
    throw new CommandError(`${given} exports no Application: export it as \`app\` (export const app = createApp(...)) or as the default export.`);
  }
  return app;
}

/**
 * The app module's file, checked: it exists, and it is inside the project after symbolic links.
 * Nothing is loaded yet (runserver loads it in another process).
 */
export function resolveAppModule(cwd: string, appOption: string | undefined): { file: string; given: string; root: string } {
  const { path, given, from, root } = appModulePath(cwd, appOption);
  let file: string;
  try {
    file = require.resolve(path);
  } catch {
    throw new CommandError(`The app module ${given} (from ${from}) does not exist.`);
  }
  // The same check after symbolic links: a link inside the project may point anywhere.
  if (!isInside(realpathSync(root), realpathSync(file))) {
    throw new CommandError(`The app module ${given} (from ${from}) leads outside the project folder ${root}.`);
  }
  return { file, given, root };
}
