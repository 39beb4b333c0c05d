/**
 * The base of every `reinhardt` command (Django's django/core/management/base.py, BaseCommand):
 * a name, a one-line help, its arguments, and exit codes — 0 done, 1 the command failed
 * (CommandError), 2 the command line was wrong (argparse's usage error).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ReinhardtError } from '../http/errors';

/** Where a command writes: process.stdout/stderr from the shell, buffers in tests. */
export interface OutputStream {
  write(text: string): unknown;
}

/** What a command runs with: the working directory, its outputs and its environment. */
export interface CommandContext {
  readonly cwd: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Parsed options (by long name) and positional arguments. */
export interface CommandArguments {
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * A failure the user can fix, printed as one line `CommandError: <message>` with exit code 1
 * (Django's CommandError); no stack.
 * @example throw new CommandError("'my site' is not a valid project name.");
 */
export class CommandError extends ReinhardtError {
  constructor(
    message: string,
    readonly returnCode = 1,
  ) {
    super(message);
  }
}

/** Exit codes, as Django and argparse use them. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * A command: subclasses declare their name, help, options and positionals, and implement `handle`.
 * @example
 * export default class HelloCommand extends Command {
 *   readonly name = 'hello';
 *   readonly help = 'Says hello.';
 *   readonly usage = 'hello [NAME]';
 *   readonly maxPositionals = 1;
 *   handle(args: CommandArguments, context: CommandContext): number {
 *     context.stdout.write(`Hello, ${args.positionals[0] ?? 'world'}!\n`);
 *     return 0;
 *   }
 * }
 */
export abstract class Command {
  abstract readonly name: string;
  /** One line, shown by `reinhardt help`. */
  abstract readonly help: string;
  /** The arguments after `reinhardt`, e.g. `routes [--json] [--app PATH]`. */
  abstract readonly usage: string;
  /** Long options, node:util parseArgs style; `--help` is added to every command. */
  readonly options: NonNullable<ParseArgsConfig['options']> = {};
  readonly minPositionals: number = 0;
  readonly maxPositionals: number = 0;

  /** Does the work; returns the exit code (undefined: 0). Throws CommandError for a failure the user can fix. */
  abstract handle(args: CommandArguments, context: CommandContext): Promise<number | void> | number | void;

  /** Parses `argv` (the words after the command's name) and runs `handle`. */
  async run(argv: readonly string[], context: CommandContext): Promise<number> {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: argv as string[],
        options: { ...this.options, help: { type: 'boolean', short: 'h' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      // node:util's message, first sentence: "Unknown option '--bad'." (not instanceof Error across realms).
      const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
      return this.usageError(message.replace(/\. .*$/s, '.'), context);
    }
    if (parsed.values.help === true) {
      context.stdout.write(`usage: reinhardt ${this.usage}\n\n${this.help}\n`);
      return EXIT_OK;
    }
    const positionals = parsed.positionals;
    if (positionals.length < this.minPositionals) return this.usageError('the following arguments are required', context);
    if (positionals.length > this.maxPositionals) {
      return this.usageError(`unrecognized arguments: ${positionals.slice(this.maxPositionals).join(' ')}`, context);
    }
    const code = await this.handle({ options: parsed.values as CommandArguments['options'], positionals }, context);
    return code ?? EXIT_OK;
  }

  private usageError(message: string, context: CommandContext): number {
    context.stderr.write(`usage: reinhardt ${this.usage}\nreinhardt ${this.name}: error: ${message}\n`);
    return EXIT_USAGE;
  }
}
