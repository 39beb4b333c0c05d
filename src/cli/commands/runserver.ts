/**
 * `reinhardt runserver [ADDR:PORT]` (Django's runserver): serves the app for development, in a child
 * process (runserver-child.ts) restarted whenever a file of the project changes, as Django's
 * autoreloader does. TypeScript is compiled with SWC, which keeps decorator metadata (tsx and
 * esbuild cannot). The debug pages are on: DEBUG=true is put in the child's environment unless the
 * environment sets DEBUG (an app built with settingsFromEnv() reads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { Command, CommandError, type CommandArguments, type CommandContext } from '../command';
import { resolveAppModule } from '../load-app';
import { FATAL } from '../runserver-child';
import { registerTypeScriptHook } from '../typescript-hook';

/** Never watched: dependencies, build output, version control. */
const IGNORED = new Set(['node_modules', 'dist', 'build', 'coverage', '.git']);
/** A change to one of these restarts the server. */
const WATCHED = new Set(['.ts', '.js', '.cjs', '.mjs', '.json', '.html', '.njk', '.env']);
/** Saving a file is often several events in a row: restart once. */
const DEBOUNCE_MS = 100;

/** `8000`, `0.0.0.0:8000`, `[::1]:8000`, `localhost:8000` (Django's addrport). */
export function parseAddrPort(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: '127.0.0.1', port: 8000 };
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+):)?(\d{1,5})$/.exec(text);
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || port < 1 || port > 65535) throw new CommandError(`"${text}" is not a valid port number or address:port pair.`);
  const host = match[1] === undefined ? '127.0.0.1' : match[1].replace(/^\[|\]$/g, '');
  return { host, port };
}

export default class RunserverCommand extends Command {
  readonly name = 'runserver';
  readonly help =
    'Serves the app for development on ADDR:PORT (default 127.0.0.1:8000), with the debug pages, one log line per request, and a restart on every change.';
  readonly usage = 'runserver [ADDR:PORT] [--app PATH] [--noreload]';
  override readonly options = { app: { type: 'string' }, noreload: { type: 'boolean' } } as const;
  override readonly maxPositionals = 1;

  handle(args: CommandArguments, context: CommandContext): Promise<number> {
    const { host, port } = parseAddrPort(args.positionals[0]);
    const appOption = args.options.app as string | undefined;
    const { file, given, root } = resolveAppModule(context.cwd, appOption);
    // Fail now, in one line, rather than in every child.
    if (file.endsWith('.ts')) registerTypeScriptHook(root);
    const reload = args.options.noreload !== true;
    const childArgs = JSON.stringify({ cwd: context.cwd, app: appOption ?? null, host, port, shownApp: given });
    const childEnv = { ...context.env, DEBUG: context.env.DEBUG ?? 'true' };
    return new Promise<number>((resolve) => {
      let child: ChildProcess | null = null;
      let restarting = false;
      let stopped = false;
      let timer: NodeJS.Timeout | null = null;
      const watchers: FSWatcher[] = [];
      const start = () => {
        // The same node and flags as this process (Django's autoreloader re-runs sys.executable with its options).
        const entry = join(__dirname, '..', `runserver-child${extname(__filename)}`);
        const started = spawn(process.execPath, [...process.execArgv, entry, childArgs], { cwd: context.cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
        started.stdout!.on('data', (chunk: Buffer) => context.stdout.write(chunk.toString()));
        started.stderr!.on('data', (chunk: Buffer) => context.stderr.write(chunk.toString()));
        started.on('exit', (code) => {
          if (child === started) child = null;
          if (restarting) {
            restarting = false;
            start();
          } else if (code === FATAL || !reload) {
            stop(code === 0 || code === null ? 0 : 1);
          }
          // Otherwise the app did not load or crashed: wait for a change, as Django does.
        });
        child = started;
      };
      const restart = (changed: string) => {
        context.stdout.write(`${changed} changed, reloading.\n`);
        if (child === null) start();
        else {
          restarting = true;
          child.kill('SIGTERM');
        }
      };
      const stop = (code: number) => {
        if (stopped) return;
        stopped = true;
        for (const watcher of watchers) watcher.close();
        if (timer !== null) clearTimeout(timer);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (child !== null) child.kill('SIGTERM');
        resolve(code);
      };
      const onSignal = () => stop(0);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      if (reload) {
        const onChange = (dir: string) => (_event: string, name: string | Buffer | null) => {
          if (name === null || stopped) return;
          const path = join(dir, name.toString());
          const base = name.toString().split(/[\\/]/).pop()!;
          if (!WATCHED.has(extname(path)) && !base.startsWith('.env')) return;
          if (timer !== null) clearTimeout(timer);
          timer = setTimeout(() => {
            timer = null;
            restart(relative(context.cwd, path) || path);
          }, DEBOUNCE_MS);
        };
        // The root alone, then each folder in it except dependencies and build output, recursively.
        watchers.push(watch(root, onChange(root)));
        for (const entry of readdirSync(root, { withFileTypes: true })) {
          if (entry.isDirectory() && !IGNORED.has(entry.name) && existsSync(join(root, entry.name))) {
            watchers.push(watch(join(root, entry.name), { recursive: true }, onChange(join(root, entry.name))));
          }
        }
        context.stdout.write('Watching for file changes with fs.watch\n');
      }
      start();
    });
  }
}
