/**
 * The `reinhardt.server` records of a server starting and stopping, written by `app.listen()`,
 * `serve()` and the SIGTERM/SIGINT drain (issue 23 item 7): one line with the address, the mode
 * and the worker count; one line, never a stack, for an address that cannot be used (Django's
 * runserver: django/core/management/commands/runserver.py, `inner_run`); one line when the drain
 * starts, with what is still in flight, and one when it ends.
 *
 * The messages are fixed text with the numbers in them and again as fields, so the human format
 * (which shows a `reinhardt.server` info record as `[time] message`) and the JSON one both carry
 * them.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger';

/** The `name` of every record here, Django's `django.server`. */
export const SERVER_LOGGER_NAME = 'reinhardt.server';

/**
 * Django's runserver messages for the errors `listen()` can meet (its `ERRORS` table, the
 * wording of Python's BaseHTTPServer): any other error is shown by its own message.
 */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EACCES: "You don't have permission to access that port.",
  EADDRINUSE: 'That port is already in use.',
  EADDRNOTAVAIL: "That IP address can't be assigned to.",
};

/**
 * What runserver says after `Error: ` for a failed `listen()`.
 * @example listenErrorText(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })) // 'That port is already in use.'
 */
export function listenErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && Object.prototype.hasOwnProperty.call(LISTEN_ERRORS, code)) return LISTEN_ERRORS[code]!;
  // An Error, or its code and message as a serve() worker sends them to its primary.
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * `http://127.0.0.1:8000/`, `http://[::1]:8000/`: where a server listens (or was asked to), as
 * runserver's "Starting development server at" line writes it (an IPv6 host in brackets, RFC 3986
 * §3.2.2). Without a host Node listens on every interface, `::` (or `0.0.0.0` without IPv6).
 * @example serverUrl('127.0.0.1', 8000) // 'http://127.0.0.1:8000/'
 */
export function serverUrl(host: string | undefined, port: number): string {
  const shown = host === undefined || host === '' ? '::' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`;
}

/** The URL of a listening server (its real port when it was asked for port 0). */
export function listeningUrl(address: AddressInfo | string | null): string {
  if (address === null) return 'http://localhost/';
  // A server on a Unix socket or a Windows pipe has a path, not a host and port.
  if (typeof address === 'string') return address;
  return serverUrl(address.address, address.port);
}

/**
 * The address a failed `listen()` was for: Node puts `address` and `port` on the error
 * (`listen EADDRINUSE: address already in use 127.0.0.1:8000`), else the ones asked for.
 */
export function failedListenUrl(error: unknown, host: string | undefined, port: number): string {
  const { address, port: errorPort } = (error ?? {}) as { address?: unknown; port?: unknown };
  return serverUrl(typeof address === 'string' ? address : host, typeof errorPort === 'number' ? errorPort : port);
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** `debug` or `production`: what the settings' `debug` means for whoever reads the log. */
export function modeName(debug: boolean): 'debug' | 'production' {
  return debug ? 'debug' : 'production';
}

/**
 * `Listening at http://127.0.0.1:8000/ (production, 4 workers)`; without `workers` (one process,
 * `app.listen`), `Listening at http://127.0.0.1:8000/ (debug)`.
 */
export function logListening(logger: Logger, url: string, debug: boolean, workers?: number): void {
  const mode = modeName(debug);
  if (workers === undefined) {
    logger.info({ address: url, mode }, `Listening at ${url} (${mode})`);
  } else {
    logger.info({ address: url, mode, workers }, `Listening at ${url} (${mode}, ${plural(workers, 'worker', 'workers')})`);
  }
}

/** `Error: That port is already in use.`, an error record with the address and the error's code. */
export function logListenError(logger: Logger, error: unknown, url: string): void {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  logger.error(code === undefined ? { address: url } : { address: url, code }, `Error: ${listenErrorText(error)}`);
}

/**
 * The drain's first line: `Shutting down on SIGTERM: finishing 2 requests in flight`.
 * `connections` counts the connections still open once the idle ones are closed, each with a
 * request being answered. `who` prefixes a `serve()` worker's lines with its pid.
 */
export function logDrainStart(logger: Logger, signal: string, connections: number, who: string): void {
  const work = connections === 0 ? 'no request in flight' : `finishing ${plural(connections, 'request', 'requests')} in flight`;
  logger.info({ signal, connections }, `${who}Shutting down on ${signal}: ${work}`);
}

/**
 * The drain's last line: `Shut down: every request finished`, or (a warning) how many
 * connections were still busy when `shutdownTimeout` ran out and were closed.
 */
export function logDrainEnd(logger: Logger, cut: number, deadlineMs: number, who: string): void {
  if (cut === 0) logger.info({ connections: 0 }, `${who}Shut down: every request finished`);
  else logger.warn({ connections: cut, shutdownTimeout: deadlineMs }, `${who}Shut down after ${deadlineMs} ms: closed ${plural(cut, 'connection', 'connections')} still in flight`);
}

/** `serve()`'s primary on a signal: `Shutting down on SIGTERM: stopping 4 workers`. */
export function logClusterDrainStart(logger: Logger, signal: string, workers: number): void {
  logger.info({ signal, workers }, `Shutting down on ${signal}: stopping ${plural(workers, 'worker', 'workers')}`);
}

/** `Shut down: 4 workers stopped`, or (a warning) how many were killed at `shutdownTimeout`. */
export function logClusterDrainEnd(logger: Logger, workers: number, killed: number, deadlineMs: number): void {
  if (killed === 0) logger.info({ workers, killed }, `Shut down: ${plural(workers, 'worker', 'workers')} stopped`);
  else logger.warn({ workers, killed, shutdownTimeout: deadlineMs }, `Shut down after ${deadlineMs} ms: killed ${plural(killed, 'worker', 'workers')} still running`);
}

/** A worker that died while the cluster was serving, and is being replaced. */
export function logWorkerDied(logger: Logger, pid: number | undefined, code: number | null, signal: string | null): void {
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
  logger.warn({ pid, code, signal }, `Worker ${pid} ${how}; starting another`);
}
