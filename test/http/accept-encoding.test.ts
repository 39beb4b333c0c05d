/**
 * selectEncoding and EncodingNegotiator: RFC 9110 §12.5.3 Accept-Encoding, weighed by q-values
 * (§12.4.2), ties broken by the server's order; and an attacker's header (thousands of members,
 * junk parameters) costs time linear in its length.
 */
import { EncodingNegotiator, selectEncoding, type ContentCoding } from '../../src/http/accept-encoding';

const ALL: readonly ContentCoding[] = ['br', 'zstd', 'gzip'];

test.each([
  // Browsers' own headers.
  ['gzip, deflate, br, zstd', 'br'], // Chromium 123+
  ['gzip, deflate, br', 'br'], // Firefox, Safari
  ['gzip, deflate', 'gzip'],
  // q-values decide; equal ones go to the server's order.
  ['gzip;q=1.0, br;q=0.9', 'gzip'],
  ['br;q=0.5, gzip', 'gzip'],
  ['zstd;q=0.9, br;q=0.8, gzip;q=0.1', 'zstd'],
  ['gzip, zstd', 'zstd'],
  ['gzip;q=0.001', 'gzip'],
  // Names are case-insensitive; x-gzip is gzip (§8.4.1.3); whitespace around members and parameters.
  ['  GZip ;  Q=0.5 ', 'gzip'],
  ['x-gzip', 'gzip'],
  // `*` stands for every coding not named.
  ['*', 'br'],
  ['br;q=0, *', 'zstd'],
  ['*;q=0.1, gzip', 'gzip'],
  // identity above every coding: sent as it is.
  ['gzip;q=0.5, identity', null],
  ['identity;q=0.5, gzip;q=0.5', 'gzip'],
  ['*;q=0.9, gzip;q=0.5', 'br'],
  // Not acceptable: q=0, unknown codings, nothing.
  ['gzip;q=0', null],
  ['gzip;q=0.000', null],
  ['*;q=0', null],
  ['deflate, compress', null],
  ['', null],
  [',,,', null],
  // Invalid q-values make their member invalid, not weight 1.
  ['gzip;q=1.5', null],
  ['gzip;q=0.5555', null],
  ['gzip;q=-1', null],
  ['gzip;q=', null],
  ['br;q=abc, gzip', 'gzip'],
  // A coding named twice keeps its first weight.
  ['gzip;q=0, gzip', null],
  // Other parameters are ignored.
  ['gzip;level=9;q=0.4, br;q=0.3', 'gzip'],
] as const)('%j -> %s', (header, expected) => {
  expect(selectEncoding(header, ALL)).toBe(expected);
});

test('no header: nothing (Django compresses only when gzip is named)', () => {
  expect(selectEncoding(undefined, ALL)).toBeNull();
});

test('only the codings offered are chosen, in the order offered', () => {
  expect(selectEncoding('br, gzip', ['gzip'])).toBe('gzip');
  expect(selectEncoding('br, gzip', ['gzip', 'br'])).toBe('gzip');
  expect(selectEncoding('br', ['gzip'])).toBeNull();
});

test('EncodingNegotiator remembers short headers and answers as selectEncoding', () => {
  const negotiator = new EncodingNegotiator(['br', 'gzip']);
  for (const header of ['gzip, deflate, br', 'gzip;q=0', 'x'.repeat(300) + ', gzip']) {
    expect(negotiator.select(header)).toBe(selectEncoding(header, ['br', 'gzip']));
    expect(negotiator.select(header)).toBe(selectEncoding(header, ['br', 'gzip']));
  }
  expect(negotiator.select(undefined)).toBeNull();
  // A client cycling through made-up headers: the memory stays bounded.
  for (let i = 0; i < 1000; i++) expect(negotiator.select(`gzip;q=0.${i % 1000}, br;x=${i}`)).toBe('br');
  expect((negotiator as unknown as { cache: Map<string, unknown> }).cache.size).toBeLessThanOrEqual(128);
});

/**
 * Milliseconds per selection over `header`, `runs` at a time, best of five rounds (a GC pause or
 * another process only ever adds time). The short header is run ten times as often as the long
 * one, so both measurements last about as long and the machine's noise weighs alike on each.
 */
function timeSelect(header: string, runs: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) selectEncoding(header, ALL);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / runs);
  }
  return best;
}

test.each([
  ['many members', (n: number) => 'deflate;q=0.5, '.repeat(n) + 'gzip'],
  ['one member with many parameters', (n: number) => 'gzip' + ';a=b'.repeat(n)],
  ['one long name', (n: number) => 'g'.repeat(15 * n) + ', gzip'],
  ['many empty members', (n: number) => ','.repeat(15 * n) + 'gzip'],
])('an attacker header with %s costs time linear in its length', (_name, build) => {
  // Sizes that stay in the CPU's caches (a 150 KB header measured 31x for a linear pass: memory,
  // not the algorithm); a quadratic parse still shows its 100x at these lengths.
  const small = build(200);
  const large = build(2_000);
  expect(selectEncoding(large, ['gzip'])).not.toBe(undefined);
  const ratio = timeSelect(large, 50) / timeSelect(small, 500);
  // 10x the length: about 10x the time when linear, 100x when quadratic.
  expect(ratio).toBeLessThan(30);
});
