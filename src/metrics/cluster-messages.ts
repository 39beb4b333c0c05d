/**
 * The messages a `serve()` worker and its primary exchange to aggregate metrics, and the flag
 * `serve()` sets in a worker it forked. Dependency-free on purpose: `serve()` imports it, and an
 * app without metrics must not load prom-client through it.
 */

/** A worker asks the primary for every worker's metrics, aggregated. */
export const METRICS_REQUEST = 'reinhardt:metrics-request';
/** The primary's answer: the Prometheus text, or why it could not be made. */
export const METRICS_RESPONSE = 'reinhardt:metrics-response';

export interface MetricsRequestMessage {
  readonly type: typeof METRICS_REQUEST;
  readonly id: number;
}

export interface MetricsResponseMessage {
  readonly type: typeof METRICS_RESPONSE;
  readonly id: number;
  readonly text?: string;
  readonly contentType?: string;
  readonly error?: string;
}

/** Whether `message` is a worker's request for the aggregated metrics. */
export function isMetricsRequest(message: unknown): message is MetricsRequestMessage {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_REQUEST;
}

/**
 * Set by `serve()` in each worker it runs: only then is a primary listening for
 * {@link METRICS_REQUEST} (a cluster the app forked itself has no such primary).
 */
export const servedWorker = { active: false };
