/**
 * The request metrics of one app, on prom-client (the maintained Prometheus client for Node):
 * a counter and a duration histogram by method, route pattern and status class, and an
 * in-flight gauge. prom-client is loaded here, when the first MetricsMiddleware or
 * metricsController is resolved: an app that never opts in never loads it.
 */
import cluster from 'node:cluster';
import { Lifecycle, scoped } from 'tsyringe';
import { ImproperlyConfigured, ServiceUnavailable } from '../http/errors';
import type { RouteInfo } from '../routing/resolver-match';
import { servedWorker } from './cluster-messages';
import { requestClusterMetrics } from './cluster-metrics';

type PromClient = typeof import('prom-client');
type Registry = import('prom-client').Registry;
type Counter = import('prom-client').Counter<'method' | 'route' | 'status'>;
type Histogram = import('prom-client').Histogram<'method' | 'route' | 'status'>;
type Gauge = import('prom-client').Gauge;

/**
 * The label of every request no route matched (404s, 405s, probes for `/wp-login.php`): labels
 * are route patterns, never raw paths, so random URLs cannot create unbounded series in the
 * registry or in Prometheus. No pattern can equal it (patterns start with `/`).
 */
export const UNMATCHED_ROUTE = '<unmatched>';

/**
 * Methods kept as labels; any other token (a client may send `FOO`) is counted as `other`, for
 * the same reason as {@link UNMATCHED_ROUTE}. The RFC 9110 §9 methods and PATCH (RFC 5789).
 */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

/** Buckets in seconds: prom-client's defaults, which suit web request latencies. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function loadPromClient(): PromClient {
  try {
    // Required here, not at the top of the module, so apps without metrics never load it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('prom-client') as PromClient;
  } catch {
    throw new ImproperlyConfigured('MetricsMiddleware and metricsController() need the prom-client package, which is not installed: run `npm install prom-client`.');
  }
}

/** In a cluster worker, the registries prom-client's AggregatorRegistry collects from. */
const workerRegistries: Registry[] = [];

/** The series one request updates, found once per (method, route, status) and reused. */
interface Series {
  readonly count: { inc(): void };
  readonly duration: { observe(value: number): void };
}

/**
 * Holds the app's metric registry; one per container (the app's), shared by the middleware that
 * records and the controller that serves the text. `registry` is prom-client's: register your own
 * metrics on it and they are served too.
 * @example
 * const metrics = app.container.resolve(RequestMetrics);
 * new (require('prom-client').Counter)({ name: 'polls_votes_total', help: 'Votes cast', registers: [metrics.registry] });
 */
@scoped(Lifecycle.ContainerScoped)
export class RequestMetrics {
  readonly registry: Registry;
  private readonly requests: Counter;
  private readonly durations: Histogram;
  private readonly inFlight: Gauge;
  // Bounded: methods (10), route patterns (the app's routes + 1) and status classes (5).
  private readonly series = new Map<string, Series>();

  constructor() {
    const prom = loadPromClient();
    this.registry = new prom.Registry();
    const labelNames = ['method', 'route', 'status'] as const;
    this.requests = new prom.Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status class.',
      labelNames,
      registers: [this.registry],
    });
    this.durations = new prom.Histogram({
      name: 'http_request_duration_seconds',
      help: 'Seconds from the request reaching the middleware to its response being ready, by method, route pattern and status class.',
      labelNames,
      buckets: BUCKETS,
      registers: [this.registry],
    });
    this.inFlight = new prom.Gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being handled now.', registers: [this.registry] });
    if (cluster.isWorker) {
      // The primary's AggregatorRegistry asks each worker for these. prom-client installs the
      // worker's answering listener when an AggregatorRegistry is made, so one is made here.
      if (workerRegistries.length === 0) new prom.AggregatorRegistry();
      workerRegistries.push(this.registry);
      prom.AggregatorRegistry.setRegistries(workerRegistries);
    }
  }

  /** A request started. */
  started(): void {
    this.inFlight.inc();
  }

  /** A request ended with `status` after `seconds`; `route` is the matched route or null. */
  finished(method: string, route: RouteInfo | null, status: number, seconds: number): void {
    this.inFlight.dec();
    const methodLabel = KNOWN_METHODS.has(method) ? method : 'other';
    const routeLabel = route === null ? UNMATCHED_ROUTE : route.route;
    const statusLabel = STATUS_CLASSES[Math.floor(status / 100) - 1] ?? '5xx';
    const key = `${methodLabel} ${statusLabel} ${routeLabel}`;
    let series = this.series.get(key);
    if (series === undefined) {
      const labels = { method: methodLabel, route: routeLabel, status: statusLabel };
      series = { count: this.requests.labels(labels), duration: this.durations.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  /**
   * The Prometheus text exposition of every metric in the registry; in a worker of `serve()`,
   * every worker's metrics summed (asked of the primary).
   * @throws ServiceUnavailable when the primary could not collect them (a worker did not answer).
   */
  async text(): Promise<string> {
    if (!servedWorker.active) return this.registry.metrics();
    const answer = await requestClusterMetrics().catch((error: Error) => ({ error: error.message, text: undefined }));
    if (answer.text === undefined) throw new ServiceUnavailable(`The workers' metrics could not be aggregated (${answer.error ?? 'no answer'})`);
    return answer.text;
  }

  /** The Content-Type of {@link text} (`text/plain; version=0.0.4; charset=utf-8`). */
  get contentType(): string {
    return this.registry.contentType;
  }
}
