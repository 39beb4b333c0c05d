/**
 * `reinhardt openapi [--format json|yaml]`: prints the app's OpenAPI 3.1 document (what
 * `app.openapi()` returns), e.g. `npx reinhardt openapi > openapi.json`. The title, version and
 * description come from the project's package.json. YAML is written by the `yaml` package (an
 * optional dependency), loaded only for `--format yaml`.
 */
import type { OpenApiInfo } from '../../openapi/openapi-types';
import { Command, CommandError, type CommandArguments, type CommandContext } from '../command';
import { findProjectRoot, loadApp, readPackageJson } from '../load-app';

/** `info` from the project's package.json: its name, version and description, where they are strings. */
export function infoFromPackage(cwd: string): OpenApiInfo | undefined {
  const pkg = readPackageJson(findProjectRoot(cwd));
  if (pkg === null || typeof pkg.name !== 'string') return undefined;
  const info: OpenApiInfo = { title: pkg.name, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
  if (typeof pkg.description === 'string' && pkg.description !== '') info.description = pkg.description;
  return info;
}

function toYaml(document: unknown): string {
  let yaml: typeof import('yaml');
  try {
    yaml = require('yaml') as typeof import('yaml');
  } catch {
    throw new CommandError('--format yaml needs the yaml package, which is not installed: run `npm install yaml`, or use --format json.');
  }
  return yaml.stringify(document, { aliasDuplicateObjects: false });
}

export default class OpenApiCommand extends Command {
  readonly name = 'openapi';
  readonly help = "Prints the app's OpenAPI 3.1 document (JSON, or YAML with --format yaml); title and version from package.json.";
  readonly usage = 'openapi [--format json|yaml] [--app PATH]';
  override readonly options = { format: { type: 'string' }, app: { type: 'string' } } as const;

  handle(args: CommandArguments, context: CommandContext): number {
    const format = (args.options.format as string | undefined) ?? 'json';
    if (format !== 'json' && format !== 'yaml') throw new CommandError(`Unknown format '${format}': use --format json or --format yaml.`);
    const app = loadApp(context.cwd, args.options.app as string | undefined);
    const document = app.openapi(infoFromPackage(context.cwd));
    context.stdout.write(format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : toYaml(document));
    return 0;
  }
}
