/**
 * `reinhardt startproject NAME [DIR]` (Django's startproject, `nest new`): a runnable project from
 * the `*-tpl` files under src/cli/templates/project/ (the compiler never sees them). The name and
 * the folder come from the user and are checked as an attacker would use them: the name becomes
 * the npm package name and is written into JSON, TypeScript and HTML, so it is held to
 * `[a-z][a-z0-9_-]*` (no path separators, no `..`, nothing to escape); the folder must be new or
 * empty, and files are created with `wx`, so nothing existing is ever overwritten or followed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { SECRET_KEY_INSECURE_PREFIX } from '../../checks/security-checks';
import { Command, CommandError, type CommandArguments, type CommandContext } from '../command';
import { ownPackage } from '../own-package';

/** npm's rules for a new package name, narrowed so that it needs no escaping anywhere it is written. */
const PROJECT_NAME = /^[a-z][a-z0-9_-]{0,213}$/;
const RESERVED = new Set(['reinhardt', 'node_modules', 'favicon.ico', 'test', 'dist', 'src']);

/** The templates: beside this file in the source tree, under src/ of the package when compiled to dist/. */
function templatesDir(): string {
  const candidates = [join(__dirname, '..', 'templates', 'project'), join(__dirname, '..', '..', '..', '..', 'src', 'cli', 'templates', 'project')];
  const found = candidates.find((dir) => existsSync(join(dir, 'package.json-tpl')));
  if (found === undefined) throw new CommandError(`The project templates are missing from this installation (looked in ${candidates.join(', ')}).`);
  return found;
}

/** `dot-gitignore-tpl` is `.gitignore` (npm would drop a real .gitignore from the package). */
function targetName(templateName: string): string {
  return templateName.replace(/-tpl$/, '').replace(/^dot-/, '.');
}

function listTemplates(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return listTemplates(join(dir, entry.name), path);
    return entry.name.endsWith('-tpl') ? [path] : [];
  });
}

/**
 * Checks a project name; returns the reason it is refused, or null.
 * @example invalidProjectName('../etc') // "it may only hold lowercase letters, ..."
 */
export function invalidProjectName(name: string): string | null {
  if (!PROJECT_NAME.test(name)) return "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)";
  if (RESERVED.has(name) || isBuiltin(name)) return `'${name}' is taken (by Node.js, npm or Reinhardt itself)`;
  return null;
}

export default class StartProjectCommand extends Command {
  readonly name = 'startproject';
  readonly help =
    'Creates a Reinhardt project NAME in DIR (default ./NAME): settings from the environment, a controller, a template, a static folder, a test, and npm start/npm test.';
  readonly usage = 'startproject NAME [DIR]';
  override readonly minPositionals = 1;
  override readonly maxPositionals = 2;

  handle(args: CommandArguments, context: CommandContext): number {
    const [name, dirArgument] = args.positionals;
    const reason = invalidProjectName(name);
    if (reason !== null) throw new CommandError(`'${name}' is not a valid project name: ${reason}.`);
    const target = resolve(context.cwd, dirArgument ?? name);
    if (existsSync(target)) {
      if (!statSync(target).isDirectory()) throw new CommandError(`${target} exists and is not a folder.`);
      if (readdirSync(target).length > 0) throw new CommandError(`${target} already exists and is not empty.`);
    }
    const own = ownPackage();
    const values = new Map<string, string>([
      ['project_name', name],
      ['reinhardt_dependency', `^${own.version}`],
    ]);
    const fill = (text: string) =>
      text.replace(/\{\{ (project_name|reinhardt_dependency|version:[@a-z0-9/._-]+) \}\}/g, (placeholder, key: string) => {
        if (key.startsWith('version:')) {
          const version = own.versions[key.slice('version:'.length)];
          if (version === undefined) throw new CommandError(`Template placeholder ${placeholder}: this package does not depend on ${key.slice(8)}.`);
          return version;
        }
        return values.get(key)!;
      });
    const source = templatesDir();
    const written: string[] = [];
    for (const template of listTemplates(source)) {
      const path = join(target, ...template.split('/').map(targetName));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, fill(readFileSync(join(source, ...template.split('/')), 'utf8')), { flag: 'wx' });
      written.push(relative(target, path));
    }
    // Django writes a development key into settings.py; ours goes to the git-ignored .env.
    const key = `${SECRET_KEY_INSECURE_PREFIX}${randomBytes(40).toString('base64url')}`;
    writeFileSync(join(target, '.env'), `DEBUG=true\nSECRET_KEY=${key}\nALLOWED_HOSTS=localhost,127.0.0.1,[::1]\nPORT=8000\n`, { flag: 'wx', mode: 0o600 });
    const relativeTarget = relative(context.cwd, target) || '.';
    // Quoted for the shell when the folder name needs it (the name itself never does).
    const shown = /^[\w./-]+$/.test(relativeTarget) ? relativeTarget : `'${relativeTarget.replace(/'/g, `'\\''`)}'`;
    context.stdout.write(`Created the project ${name} in ${shown}. Next:\n\n  cd ${shown}\n  npm install && npm start   # http://localhost:8000\n  npm test\n`);
    return 0;
  }
}
