/**
 * `reinhardt collectstatic [--clear]` (Django's `manage.py collectstatic`): the work is
 * src/staticfiles/collect.ts, in the app that owns it; this only loads the app and reports.
 */
import { ImproperlyConfigured } from '../../http/errors';
import { CollectStaticError, collectStatic } from '../../staticfiles/collect';
import { Command, CommandError, type CommandArguments, type CommandContext } from '../command';
import { findProjectRoot, loadApp } from '../load-app';

export default class CollectStaticCommand extends Command {
  readonly name = 'collectstatic';
  readonly help =
    'Copies the files of staticDirs into staticRoot under content-hashed names, with the manifest staticfiles.json and .br/.gz copies. --clear empties staticRoot first.';
  readonly usage = 'collectstatic [--clear] [--app PATH]';
  override readonly options = { clear: { type: 'boolean' }, app: { type: 'string' } } as const;

  handle(args: CommandArguments, context: CommandContext): number {
    const app = loadApp(context.cwd, args.options.app as string | undefined);
    let result;
    try {
      result = collectStatic(app.settings, {
        // Relative folders are the project's, wherever the command is run from inside it.
        baseDir: findProjectRoot(context.cwd),
        clear: args.options.clear === true,
        warn: (message) => context.stderr.write(`${message}\n`),
      });
    } catch (error) {
      if (error instanceof CollectStaticError || error instanceof ImproperlyConfigured) throw new CommandError(error.message);
      throw error;
    }
    // Django's summary line.
    const files = result.copied === 1 ? 'static file' : 'static files';
    context.stdout.write(`\n${result.copied} ${files} copied to '${result.root}', ${result.postProcessed} post-processed.\n`);
    return 0;
  }
}
