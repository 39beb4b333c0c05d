import { ImproperlyConfigured, parseRate } from '../../src';
import { windowEnd } from '../../src/ratelimit/rate-limiter';

// django-ratelimit's _split_rate and _get_window (django_ratelimit/core.py).
describe('parseRate', () => {
  test.each([
    ['5/m', 5, 60],
    ['100/h', 100, 3600],
    ['3/s', 3, 1],
    ['2/d', 2, 86400],
    ['10/5m', 10, 300],
    ['7', 7, 1],
    ['4/M', 4, 60],
    ['0/m', 0, 60],
  ])('%s is %i per %i seconds', (rate, limit, period) => {
    expect(parseRate(rate)).toEqual({ limit, period });
  });

  test.each(['', 'm', '5/x', '5/m/', '-1/m', '5 per minute', '5/0m', '1e3/m'])('%j is refused, naming it', (rate) => {
    expect(() => parseRate(rate)).toThrow(ImproperlyConfigured);
    expect(() => parseRate(rate)).toThrow(JSON.stringify(rate));
  });
});

describe('windowEnd', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 30, 500);
  const ts = Math.floor(now / 1000);

  test('is within the next period, and a per-second rate ends now', () => {
    for (const value of ['127.0.0.1', '10.0.0.1', 'alice', '']) {
      const end = windowEnd(value, 60, now);
      expect(end).toBeGreaterThanOrEqual(ts);
      expect(end).toBeLessThan(ts + 60);
    }
    expect(windowEnd('anything', 1, now)).toBe(ts);
  });

  test('is the same for one value all through its window, then moves one period on', () => {
    const end = windowEnd('127.0.0.1', 60, now);
    expect(windowEnd('127.0.0.1', 60, (end - 59) * 1000)).toBe(end);
    expect(windowEnd('127.0.0.1', 60, end * 1000)).toBe(end);
    expect(windowEnd('127.0.0.1', 60, (end + 1) * 1000)).toBe(end + 60);
  });

  test('is offset per value, so windows do not all end together', () => {
    const ends = new Set(Array.from({ length: 50 }, (_, i) => windowEnd(`10.0.0.${i}`, 3600, now)));
    expect(ends.size).toBeGreaterThan(40);
  });
});
