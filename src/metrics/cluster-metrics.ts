/**
 * Metrics across `serve()`'s workers, with prom-client's `AggregatorRegistry`: the primary asks
 * every worker for its registries over the cluster IPC channel and sums them (counters and
 * histograms add up; the in-flight gauge too). A scrape reaches one worker, which asks the
 * primary and serves the total. This module loads prom-client: it is required only when a
 * metrics request is made.
 */
import cluster, { type Worker } from 'node:cluster';
import type { AggregatorRegistry } from 'prom-client';
import { METRICS_REQUEST, METRICS_RESPONSE, type MetricsRequestMessage, type MetricsResponseMessage } from './cluster-messages';

let aggregator: AggregatorRegistry<'text/plain; version=0.0.4; charset=utf-8'> | null = null;

/** In the primary: answers one worker's {@link MetricsRequestMessage} with every worker's metrics. */
export function answerMetricsRequest(worker: Worker, message: MetricsRequestMessage): void {
  if (aggregator === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const prom = require('prom-client') as typeof import('prom-client');
    aggregator = new prom.AggregatorRegistry();
  }
  const registry = aggregator;
  const reply = (answer: Omit<MetricsResponseMessage, 'type' | 'id'>): void => {
    if (worker.isConnected()) worker.send({ type: METRICS_RESPONSE, id: message.id, ...answer } satisfies MetricsResponseMessage);
  };
  registry.clusterMetrics().then(
    (text) => reply({ text, contentType: registry.contentType }),
    (error: Error) => reply({ error: error.message }),
  );
}

let nextId = 0;
const pending = new Map<number, { resolve(answer: MetricsResponseMessage): void; timer: NodeJS.Timeout }>();

function onPrimaryMessage(message: unknown): void {
  const answer = message as Partial<MetricsResponseMessage> | null;
  if (answer === null || typeof answer !== 'object' || answer.type !== METRICS_RESPONSE || typeof answer.id !== 'number') return;
  const waiting = pending.get(answer.id);
  if (waiting === undefined) return;
  pending.delete(answer.id);
  clearTimeout(waiting.timer);
  if (pending.size === 0) process.off('message', onPrimaryMessage);
  waiting.resolve(answer as MetricsResponseMessage);
}

/**
 * In a worker: asks the primary for the aggregated metrics. Rejects after `timeoutMs` (the
 * primary gives each worker 5 s, prom-client's default, before failing the whole request).
 */
export function requestClusterMetrics(timeoutMs = 10_000): Promise<MetricsResponseMessage> {
  if (!cluster.isWorker || process.send === undefined) return Promise.reject(new Error('not a cluster worker'));
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      if (pending.size === 0) process.off('message', onPrimaryMessage);
      reject(new Error(`the primary did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    if (pending.size === 0) process.on('message', onPrimaryMessage);
    pending.set(id, { resolve, timer });
    process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequestMessage);
  });
}
