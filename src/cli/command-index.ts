/**
 * The index of `reinhardt` commands (AdonisJS ace's generated index): a name and a one-line summary
 * per command, and a loader, so that only the command asked for is imported — `reinhardt routes`
 * never loads the project scaffolder or the compiler the dev server uses.
 */
import type { Command } from './command';

export interface CommandEntry {
  readonly summary: string;
  /** Imports the command's module (one file per command under commands/) and makes the command. */
  readonly load: () => Command;
}

function instantiate(module: { default: new () => Command }): Command {
  return new module.default();
}

/** Every command, by name. Later commands (collectstatic, openapi) add a line here. */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = Object.freeze({
  check: { summary: "Runs Django's system checks on the app; --deploy adds the deployment checklist.", load: () => instantiate(require('./commands/check')) },
  collectstatic: { summary: 'Copies staticDirs into staticRoot with hashed names, a manifest and .br/.gz copies.', load: () => instantiate(require('./commands/collectstatic')) },
  openapi: { summary: "Prints the app's OpenAPI 3.1 document as JSON (--format yaml for YAML).", load: () => instantiate(require('./commands/openapi')) },
  routes: { summary: 'Lists every route: method, pattern, name, handler and guards (--json for JSON).', load: () => instantiate(require('./commands/routes')) },
  runserver: { summary: 'Serves the app for development, recompiling and reloading on every change.', load: () => instantiate(require('./commands/runserver')) },
  startproject: { summary: 'Creates a new project: NAME [DIR].', load: () => instantiate(require('./commands/startproject')) },
});
