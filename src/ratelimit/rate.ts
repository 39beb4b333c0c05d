import { ImproperlyConfigured } from '../http/errors';

/** A rate: at most `limit` requests per `period` seconds. */
export interface Rate {
  readonly limit: number;
  readonly period: number;
}

const PERIODS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 60 * 60, d: 24 * 60 * 60 };

/** django-ratelimit's `rate_re`, anchored: `5/m`, `100/h`, `10/5m` (ten per five minutes), `3/s`, `3` (per second). */
const RATE = /^(\d+)(?:\/(\d*)([smhd])?)?$/i;

/**
 * Reads a rate as django-ratelimit writes it (`_split_rate`): count, then `/`, an optional
 * multiplier and a unit (s, m, h, d; none is seconds).
 * @throws ImproperlyConfigured naming the rate when it cannot be read or its period is 0.
 * @example parseRate('5/m') // { limit: 5, period: 60 }
 * @example parseRate('100/15m') // { limit: 100, period: 900 }
 */
export function parseRate(rate: string): Rate {
  const match = typeof rate === 'string' ? RATE.exec(rate.trim()) : null;
  if (match === null) throw new ImproperlyConfigured(`Cannot read the rate ${JSON.stringify(rate)}: write it as '5/m' (count/unit, units s, m, h, d).`);
  const limit = Number(match[1]);
  const period = PERIODS[(match[3] ?? 's').toLowerCase()] * (match[2] ? Number(match[2]) : 1);
  if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(period) || period <= 0) {
    throw new ImproperlyConfigured(`The rate ${JSON.stringify(rate)} has no usable period: it must be greater than 0.`);
  }
  return { limit, period };
}
