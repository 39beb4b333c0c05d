import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { isMetricsRequest, servedWorker } from '../metrics/cluster-messages';

/** What `serve` needs of an app: `Application.listen` (which closes gracefully on SIGTERM). */
export interface Listenable {
  listen(port: number, host?: string): Promise<Server> | Server;
}

export interface ServeOptions {
  port: number;
  host?: string;
  /** Worker processes. Default `os.availableParallelism()`. */
  workers?: number;
  /** Milliseconds workers get to finish after SIGTERM before they are killed. Default 15000. */
  shutdownTimeout?: number;
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

/**
 * Runs the app on `workers` processes sharing one port, with node:cluster (SPEC §11): the primary
 * forks the workers and the operating system spreads connections among them. Each worker runs
 * this same script and listens with `app.listen(port)`.
 *
 * - A worker that dies while the primary is not shutting down is replaced; one that dies within
 *   a second of starting is replaced after a growing delay (up to 5 s), so a crash at start-up
 *   does not become a fork storm.
 * - SIGTERM or SIGINT to the primary is forwarded to every worker, which stops accepting
 *   connections and finishes its in-flight requests; the primary exits when all have exited
 *   (workers still running after `shutdownTimeout` are killed).
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
  if (cluster.isPrimary) return startPrimary(options);
  // A primary answers this worker's metrics requests (metricsController sums across workers).
  servedWorker.active = true;
  const instance = typeof app === 'function' ? await app() : app;
  const server = await instance.listen(options.port, options.host);
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
function onWorkerMessage(this: Worker, message: unknown): void {
  if (!isMetricsRequest(message)) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('../metrics/cluster-metrics') as typeof import('../metrics/cluster-metrics')).answerMetricsRequest(this, message);
}

function startPrimary(options: ServeOptions): ServePrimary {
  const count = options.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`workers must be a positive integer (got ${count}).`);
  const shutdownTimeout = options.shutdownTimeout ?? 15_000;
  const live = new Set<Worker>();
  let shuttingDown = false;
  let quickDeaths = 0;
  let closed: Promise<void> | null = null;

  const fork = (): void => {
    const worker = cluster.fork();
    const startedAt = Date.now();
    live.add(worker);
    worker.on('error', onWorkerError);
    worker.on('message', onWorkerMessage);
    worker.on('exit', () => {
      live.delete(worker);
      if (shuttingDown) return;
      quickDeaths = Date.now() - startedAt < 1000 ? quickDeaths + 1 : 0;
      const delay = quickDeaths === 0 ? 0 : Math.min(100 * 2 ** quickDeaths, 5000);
      setTimeout(() => {
        if (!shuttingDown) fork();
      }, delay).unref();
    });
  };

  const close = (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (closed !== null) return closed;
    shuttingDown = true;
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    const workers = [...live];
    closed = Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const timer = setTimeout(() => worker.process.kill('SIGKILL'), shutdownTimeout);
            worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill(signal);
          }),
      ),
    ).then(() => undefined);
    return closed;
  };

  function onSignal(signal: NodeJS.Signals): void {
    void close(signal).then(() => process.exit(0));
  }
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  for (let i = 0; i < count; i++) fork();
  return { role: 'primary', workers: () => [...live], close: () => close('SIGTERM') };
}
