/**
 * The process `reinhardt runserver` restarts on every change (Django's autoreloader runs the server
 * in a child the same way): loads the app (TypeScript compiled by SWC), runs the system checks,
 * prints Django's banner, serves, and logs one line per request. Exit codes tell the parent what
 * to do: WAIT_FOR_CHANGE (the app did not load or failed its checks: fix and save) or FATAL (the
 * address cannot be used: restarting will not help).
 *
 * Arguments: JSON of { cwd, app, host, port, shownApp }.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatCheckReport, SystemCheckError } from '../checks/check-report';
import { runChecks } from '../checks/system-checks';
import { startServer } from '../core/server';
import { ReinhardtError } from '../http/errors';
import { loadApp } from './load-app';
import { ownPackage } from './own-package';

export const WAIT_FOR_CHANGE = 3;
export const FATAL = 4;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Django's (BaseHTTPRequestHandler's) messages for the errors listen() can meet. */
const LISTEN_ERRORS: Record<string, string> = {
  EACCES: "You don't have permission to access that port.",
  EADDRINUSE: 'That port is already in use.',
  EADDRNOTAVAIL: "That IP address can't be assigned to.",
};

const two = (n: number) => String(n).padStart(2, '0');

/** `06/Dec/2026 12:00:00`, local time: BaseHTTPRequestHandler.log_date_time_string. */
export function logTime(date: Date): string {
  return `${two(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** `December 06, 2026 - 12:00:00`: Django's runserver banner, strftime("%B %d, %Y - %X"). */
export function bannerTime(date: Date): string {
  return `${MONTH_NAMES[date.getMonth()]} ${two(date.getDate())}, ${date.getFullYear()} - ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Control characters in a logged request line are shown escaped, never written to the terminal. */
function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Body bytes written so far, per response: the size django.server logs (wsgiref's bytes_sent). */
const bytesSent = new WeakMap<ServerResponse, number>();

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

/**
 * Counts the body bytes of one response. A closure per request is fine here: this is the
 * development server, not the framework's request path.
 */
function countBytes(res: ServerResponse): void {
  bytesSent.set(res, 0);
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    bytesSent.set(res, bytesSent.get(res)! + byteLength(chunk, rest[0]));
    return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as ServerResponse['write'];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    if (typeof chunk !== 'function') bytesSent.set(res, bytesSent.get(res)! + byteLength(chunk, rest[0]));
    return (end as (...args: unknown[]) => ServerResponse).call(this, chunk, ...rest);
  } as ServerResponse['end'];
}

/** `[06/Dec/2026 12:00:00] "GET / HTTP/1.1" 200 123` (django.server's format). */
function logRequest(req: IncomingMessage, res: ServerResponse): void {
  const line = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
  process.stderr.write(`[${logTime(new Date())}] "${printable(line)}" ${res.statusCode} ${bytesSent.get(res) ?? 0}\n`);
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
  const shownHost = host.includes(':') ? `[${host}]` : host;
  process.stdout.write(
    `${bannerTime(new Date())}\nReinhardt version ${ownPackage().version}, using settings from ${shownApp}\n` +
      `Starting development server at http://${shownHost}:${port}/\nQuit the server with CONTROL-C.\n\n`,
  );
  const handle = app.handle;
  try {
    await startServer(
      (req, res) => {
        countBytes(res);
        res.once('finish', () => logRequest(req, res));
        handle(req, res);
      },
      app.settings,
      port,
      host,
      false,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    process.stderr.write(`Error: ${LISTEN_ERRORS[code] ?? (error as Error).message}\n`);
    process.exit(FATAL);
  }
  // The parent restarts this process on a change: stop at once, a development server drains nothing.
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

if (require.main === module) void main();
