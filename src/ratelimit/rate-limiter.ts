import { createHash } from 'node:crypto';
import type { Settings } from '../core/settings';
import { HttpRequest } from '../http/http-request';
import { ImproperlyConfigured } from '../http/errors';
import type { Cache } from '../cache/cache';
import { CacheKeyMissing } from '../cache/cache';
import { cachesFor } from '../cache/cache-handler';
import { clientIp } from './client-ip';
import { parseRate, type Rate } from './rate';
import { Ratelimited } from './ratelimited';

declare module '../http/http-request' {
  interface HttpRequest {
    /**
     * True once a rate limit with `block: false` found the request over its rate
     * (django-ratelimit's `request.limited`); false otherwise.
     */
    limited: boolean;
  }
}

// On the prototype, so a request no limit looked at pays nothing; a limit sets its own property.
Object.defineProperty(HttpRequest.prototype, 'limited', { value: false, writable: true, configurable: true, enumerable: false });

/** What a limit counts by: django-ratelimit's simple keys, or a function of the request. */
export type RateLimitKey = 'ip' | 'user' | 'user_or_ip' | ((request: HttpRequest) => string | Promise<string>);

/** The options of `@RateLimit` and `RateLimitMiddleware` (django-ratelimit's decorator arguments). */
export interface RateLimitOptions {
  /** What to count by. Default 'ip'. */
  key?: RateLimitKey;
  /** Only these methods are counted (e.g. `RateLimit.UNSAFE`); default all. */
  method?: string | readonly string[];
  /** true (default): over the rate, answer 429. false: set `request.limited` and run the handler. */
  block?: boolean;
  /** The cache alias to count in. Default: the `rateLimitCache` setting ('default'). */
  cache?: string;
  /** Limits with the same group share counts. Default: the route (`Controller.method`). */
  group?: string;
}

/** django-ratelimit's `get_usage` answer. */
export interface RateLimitUsage {
  /** Requests counted in this window, this one included. */
  readonly count: number;
  readonly limit: number;
  readonly shouldLimit: boolean;
  /** Seconds until the window ends; -1 when the cache failed. */
  readonly timeLeft: number;
}

/** django-ratelimit keeps counters a little past their window, so a late read never misses. */
const EXPIRATION_FUDGE = 5;
/** Seconds a client refused because the cache failed is told to wait (the period if shorter). */
const FAILURE_RETRY_AFTER = 60;
/** Longer key values (a function's) are hashed, to bound the cache key; an IP never is. */
const LONGEST_PLAIN_VALUE = 200;

/**
 * One rate limit, compiled once (the rate read, the methods upper-cased): counts requests in a
 * fixed window on a cache, as django-ratelimit does: `add(key, 1)` opens the window, then the
 * cache's atomic `incr` counts, so processes sharing a Redis cache share the count exactly.
 * Each counted value's window is offset by a hash of the value, so windows do not all reset
 * at the same second. No timer per hit: the counter expires by the cache's own timeout.
 * @example
 * const limiter = new RateLimiter('5/m', { key: 'ip', method: 'POST' }, 'login');
 * await limiter.check(request); // throws Ratelimited on the 6th POST in the window
 */
export class RateLimiter {
  readonly rate: Rate;
  readonly group: string;
  readonly block: boolean;
  /** The cache alias given, or null for the `rateLimitCache` setting. */
  readonly alias: string | null;
  private readonly key: RateLimitKey;
  private readonly methods: ReadonlySet<string> | null;
  private readonly keyBase: string;
  private settings: Readonly<Settings> | null = null;
  private cache: Cache | null = null;

  constructor(rate: string, options: RateLimitOptions, group: string) {
    this.rate = parseRate(rate);
    this.group = options.group ?? group;
    this.block = options.block ?? true;
    this.alias = options.cache ?? null;
    const key = options.key ?? 'ip';
    if (typeof key !== 'function' && key !== 'ip' && key !== 'user' && key !== 'user_or_ip') {
      throw new ImproperlyConfigured(`Unknown rate limit key ${JSON.stringify(key)}: use 'ip', 'user', 'user_or_ip' or a function of the request.`);
    }
    this.key = key;
    const method = options.method;
    this.methods = method === undefined ? null : new Set((typeof method === 'string' ? [method] : method).map((m) => m.toUpperCase()));
    const methodsPart = this.methods === null ? '' : [...this.methods].sort().join('');
    this.keyBase = `rl:${this.group}:${this.rate.limit}/${this.rate.period}s:${methodsPart}:`;
  }

