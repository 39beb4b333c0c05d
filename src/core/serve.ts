import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { defaultLogger } from '../logging/default-logger';
import type { LogLevel } from '../logging/log-levels';
import type { Logger } from '../logging/logger';
import { isMetricsRequest, servedWorker, type MetricsRequestMessage } from '../metrics/cluster-messages';
import {
  failedListenUrl,
  listeningUrl,
  logClusterDrainEnd,
  logClusterDrainStart,
  logListenError,
  logListening,
  logWorkerDied,
  SERVER_LOGGER_NAME,
} from './server-log';

/**
 * What `serve` needs of an app: `Application.listen` (which closes gracefully on SIGTERM); its
 * settings and logger, when it has them, say how the primary's lines are written.
 */
export interface Listenable {
  listen(port: number, host?: string): Promise<Server> | Server;
  readonly settings?: { readonly debug: boolean; readonly logLevel?: LogLevel };
  readonly logger?: Logger;
}

export interface ServeOptions {
  port: number;
  host?: string;
  /** Worker processes. Default `os.availableParallelism()`. */
  workers?: number;
  /** Milliseconds workers get to finish after SIGTERM before they are killed. Default 15000. */
  shutdownTimeout?: number;
  /**
   * Where the primary writes its `reinhardt.server` lines (start-up, a port in use, a worker
   * replaced, the shutdown). Default: the app's logger when `serve` is given an app; with a
   * factory (built in the workers only), the default logger in the mode the workers report.
   */
  logger?: Logger;
}

/** In the primary process: the workers, and a way to stop them all. */
export interface ServePrimary {
  readonly role: 'primary';
  /** The live workers. */
  workers(): Worker[];
  /** Sends SIGTERM to every worker (they finish in-flight requests) and resolves when all exited. */
  close(): Promise<void>;
}

/** In a worker process: the server this worker listens with. */
export interface ServeWorker {
  readonly role: 'worker';
  readonly server: Server;
}

/** A worker tells its primary it listens, and where. */
const LISTENING = 'reinhardt:serve-listening';
/** A worker tells its primary its listen() failed, and why. */
const LISTEN_FAILED = 'reinhardt:serve-listen-failed';

/** What a worker reports to its primary at start-up, with its settings' mode for the primary's lines. */
interface ServeMessage {
  readonly type: typeof LISTENING | typeof LISTEN_FAILED;
  readonly address: string;
  readonly debug: boolean;
  readonly logLevel?: LogLevel;
  readonly code?: string;
  readonly message?: string;
}

function isServeMessage(message: unknown): message is ServeMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === LISTENING || type === LISTEN_FAILED;
}

function modeOf(app: Listenable): { debug: boolean; logLevel?: LogLevel } {
  return { debug: app.settings?.debug ?? false, logLevel: app.settings?.logLevel };
}

/**
 * Runs the app on `workers` processes sharing one port, with node:cluster (SPEC §11): the primary
 * forks the workers and the operating system spreads connections among them. Each worker runs
 * this same script and listens with `app.listen(port)`.
 *
 * - The primary logs one `reinhardt.server` line once every worker listens:
 *   `Listening at http://127.0.0.1:8000/ (production, 4 workers)`. An address the workers cannot
 *   use is one error line (`Error: That port is already in use.`) and exit code 1.
 * - A worker that dies while the primary is not shutting down is logged and replaced; one that
 *   dies within a second of starting is replaced after a growing delay (up to 5 s), so a crash at
 *   start-up does not become a fork storm.
 * - SIGTERM or SIGINT to the primary sends SIGTERM to every worker, which stops accepting
 *   connections, logs how many requests it is finishing and finishes them; the primary logs the
 *   start and the end of the shutdown and exits 0 when all have exited (workers still running
 *   after `shutdownTimeout` are killed). A worker ignores SIGINT: Ctrl-C reaches every process of
 *   the group, and the primary's SIGTERM is the one it drains on.
 *
 * Workers share nothing in memory: sessions must live in a shared store (`RedisSessionStore`),
 * or a user logged in by one worker is a stranger to the next. Pass a function to build the app
 * only in the workers (the primary then opens no database or Redis connections).
 * @example
 * // main.ts
 * container.register(SessionStore, { useValue: new RedisSessionStore({ url: process.env.REDIS_URL }) });
 * serve(() => createApp({ controllers: [PollController], settings }), { port: 8000, workers: 4 });
 */
