/**
 * Runs a `reinhardt` command in-process (Django's `call_command`): what `bin.ts` does for the
 * shell, and what tests use to assert a command's exact output and exit code.
 */
import { ReinhardtError } from '../http/errors';
import { SystemCheckError } from '../checks/check-report';
import { CommandError, EXIT_FAILED, EXIT_OK, type CommandContext, type OutputStream } from './command';
import { COMMANDS } from './command-index';

export interface CallCommandOptions {
  /** The project folder the command works in. Default: process.cwd(). */
  cwd?: string;
  /** Default: process.stdout. */
  stdout?: OutputStream;
  /** Default: process.stderr. */
  stderr?: OutputStream;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `argv` (the words after `reinhardt`) and resolves to the exit code. A CommandError is one
 * line on stderr (exit 1); a SystemCheckError is Django's report (exit 1); an unknown command
 * names itself (exit 1).
 * @example
 * const out: string[] = [];
 * const code = await callCommand(['routes', '--json'], { cwd: '/srv/mysite', stdout: { write: (s) => out.push(s) } });
 */
export async function callCommand(argv: readonly string[], options: CallCommandOptions = {}): Promise<number> {
  const context: CommandContext = {
    cwd: options.cwd ?? process.cwd(),
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    if (rest.length > 0 && Object.hasOwn(COMMANDS, rest[0])) return COMMANDS[rest[0]].load().run(['--help'], context);
    context.stdout.write(mainHelp());
    return EXIT_OK;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry === undefined) {
    context.stderr.write(`Unknown command: '${name}'\nType 'reinhardt help' for usage.\n`);
    return EXIT_FAILED;
  }
  try {
    return await entry.load().run(rest, context);
  } catch (error) {
    // As Django's run_from_argv: the report as it is, other known errors as one line, bugs with their stack.
    if (error instanceof SystemCheckError) context.stderr.write(`${error.message}\n`);
    else if (error instanceof CommandError) {
      context.stderr.write(`CommandError: ${error.message}\n`);
      return error.returnCode;
    } else if (error instanceof ReinhardtError) context.stderr.write(`${error.name}: ${error.message}\n`);
    else context.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILED;
  }
}

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, entry]) => `    ${name.padEnd(width)}  ${entry.summary}`);
  return (
    "Usage: reinhardt <subcommand> [options]\n\nType 'reinhardt help <subcommand>' for help on a specific subcommand.\n\n" +
    `Available subcommands:\n\n${lines.join('\n')}\n`
  );
}
