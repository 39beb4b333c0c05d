/**
 * The ioredis client that `RedisSessionStore` and `RedisCache` make from a URL. While Redis is down
 * a command fails at once instead of queueing (`enableOfflineQueue: false`, one retry, 2 s
 * timeouts), so a request answers (503, or the rate limiter's 429) instead of hanging; the client
 * keeps reconnecting in the background (ioredis's default strategy) and works again when Redis is
 * back. ioredis is required only here, when a client is made: about 18 MB of RSS that an app
 * without Redis never pays.
 */
import type { Redis, RedisOptions } from 'ioredis';

const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  connectTimeout: 2000,
  commandTimeout: 2000,
};

/**
 * A fail-fast client for `url`; `options` override the defaults above. `onLink` hears the last
 * connection error's message, and null once the client is ready again (for the 503's detail);
 * listening also stops ioredis from printing every failed reconnection.
 * @example const client = makeFailFastRedis('redis://127.0.0.1:6379/0', {}, (error) => (lastError = error));
 */
export function makeFailFastRedis(url: string, options: RedisOptions | undefined, onLink: (error: string | null) => void): Redis {
  const IoRedis = (require('ioredis') as typeof import('ioredis')).default;
  const client = new IoRedis(url, { ...FAIL_FAST, ...options });
  client.on('error', (error: Error) => onLink(error.message));
  client.on('ready', () => onLink(null));
  return client;
}