export async function serve(app: Listenable | (() => Listenable | Promise<Listenable>), options: ServeOptions): Promise<ServePrimary | ServeWorker> {
  if (cluster.isPrimary) return startPrimary(typeof app === 'function' ? null : app, options);
  // A primary answers this worker's metrics requests (metricsController sums across workers), and
  // speaks for the workers at start-up (Application.listen stays quiet in a served worker).
  servedWorker.active = true;
  const instance = typeof app === 'function' ? await app() : app;
  let server: Server;
  try {
    server = await instance.listen(options.port, options.host);
  } catch (error) {
    // Every worker meets the same error (the primary holds the shared socket): the primary says
    // it once and stops them all. Exit only once the message is on its way.
    const failed: ServeMessage = { type: LISTEN_FAILED, address: failedListenUrl(error, options.host, options.port), code: (error as NodeJS.ErrnoException).code, message: (error as Error).message, ...modeOf(instance) };
    process.send!(failed, () => process.exit(1));
    return new Promise<never>(() => {});
  }
  const listening: ServeMessage = { type: LISTENING, address: listeningUrl(server.address()), ...modeOf(instance) };
  process.send!(listening);
  // The IPC channel to the primary keeps a worker alive after its server closed; let go of it.
  server.on('close', () => cluster.worker?.disconnect());
  return { role: 'worker', server };
}

/**
 * A Worker emits 'error' when the primary's message to it fails: most often `EPIPE` or
 * `ERR_IPC_CHANNEL_CLOSED` because the worker is exiting while node:cluster tells it so
 * (`exitedAfterDisconnect`). Unhandled, that error would crash the primary and every other worker
 * with it. A closing channel is expected and the 'exit' handler does the rest; any other channel
 * failure leaves a worker the primary cannot talk to, so it is killed and replaced.
 */
function onWorkerError(this: Worker, error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE' || error.code === 'ECONNRESET' || error.code === 'ERR_IPC_CHANNEL_CLOSED') return;
  if (!this.isDead()) this.process.kill('SIGKILL');
}

/**
 * A worker's metricsController asks for every worker's metrics; the module that loads prom-client
 * is required only then, so an app without metrics never loads it.
 */
function answerMetrics(worker: Worker, message: MetricsRequestMessage): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('../metrics/cluster-metrics') as typeof import('../metrics/cluster-metrics')).answerMetricsRequest(worker, message);
}

function startPrimary(app: Listenable | null, options: ServeOptions): ServePrimary {
  const count = options.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer (got ${count}).`);
  const shutdownTimeout = options.shutdownTimeout ?? 15_000;
  const live = new Set<Worker>();
  const listened = new Set<Worker>();
  let shuttingDown = false;
  let announced = false;
  let quickDeaths = 0;
  let closed: Promise<void> | null = null;
  let logger: Logger | null = null;

  /**
   * The primary's `reinhardt.server` logger, made on first use: with a factory, the app exists in
   * the workers only, and the first one to report gives the mode of the default logger's lines.
   */
  const log = (mode?: { debug: boolean; logLevel?: LogLevel }): Logger => {
    if (logger === null) {
      const base = options.logger ?? app?.logger ?? defaultLogger({ debug: mode?.debug ?? app?.settings?.debug ?? false, logLevel: mode?.logLevel ?? app?.settings?.logLevel ?? 'info' });
      logger = base.child({ name: SERVER_LOGGER_NAME });
    }
    return logger;
  };

  const onMessage = (worker: Worker, message: unknown): void => {
    if (isMetricsRequest(message)) return answerMetrics(worker, message);
    if (!isServeMessage(message)) return;
    if (message.type === LISTEN_FAILED) {
      if (shuttingDown) return;
      logListenError(log(message), { code: message.code, message: message.message }, message.address);
      void close(null).then(() => process.exit(1));
      return;
    }
    listened.add(worker);
    if (!announced && listened.size >= count) {
      announced = true;
      logListening(log(message), message.address, message.debug, count);
    }
  };

  const fork = (): void => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    live.add(worker);
    worker.on('error', onWorkerError);
    worker.on('message', (message: unknown) => onMessage(worker, message));
    worker.on('exit', (code, signal) => {
      live.delete(worker);
      listened.delete(worker);
      if (shuttingDown) return;
      logWorkerDied(log(), worker.process.pid, code, signal);
      quickDeaths = Date.now() - startedAt < 1000 ? quickDeaths + 1 : 0;
      const delay = quickDeaths === 0 ? 0 : Math.min(100 * 2 ** quickDeaths, 5000);
      setTimeout(() => {
        if (!shuttingDown) fork();
      }, delay).unref();
    });
  };

  /**
   * Stops every worker with SIGTERM (whatever signal the primary got: see serve's comment).
   * `signal`: the one the shutdown is for, whose end is logged; null for a quiet one (`close()`
   * called by the program, or workers that could not listen).
   */
  const close = (signal: NodeJS.Signals | null): Promise<void> => {
    if (closed !== null) return closed;
    shuttingDown = true;
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    const workers = [...live];
    let killed = 0;
    closed = Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => {
              killed++;
              worker.process.kill('SIGKILL');
            }, shutdownTimeout);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill('SIGTERM');
          }),
      ),
    ).then(() => {
      if (signal !== null) logClusterDrainEnd(log(), workers.length, killed, shutdownTimeout);
    });
    return closed;
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (closed === null) logClusterDrainStart(log(), signal, live.size);
    void close(signal).then(() => process.exit(0));
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  for (let i = 0; i < count; i++) fork();
  return { role: 'primary', workers: () => [...live], close: () => close(null) };
}
