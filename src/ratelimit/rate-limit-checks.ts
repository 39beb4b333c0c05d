/**
 * Start-up checks of the rate limits (django-ratelimit's checks.py: E003 refuses a cache backend
 * that is not shared or not atomic). Registered when `@RateLimit` is first imported.
 */
import cluster from 'node:cluster';
import { getControllerMetadata } from '../../decorators/controller';
import { RATE_LIMITS } from '../../decorators/metadata-keys';
import { getRouteMetadata } from '../../decorators/route';
import { checkError, type CheckMessage } from '../checks/check-message';
import { registerCheck, type CheckTarget } from '../checks/check-registry';
import type { RateLimiter } from './rate-limiter';
import { RateLimitMiddleware } from './rate-limit-middleware';

/** Every rate limit the app declares, with where it is declared. */
function declaredLimits(target: CheckTarget): { limiter: RateLimiter; culprit: string }[] {
  const found: { limiter: RateLimiter; culprit: string }[] = [];
  for (const controller of target.controllers) {
    if (getControllerMetadata(controller) === undefined) continue;
    const onClass: readonly RateLimiter[] = Reflect.getMetadata(RATE_LIMITS, controller) ?? [];
    for (const limiter of onClass) found.push({ limiter, culprit: `@RateLimit on ${controller.name}` });
    for (const spec of getRouteMetadata(controller)) {
      const limiters: readonly RateLimiter[] = Reflect.getMetadata(RATE_LIMITS, controller.prototype, spec.propertyKey) ?? [];
      for (const limiter of limiters) found.push({ limiter, culprit: `@RateLimit on ${controller.name}.${spec.propertyKey}` });
    }
  }
  for (const middleware of target.middleware) {
    if (middleware instanceof RateLimitMiddleware) found.push({ limiter: middleware.limiter, culprit: 'RateLimitMiddleware' });
  }
  return found;
}

/**
 * ratelimit.E001: the cache a limit counts in must exist. ratelimit.E003: in a `serve()` worker,
 * it must be shared — each worker counting in its own memory would let `workers` times the rate
 * through, and a different count on every connection.
 */
export function checkRateLimitCaches(target: CheckTarget, isWorker: boolean = cluster.isWorker): CheckMessage[] {
  const found: CheckMessage[] = [];
  const caches = target.settings.caches;
  for (const { limiter, culprit } of declaredLimits(target)) {
    const alias = limiter.alias ?? target.settings.rateLimitCache;
    const config = Object.hasOwn(caches, alias) ? caches[alias] : undefined;
    if (config === undefined) {
      found.push(checkError('ratelimit.E001', `${culprit} counts in the cache '${alias}', which the caches setting does not have.`, `Add '${alias}' to the caches setting, or name one it has.`));
    } else if (isWorker && config.backend === 'memory') {
      found.push(
        checkError(
          'ratelimit.E003',
          `${culprit} counts in the cache '${alias}', which is in this process's memory, but the app runs on several workers: each would count apart.`,
          `Count in a cache all workers share: caches: { ${alias}: { backend: 'redis', location: process.env.REDIS_URL } }.`,
        ),
      );
    }
  }
  return found;
}

registerCheck(checkRateLimitCaches);
