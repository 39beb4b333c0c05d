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

/**
 * Resolves once `client` is ready: at once when it is; after the first connection when it has
 * not connected yet (commands are not queued, so one sent while it connects would fail); and
 * rejects with `unavailable()` at once while Redis is down and the client reconnects, rather than
 * holding the request.
 * @example await whenRedisReady(client, () => new ServiceUnavailable('Cache unavailable'));
 */
export async function whenRedisReady(client: Redis, unavailable: () => Error): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    await client.connect().catch(() => undefined);
    if ((client.status as string) === 'ready') return;
  }
  if (client.status !== 'connecting' && client.status !== 'connect') throw unavailable();
  await new Promise<void>((resolve, reject) => {
    const settle = (error: Error | null): void => {
      client.off('ready', onReady);
      client.off('error', onFailure);
      client.off('end', onFailure);
      if (error === null) resolve();
      else reject(unavailable());
    };
    const onReady = (): void => settle(null);
    const onFailure = (error?: Error): void => settle(error ?? new Error('connection ended'));
    client.once('ready', onReady);
    client.once('error', onFailure);
    client.once('end', onFailure);
  });
}
