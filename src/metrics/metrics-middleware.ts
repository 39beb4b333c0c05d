import { performance } from 'node:perf_hooks';
import { inject, injectable } from 'tsyringe';
import type { MiddlewareClass, NextHandler } from '../core/middleware';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { RequestMetrics } from './request-metrics';

/**
 * Counts requests and measures their duration by route pattern and status class, and keeps the
 * in-flight gauge (opt-in: not in `DEFAULT_MIDDLEWARE`, so an app without it pays nothing and never
 * loads prom-client). List it first to time the whole stack. The duration ends when the response
 * object is ready: a streamed body's transfer is not included.
 * @example
 * const app = createApp({
 *   controllers: [PollController, metricsController()],
 *   middleware: [MetricsMiddleware, ...DEFAULT_MIDDLEWARE],
 * });
 * // GET /metrics -> http_requests_total{method="GET",route="/polls/<int:id>/",status="2xx"} 3 ...
 */
@injectable()
export class MetricsMiddleware implements MiddlewareClass {
  constructor(@inject(RequestMetrics) private readonly metrics: RequestMetrics) {}

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    const metrics = this.metrics;
    const start = performance.now();
    metrics.started();
    let status = 500;
    try {
      const response = await next(request);
      status = response.statusCode;
      return response;
    } finally {
      // A layer below that throws (rather than answering) ends as the 500 the app will send.
      metrics.finished(request.method, request.route, status, (performance.now() - start) / 1000);
    }
  }
}
