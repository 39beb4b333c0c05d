import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Settings } from './settings';

/** Servers started with `app.listen`, closed together on SIGTERM/SIGINT by one pair of handlers. */
const running = new Set<{ server: Server; close: () => Promise<void> }>();
let signalsInstalled = false;

/**
 * Starts a node:http server for `listener`, with Django-like timeouts (Node answers 408 when the
 * headers or the whole request take longer than the settings allow) and graceful close.
 */
export function startServer(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  settings: Readonly<Settings>,
  port: number,
  host: string | undefined,
  handleSignals: boolean,
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
  const entry = { server, close: () => closeGracefully(server, settings.shutdownTimeout) };
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
 * Stops accepting connections, lets in-flight requests finish within `deadlineMs`, then closes
 * whatever is left.
 */
export function closeGracefully(server: Server, deadlineMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
    timer.unref();
    // A keep-alive connection becomes idle only after its in-flight response: keep closing idle
    // ones until the server is closed, or they would hold the exit until the deadline.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}

function installSignalHandlers(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const shutdown = (signal: NodeJS.Signals) => {
    process.removeListener('SIGTERM', shutdown);
    process.removeListener('SIGINT', shutdown);
    Promise.all(Array.from(running, (entry) => entry.close())).then(
      () => process.exit(0),
      () => process.exit(1),
    );
    void signal;
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
