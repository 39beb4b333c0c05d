import type { MiddlewareClass, NextHandler } from '../core/middleware';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { RateLimiter, type RateLimitOptions } from './rate-limiter';

/**
 * A rate limit on every request that reaches it, as a middleware instance: the same counting and
 * answers as `@RateLimit`, for a whole app or an API. Its default group is 'RateLimitMiddleware',
 * so all routes share one count per client; routes may add their own `@RateLimit` on top.
 * Put it after SessionMiddleware and AuthenticationMiddleware when it counts by 'user'.
 * @example
 * createApp({ controllers, middleware: [...DEFAULT_MIDDLEWARE, new RateLimitMiddleware('300/m', { key: 'user_or_ip' })] });
 */
export class RateLimitMiddleware implements MiddlewareClass {
  readonly limiter: RateLimiter;

  constructor(rate: string, options: RateLimitOptions = {}) {
    this.limiter = new RateLimiter(rate, options, 'RateLimitMiddleware');
  }

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    await this.limiter.check(request);
    return next(request);
  }
}
