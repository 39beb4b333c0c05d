/**
 * `reinhardt routes` (django-extensions' show_urls, `nest`'s route table): every route with its
 * method, pattern, name, handler (`Controller.method`) and guards, as a table or `--json`.
 */
import { loginRequiredGuard } from '../../auth/guards';
import type { CompiledRoute, RouteGuard } from '../../core/route-table';
import { Command, type CommandArguments, type CommandContext } from '../command';
import { loadApp } from '../load-app';

/** One row of the table, and one object of `--json`. */
export interface RouteRow {
  method: string;
  pattern: string;
  name: string | null;
  handler: string;
  guards: string[];
}

/** A guard by the decorator that put it there; a guard of one's own by its function's name. */
function guardName(guard: RouteGuard): string {
  if (guard === loginRequiredGuard) return 'LoginRequired';
  return guard.name || '(anonymous guard)';
}

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export default class RoutesCommand extends Command {
  readonly name = 'routes';
  readonly help = 'Lists every route of the app: method, pattern, name, handler and guards, in the order they are matched.';
  readonly usage = 'routes [--json] [--app PATH]';
  override readonly options = { json: { type: 'boolean' }, app: { type: 'string' } } as const;

  handle(args: CommandArguments, context: CommandContext): number {
    const app = loadApp(context.cwd, args.options.app as string | undefined);
    // The name a handler declared: a POST on a pattern a GET named is not that name's view.
    const rows: RouteRow[] = app.router.handlers().map(({ pattern, method, value }) => ({
      method,
      pattern,
      name: (value as CompiledRoute).routeName,
      handler: (value as CompiledRoute).culprit,
      guards: ((value as CompiledRoute).guards ?? []).map(guardName),
    }));
    if (args.options.json === true) {
      context.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      const cells = rows.map((row) => [row.method, row.pattern, row.name ?? '', row.handler, row.guards.join(', ')]);
      context.stdout.write(formatTable(['Method', 'Pattern', 'Name', 'Handler', 'Guards'], cells));
    }
    return 0;
  }
}
