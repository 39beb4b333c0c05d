/**
 * The process `reinhardt runserver` restarts on every change (Django's autoreloader runs the server
 * in a child the same way): loads the app (TypeScript compiled by SWC), runs the system checks,
 * prints Django's banner, serves, and logs one line per request (the app's access log, turned on). Exit codes tell the parent what
 * to do: WAIT_FOR_CHANGE (the app did not load or failed its checks: fix and save) or FATAL (the
 * address cannot be used: restarting will not help).
 *
 * Arguments: JSON of { cwd, app, host, port, shownApp }.
 */
import { formatCheckReport, SystemCheckError } from '../checks/check-report';
import { runChecks } from '../checks/system-checks';
import { startServer } from '../core/server';
import { listenErrorText } from '../core/server-log';
import { ReinhardtError } from '../http/errors';
import { loadApp } from './load-app';
import { ownPackage } from './own-package';

export const WAIT_FOR_CHANGE = 3;
export const FATAL = 4;

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const two = (n: number) => String(n).padStart(2, '0');

/** `December 06, 2026 - 12:00:00`: Django's runserver banner, strftime("%B %d, %Y - %X"). */
export function bannerTime(date: Date): string {
  return `${MONTH_NAMES[date.getMonth()]} ${two(date.getDate())}, ${date.getFullYear()} - ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

async function main(): Promise<void> {
  const { cwd, app: appOption, host, port, shownApp } = JSON.parse(process.argv[2]) as { cwd: string; app: string | null; host: string; port: number; shownApp: string };
  process.stdout.write('Performing system checks...\n\n');
  let app;
  try {
    app = loadApp(cwd, appOption ?? undefined);
    const messages = runChecks(app);
    if (messages.some((m) => m.isSerious)) throw new SystemCheckError(messages);
    process.stdout.write(`${formatCheckReport(messages)}\n`);
  } catch (error) {
    if (error instanceof SystemCheckError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof ReinhardtError) process.stderr.write(`${error.name}: ${error.message}\n`);
    else process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(WAIT_FOR_CHANGE);
  }
  // Django's runserver logs every request (django.server): the app's access log, whatever its settings say.
  app.enableAccessLog();
  try {
    await startServer(app.handle, app.settings, port, host, false);
  } catch (error) {
    // Django's runserver line, as app.listen() logs it (src/core/server-log.ts).
    process.stderr.write(`Error: ${listenErrorText(error)}\n`);
    process.exit(FATAL);
  }
  // Written once the port is bound (Django writes it just before binding): the address it names
  // answers from the moment the banner is read, so a browser refresh or a script waiting for
  // "Quit the server" never meets a refused connection after a reload.
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `${bannerTime(new Date())}\nReinhardt version ${ownPackage().version}, using settings from ${shownApp}\n` +
      `Starting development server at http://${shownHost}:${port}/\nQuit the server with CONTROL-C.\n\n`,
  );
  // The parent restarts this process on a change: stop at once, a development server drains nothing.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

if (require.main === module) void main();
