/**
 * The readiness checks every app gets: its SessionStore and each configured cache answer.
 * Their failures are reported with a fixed message; the error itself (a Redis host and port, a
 * connection string) goes to the log only.
 */
import type { Settings } from '../core/settings';
import { cachesFor } from '../cache/cache-handler';
import type { SessionStore } from '../sessions/session-store';
import { HealthCheckError, type HealthCheck } from './health-check';
import type { HealthLogger } from './run-health-checks';

// A key no session can have (session keys are 32 lowercase letters and digits), so the probe
// never touches a real record.
const PROBE_KEY = 'reinhardt-health-check';

/** The session store answers a lookup (`exists`, one round trip for Redis). */
export function sessionStoreCheck(store: SessionStore, logger: HealthLogger): HealthCheck {
  return {
    name: 'sessionStore',
    async run() {
      try {
        await store.exists(PROBE_KEY);
      } catch (error) {
        logger.error({ check: 'sessionStore', err: error }, 'Health check sessionStore: the session store is unreachable');
        throw new HealthCheckError('session store unreachable');
      }
    },
  };
}

/**
 * The cache stores a value and reads it back (django-health-check's cache backend does the same:
 * set, get, compare), for every alias in the `caches` setting.
 */
export function cacheChecks(settings: Readonly<Settings>, logger: HealthLogger): HealthCheck[] {
  const handler = cachesFor(settings);
  return Object.keys(settings.caches).map((alias) => ({
    name: `cache:${alias}`,
    async run() {
      let value: unknown;
      try {
        const cache = handler.get(alias);
        await cache.set(PROBE_KEY, 'ok', 10);
        value = await cache.get(PROBE_KEY);
      } catch (error) {
        logger.error({ check: `cache:${alias}`, err: error }, `Health check cache:${alias}: the cache is unreachable`);
        throw new HealthCheckError('cache unreachable');
      }
      if (value !== 'ok') throw new HealthCheckError('cache returned a different value');
    },
  }));
}
