import 'reflect-metadata';
import type { RouteGuard } from '../src/core/route-guards';
import { ImproperlyConfigured } from '../src/http/errors';
import { RateLimiter, type RateLimitOptions } from '../src/ratelimit/rate-limiter';
import '../src/ratelimit/rate-limit-checks';
import { RATE_LIMITS } from './metadata-keys';
import { addGuards, prependMetadata, type ClassOrMethodDecorator } from './use';

export type { RateLimitOptions };

/** The methods that change state (django-ratelimit's `UNSAFE`), for `method: RateLimit.UNSAFE`. */
const UNSAFE: readonly string[] = Object.freeze(['DELETE', 'PATCH', 'POST', 'PUT']);

/**
 * Limits how often the route may be called (django-ratelimit's `@ratelimit`): `rate` is
 * `'5/m'` (units s, m, h, d; `'10/5m'` is ten per five minutes), counted per `key` — the client
 * IP by default (from the socket; see the `rateLimitIpMetaKey` setting behind a proxy), `'user'`,
 * `'user_or_ip'`, or a function of the request. The request over the rate is answered 429 with
 * `Retry-After` by the app's `handler429`, before the body is read or the handler runs; with
 * `block: false` the handler runs and sees `request.limited === true`.
 *
 * On a controller class it limits every handler of the class, counted together: one count per
 * key for the whole controller (the group is the class's name unless `group` says otherwise), as
 * django-ratelimit on a class-based view's `dispatch`.
 *
 * Counts live in the `rateLimitCache` cache (or `cache`): memory for one process, Redis for
 * several workers or machines (the app refuses to start a worker with a memory count).
 * @example
 * \@Post('/login/')
 * \@RateLimit('5/m', { key: 'ip', method: 'POST' })
 * login(request: HttpRequest) { ... }
 */
export function RateLimit(rate: string, options: RateLimitOptions = {}): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    const culprit =
      propertyKey === undefined ? (target as Function).name : `${(target as { constructor: Function }).constructor.name}.${String(propertyKey)}`;
    let limiter: RateLimiter;
    try {
      limiter = new RateLimiter(rate, options, culprit);
    } catch (error) {
      throw new ImproperlyConfigured(`@RateLimit on ${culprit}: ${(error as Error).message}`);
    }
    const guard: RouteGuard = (request) => limiter.check(request);
    // Named for `reinhardt routes`, which lists each route's guards.
    Object.defineProperty(guard, 'name', { value: `RateLimit(${rate})` });
    // Prepended, as every guard: stacked guards run top to bottom as written.
    addGuards([guard], target, propertyKey);
    prependMetadata(RATE_LIMITS, [limiter], target, propertyKey);
  }) as ClassOrMethodDecorator;
}
RateLimit.UNSAFE = UNSAFE;

/** The rate limits of a handler (`target` is its prototype): its controller's, then its own, outermost first. */
export function getRateLimits(target: object, propertyKey: string): readonly RateLimiter[] {
  const onClass: readonly RateLimiter[] = Reflect.getMetadata(RATE_LIMITS, (target as { constructor: Function }).constructor) ?? [];
  const onMethod: readonly RateLimiter[] = Reflect.getMetadata(RATE_LIMITS, target, propertyKey) ?? [];
  return onClass.length === 0 ? onMethod : [...onClass, ...onMethod];
}
