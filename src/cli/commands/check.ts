/**
 * `reinhardt check [--deploy]` (Django's `manage.py check`): runs the system checks on the app and
 * prints Django's report. Any error: the report goes to stderr as a SystemCheckError and the exit
 * code is 1; warnings only: the report on stdout and 0.
 */
import { formatCheckReport, SystemCheckError } from '../../checks/check-report';
import { runChecks } from '../../checks/system-checks';
import { Command, type CommandArguments, type CommandContext } from '../command';
import { loadApp } from '../load-app';

export default class CheckCommand extends Command {
  readonly name = 'check';
  readonly help = "Runs Django's system checks on the app. --deploy adds the deployment checklist (security.W004 ... W022).";
  readonly usage = 'check [--deploy] [--app PATH]';
  override readonly options = { deploy: { type: 'boolean' }, app: { type: 'string' } } as const;

  handle(args: CommandArguments, context: CommandContext): number {
    const app = loadApp(context.cwd, args.options.app as string | undefined);
    const messages = runChecks(app, { deploy: args.options.deploy === true });
    if (messages.some((m) => m.isSerious)) throw new SystemCheckError(messages);
    context.stdout.write(`${formatCheckReport(messages)}\n`);
    return 0;
  }
}
