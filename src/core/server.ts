import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger';
import { servedWorker } from '../metrics/cluster-messages';
import { failedListenUrl, listeningUrl, logDrainEnd, logDrainStart, logListenError, logListening, SERVER_LOGGER_NAME } from './server-log';
import type { Settings } from './settings';

/** A server started with `app.listen`, drained on SIGTERM/SIGINT by one pair of handlers. */
interface RunningServer {
  readonly server: Server;
  readonly shutdownTimeout: number;
  /** Where the drain's two lines go (`reinhardt.server`); none for a server nobody announced. */
  readonly logger: Logger | undefined;
}

const running = new Set<RunningServer>();
let signalsInstalled = false;

/**
 * Starts a node:http server for `listener`, with Django-like timeouts (Node answers 408 when the
 * headers or the whole request take longer than the settings allow) and graceful close. With
 * `handleSignals`, SIGTERM and SIGINT drain it (and every other such server) and exit; the
 * drain's start and end are logged to `logger`.
 */
export function startServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  settings: Readonly<Settings>,
  port: number,
  host: string | undefined,
  handleSignals: boolean,
  logger?: Logger,
): Promise<Server> {
  const server = createServer(
    {
      requestTimeout: settings.requestTimeout,
      headersTimeout: settings.headersTimeout,
      // Node checks those two timeouts only every connectionsCheckingInterval (30 s by default),
      // so a slowloris client would hold a socket far past them; check often enough to answer
      // 408 close to the configured time.
      connectionsCheckingInterval: Math.max(250, Math.min(1000, Math.floor(settings.headersTimeout / 2))),
    },
    listener,
  );
  const entry: RunningServer = { server, shutdownTimeout: settings.shutdownTimeout, logger };
  server.on('close', () => running.delete(entry));
  // A socket error before a request exists (bad request line, oversized headers) gets Node's 400
  // and the socket is closed; never an uncaught exception.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      running.add(entry);
      if (handleSignals) installSignalHandlers();
      resolve(server);
    });
  });
}

/**
 * `app.listen`'s server: {@link startServer} and its `reinhardt.server` lines. With
 * `handleSignals` this process is the server, so it says where it listens and in which mode
 * (`Listening at http://127.0.0.1:8000/ (production)`), and an address it cannot use is one error
 * line and exit code 1, no stack, as Django's runserver (`Error: That port is already in use.`;
 * runserver.py's `inner_run` ends with `os._exit(1)`). Without it (a test, a server embedded in
 * something else) it says nothing and a failed listen rejects. A `serve()` worker's primary
 * speaks for all its workers, so a worker only rejects and stays quiet.
 */
export async function listenAndAnnounce(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  settings: Readonly<Settings>,
  port: number,
  host: string | undefined,
  handleSignals: boolean,
  appLogger: Logger,
): Promise<Server> {
  const logger = appLogger.child({ name: SERVER_LOGGER_NAME });
  const announce = handleSignals && !servedWorker.active;
  let server: Server;
  try {
    server = await startServer(listener, settings, port, host, handleSignals, logger);
  } catch (error) {
    if (!announce) throw error;
    logListenError(logger, error, failedListenUrl(error, host, port));
    process.exit(1);
  }
  if (announce) logListening(logger, listeningUrl(server.address()), settings.debug);
  return server;
}

/**
 * Stops accepting connections, lets in-flight requests finish within `deadlineMs`, then closes
 * whatever is left. Resolves with the number of connections still busy at the deadline and
 * closed then (0 when every request finished in time).
 */
export function closeGracefully(server: Server, deadlineMs: number): Promise<number> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(0);
    let cut = 0;
    const timer = setTimeout(() => {
      server.closeIdleConnections();
      server.getConnections((error, count) => {
        cut = error === null ? count : 0;
        server.closeAllConnections();
      });
    }, deadlineMs);
    timer.unref();
    // A keep-alive connection becomes idle only after its in-flight response: keep closing idle
    // ones until the server is closed, or they would hold the exit until the deadline.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve(cut);
    });
    server.closeIdleConnections();
  });
}

/**
 * One server's drain on a signal, between its two log lines. `server.close()` has closed the idle
 * connections (synchronously: net.Socket's destroy counts them off at once), so the connections
 * still counted each have a request being answered.
 */
async function drain(entry: RunningServer, signal: NodeJS.Signals): Promise<void> {
  const { server, shutdownTimeout, logger } = entry;
  const closing = closeGracefully(server, shutdownTimeout);
  if (logger === undefined) {
    await closing;
    return;
  }
  const who = servedWorker.active ? `Worker ${process.pid}: ` : '';
  const inFlight = await new Promise<number>((resolve) => server.getConnections((error, count) => resolve(error === null ? count : 0)));
  logDrainStart(logger, signal, inFlight, who);
  logDrainEnd(logger, await closing, shutdownTimeout, who);
}

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const shutdown = (signal: NodeJS.Signals) => {
    // Ctrl-C sends SIGINT to the whole process group, and serve()'s primary then sends each
    // worker SIGTERM: a worker that drained on the first and died of the second (its handler
    // gone, the default action) would cut its requests off. The primary's SIGTERM drains it.
    if (signal === 'SIGINT' && servedWorker.active) return;
    // A second signal takes the default action: Ctrl-C twice stops the process at once.
    process.removeListener('SIGTERM', shutdown);
    process.removeListener('SIGINT', shutdown);
    Promise.all(Array.from(running, (entry) => drain(entry, signal))).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
