/**
 * Content-coding negotiation: which of the codings a server can produce a request's
 * `Accept-Encoding` prefers (RFC 9110 §12.5.3), the way Hono's `selectEncoding` and the
 * `negotiator` package weigh q-values, with the server's own order breaking ties.
 */

/** The content codings Reinhardt can compress with (zstd only where node:zlib has it). */
export type ContentCoding = 'br' | 'zstd' | 'gzip';

/** Weights of one header: each coding named in it, `*`, and `identity`; -1 where absent. */
interface Weights {
  br: number;
  zstd: number;
  gzip: number;
  star: number;
  identity: number;
}

/**
 * RFC 9110 §12.4.2: `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`. Anything
 * else makes the member invalid, and it is ignored (as `negotiator` ignores a member it cannot
 * parse) rather than read as 1.
 */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** The weight of one member's parameters: its `q`, 1 without one, -1 when the q is invalid. */
function weightOf(member: string, semicolon: number): number {
  if (semicolon === -1) return 1;
  let weight = 1;
  for (const parameter of member.slice(semicolon + 1).split(';')) {
    const equals = parameter.indexOf('=');
    if (equals === -1) continue;
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'q') continue;
    const value = parameter.slice(equals + 1).trim();
    if (!QVALUE.test(value)) return -1;
    weight = Number(value);
  }
  return weight;
}

/**
 * Reads every member of the header once, left to right: linear in its length whatever it
 * holds (no regular expression runs over the whole header). A coding named twice keeps its
 * first weight. `x-gzip` is `gzip` (RFC 9110 §8.4.1.3).
 */
function parseWeights(header: string): Weights {
  const weights: Weights = { br: -1, zstd: -1, gzip: -1, star: -1, identity: -1 };
  for (const member of header.split(',')) {
    const semicolon = member.indexOf(';');
    const name = (semicolon === -1 ? member : member.slice(0, semicolon)).trim().toLowerCase();
    let key: keyof Weights;
    if (name === 'gzip' || name === 'x-gzip') key = 'gzip';
    else if (name === 'br' || name === 'zstd' || name === 'identity') key = name;
    else if (name === '*') key = 'star';
    else continue;
    if (weights[key] !== -1) continue;
    const weight = weightOf(member, semicolon);
    if (weight !== -1) weights[key] = weight;
  }
  return weights;
}

/**
 * The coding to answer with, from `available` (the server's preference order), or null for
 * none (send the body as it is):
 *
 * - no header: null. RFC 9110 allows any coding then, but a client that sends none (curl
 *   without `--compressed`, many scripts) would not decode it; Django's GZipMiddleware
 *   compresses only when `gzip` is named.
 * - each coding weighs its own q, else the `*` member's q, else 0 (not named: not asked for);
 *   `q=0` means "not acceptable" (§12.4.2). The heaviest wins; among equals, the one first in
 *   `available` (so `gzip, br` gives br when br comes first there).
 * - `identity` weighs its own q, else `*`'s; a client that weighs it above every coding gets the
 *   body as it is. Not named at all, it is only the fallback, never preferred (`gzip;q=0.5`
 *   still means "gzip, please"; `negotiator` gives it the lowest q named, to the same effect).
 * - nothing acceptable, `identity;q=0` included: null. §12.5.3: the server "SHOULD send a
 *   response without any content coding" when it has none the client accepts.
 *
 * @example
 * selectEncoding('gzip, deflate, br, zstd', ['br', 'gzip']) // 'br'
 * selectEncoding('br;q=0.5, gzip', ['br', 'gzip'])           // 'gzip'
 * selectEncoding('*;q=0, identity', ['br', 'gzip'])           // null
 */
export function selectEncoding(header: string | undefined, available: readonly ContentCoding[]): ContentCoding | null {
  if (header === undefined) return null;
  const weights = parseWeights(header);
  let best: ContentCoding | null = null;
  let bestWeight = 0;
  for (const coding of available) {
    const own = weights[coding];
    const weight = own !== -1 ? own : weights.star !== -1 ? weights.star : 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  if (best === null) return null;
  const identity = weights.identity !== -1 ? weights.identity : weights.star;
  return identity > bestWeight ? null : best;
}

/** Headers up to this length are remembered; longer ones are parsed each time (and are rare). */
const CACHEABLE_LENGTH = 256;
const CACHE_SIZE = 128;

/**
 * `selectEncoding` for one list of codings, remembering its answer per header value: browsers
 * send a handful of distinct values, so a request costs one Map lookup. Bounded in entries and
 * in key length, so a client cycling through made-up headers costs memory once and no more.
 *
 * @example
 * const negotiate = new EncodingNegotiator(['br', 'gzip']);
 * negotiate.select(request.req.headers['accept-encoding']) // 'br'
 */
export class EncodingNegotiator {
  private readonly cache = new Map<string, ContentCoding | null>();

  constructor(readonly available: readonly ContentCoding[]) {}

  select(header: string | undefined): ContentCoding | null {
    if (header === undefined) return null;
    const known = this.cache.get(header);
    if (known !== undefined) return known;
    const coding = selectEncoding(header, this.available);
    if (header.length <= CACHEABLE_LENGTH) {
      if (this.cache.size >= CACHE_SIZE) this.cache.clear();
      this.cache.set(header, coding);
    }
    return coding;
  }
}
