import { ImproperlyConfigured } from '../http/errors';
import type { CachesSetting } from '../cache/cache-config';

/** The settings this checks (settings.ts calls it, so it does not import Settings back). */
interface RateLimitSettings {
  readonly caches: CachesSetting;
  readonly rateLimitCache: string;
  readonly rateLimitIpMetaKey: string | null;
  readonly rateLimitFailOpen: boolean;
}

/** A META key as Django writes them: `REMOTE_ADDR`, `HTTP_X_REAL_IP`. */
const META_KEY = /^[A-Z][A-Z0-9_]*$/;

/** Checks the rate-limit settings at start-up, naming the one at fault. */
export function checkRateLimitSettings(settings: RateLimitSettings): void {
  const alias = settings.rateLimitCache;
  if (typeof alias !== 'string' || !Object.hasOwn(settings.caches, alias)) {
    throw new ImproperlyConfigured(`The rateLimitCache setting names the cache ${JSON.stringify(alias)}, which the caches setting does not have.`);
  }
  const metaKey = settings.rateLimitIpMetaKey;
  if (metaKey !== null && !(typeof metaKey === 'string' && META_KEY.test(metaKey))) {
    throw new ImproperlyConfigured("The rateLimitIpMetaKey setting must be null or a META key such as 'HTTP_X_REAL_IP'.");
  }
  if (typeof settings.rateLimitFailOpen !== 'boolean') throw new ImproperlyConfigured('The rateLimitFailOpen setting must be true or false.');
}
