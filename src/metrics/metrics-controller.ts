import { inject } from 'tsyringe';
import { NeverCache } from '../../decorators/cache';
import { Controller } from '../../decorators/controller';
import { ApiExclude } from '../../decorators/openapi';
import { Get } from '../../decorators/route';
import { HttpResponse } from '../http/http-response';
import { RequestMetrics } from './request-metrics';

/** Options of {@link metricsController}. */
export interface MetricsControllerOptions {
  /** The path of the Prometheus text (default `/metrics`). */
  path?: string;
}

/**
 * A controller serving the app's metrics as Prometheus text at `/metrics` (opt-in: add it to the
 * controllers, with `MetricsMiddleware` in the middleware to record requests). Never cached, left
 * out of the OpenAPI document. The text names your routes: serve it on an internal network or put
 * a guard on it (`@UseGuards` on a subclass, or a proxy rule).
 * @example
 * const app = createApp({
 *   controllers: [PollController, metricsController({ path: '/internal/metrics' })],
 *   middleware: [MetricsMiddleware, ...DEFAULT_MIDDLEWARE],
 * });
 */
export function metricsController(options: MetricsControllerOptions = {}): new (metrics: RequestMetrics) => object {
  @Controller()
  @ApiExclude()
  class MetricsController {
    constructor(@inject(RequestMetrics) private readonly metrics: RequestMetrics) {}

    @Get(options.path ?? '/metrics', { name: 'metrics' })
    @NeverCache()
    async metricsText(): Promise<HttpResponse> {
      return new HttpResponse(await this.metrics.text(), { contentType: this.metrics.contentType });
    }
  }
  return MetricsController;
}