  /**
   * Counts the request and acts on the answer, as django-ratelimit's decorator: over the rate,
   * `request.limited` becomes true and, with `block`, `Ratelimited` is thrown (the app answers
   * 429 with `Retry-After`). A method the limit does not cover is neither counted nor limited.
   */
  async check(request: HttpRequest): Promise<void> {
    const usage = await this.usage(request);
    if (usage === null || !usage.shouldLimit) return;
    request.limited = true;
    // After a cache failure there is no window: the client is told to wait a period, at most a minute.
    if (this.block) throw new Ratelimited(usage.timeLeft < 0 ? Math.min(this.rate.period, FAILURE_RETRY_AFTER) : Math.max(1, usage.timeLeft));
  }

  /**
   * Counts the request (django-ratelimit's `get_usage(increment=True)`); null when the limit
   * does not apply to it, or the cache failed and `rateLimitFailOpen` is on.
   */
  async usage(request: HttpRequest): Promise<RateLimitUsage | null> {
    if (this.methods !== null && !this.methods.has(request.method)) return null;
    const value = await this.valueOf(request);
    const { limit, period } = this.rate;
    const window = windowEnd(value, period);
    const key = this.keyBase + window + ':' + (value.length > LONGEST_PLAIN_VALUE ? createHash('sha256').update(value).digest('hex') : value);
    let count: number;
    try {
      count = await this.count(this.cacheOf(request), key, period + EXPIRATION_FUDGE);
    } catch (error) {
      // Redis gone, or timed out. django-ratelimit fails closed unless RATELIMIT_FAIL_OPEN.
      const failOpen = request.settings.rateLimitFailOpen;
      request.log.error(
        { name: 'reinhardt.ratelimit', group: this.group, err: error },
        `Rate limit ${this.group} could not count (${failOpen ? 'letting the request through' : 'refusing the request'})`,
      );
      return failOpen ? null : { count: 0, limit: 0, shouldLimit: true, timeLeft: -1 };
    }
    return { count, limit, shouldLimit: count > limit, timeLeft: window - Math.floor(Date.now() / 1000) };
  }

  /** add-then-incr; a counter that expired between the two is opened again. */
  private async count(cache: Cache, key: string, ttl: number): Promise<number> {
    if (await cache.add(key, 1, ttl)) return 1;
    try {
      return await cache.incr(key);
    } catch (error) {
      if (!(error instanceof CacheKeyMissing)) throw error;
      return (await cache.add(key, 1, ttl)) ? 1 : cache.incr(key);
    }
  }

  private valueOf(request: HttpRequest): string | Promise<string> {
    const key = this.key;
    if (key === 'ip') return clientIp(request);
    // django-ratelimit: str(request.user.pk), so every anonymous visitor shares 'None' ('null' here).
    if (key === 'user') return String(request.user.id);
    if (key === 'user_or_ip') return request.user.isAuthenticated ? String(request.user.id) : clientIp(request);
    return checkedValue(key(request), this.group);
  }

  /** The cache of the request's app, remembered per app. */
  private cacheOf(request: HttpRequest): Cache {
    if (request.settings !== this.settings || this.cache === null) {
      this.cache = cachesFor(request.settings).get(this.alias ?? request.settings.rateLimitCache);
      this.settings = request.settings;
    }
    return this.cache;
  }
}

async function checkedValue(value: string | Promise<string>, group: string): Promise<string> {
  const resolved = await value;
  if (typeof resolved !== 'string') throw new TypeError(`The key function of rate limit ${group} returned ${typeof resolved}, not a string.`);
  return resolved;
}

/**
 * The end of the current window for `value` (django-ratelimit's `_get_window`): windows are
 * `period` long, shifted by a hash of the value so that they do not all end together.
 */
export function windowEnd(value: string, period: number, now = Date.now()): number {
  const ts = Math.floor(now / 1000);
  if (period === 1) return ts;
  const end = ts - (ts % period) + (fnv1a(value) % period);
  return end < ts ? end + period : end;
}

/** FNV-1a, 32 bits: a spread for window offsets (django-ratelimit uses crc32), not security. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
