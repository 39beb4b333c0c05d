/**
 * Content-Type and Accept parsing, ported from Django: `parse_header_parameters`
 * (django/utils/http.py) and `MediaType` with the content negotiation of `HttpRequest`
 * (`accepted_types`, `accepted_type`, `accepts`, `get_preferred_type`, django/http/request.py, 5.2).
 */
import { TextDecoder } from 'node:util';
import { BadRequest } from './errors';
import { unquoteInCharset } from './query-dict';

/** Django's MAX_HEADER_LENGTH: longer header values are refused rather than parsed. */
export const MAX_HEADER_LENGTH = 10_000;

/**
 * Split a `Content-Type`-like header into its lower-cased main value and its parameters
 * (names lower-cased, quoted values unquoted, RFC 2231 `name*=charset'lang'value` decoded).
 * Parameters live in a null-prototype object so a `__proto__` parameter is only data.
 *
 * @throws BadRequest when the value is longer than `maxLength` (Django raises ValueError).
 * @example
 * parseHeaderParameters('text/html; charset="utf-8"') // ['text/html', { charset: 'utf-8' }]
 */
export function parseHeaderParameters(
  line: string,
  maxLength: number | null = MAX_HEADER_LENGTH,
): [string, Record<string, string>] {
  if (maxLength !== null && line.length > maxLength) {
    throw new BadRequest('Unable to parse header parameters (value too long).');
  }
  const params: Record<string, string> = Object.create(null);
  if (line.indexOf(';') === -1) return [line.trim().toLowerCase(), params];
  const parts = splitParams(line);
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i];
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    let name = part.slice(0, eq).trim().toLowerCase();
    let hasEncoding = false;
    if (name.endsWith('*')) {
      // RFC 2231 §4: the charset and language ride in the value, e.g. filename*=UTF-8''a%20b.txt
      name = name.slice(0, -1);
      hasEncoding = countChar(part, "'") === 2;
    }
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
      value = value.slice(1, -1).replace(/\\\\/g, '\\').replace(/\\"/g, '"');
    }
    if (hasEncoding) {
      const [charset, , encoded] = value.split("'");
      // Python's `unquote(value, encoding)`: a charset in Python's spelling (latin-1, KOI8-R) too.
      value = unquoteInCharset(encoded ?? '', charset || 'utf-8') ?? percentDecode(encoded ?? '', charset || 'utf-8');
    }
    params[name] = value;
  }
  return [parts[0].toLowerCase(), params];
}

/**
 * Django's `_parseparam`: split on `;` except inside double quotes, where a `"` preceded by a
 * backslash does not close them. Django decides for each `;` by counting the quotes between the
 * start of the parameter and it (`s.count('"', 0, end) - s.count('\\"', 0, end)`), which is
 * quadratic in a long quoted value full of `;` (CPython gh-136063, the same code in
 * `email.message._parseparam`). One pass that keeps the parity of the unescaped quotes seen since
 * the start of the parameter gives the same parts in linear time.
 */
function splitParams(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  // Both searches only move forward, so the line is read once; indexOf keeps the common
  // `text/html; charset=utf-8` as cheap as it was.
  let quote = line.indexOf('"');
  for (let semicolon = line.indexOf(';'); semicolon !== -1; semicolon = line.indexOf(';', semicolon + 1)) {
    for (; quote !== -1 && quote < semicolon; quote = line.indexOf('"', quote + 1)) {
      // Django counts every `\"` as escaped, even after an escaped backslash (`\\"`).
      if (line.charCodeAt(quote - 1) !== 0x5c /* \ */) quoted = !quoted;
    }
    if (quoted) continue;
    parts.push(line.slice(start, semicolon).trim());
    start = semicolon + 1;
  }
  parts.push(line.slice(start).trim());
  return parts;
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/** Python's `urllib.parse.unquote(value, encoding)`: escapes decode as bytes of `charset`; bad bytes become U+FFFD. */
function percentDecode(value: string, charset: string): string {
  if (!value.includes('%')) return value;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const bytes: number[] = [];
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const hex = value.charCodeAt(i) === 0x25 ? value.slice(i + 1, i + 3) : '';
    if (hex.length === 2 && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (bytes.length) out += decoder.decode(Uint8Array.from(bytes.splice(0)));
    out += value[i];
  }
  if (bytes.length) out += decoder.decode(Uint8Array.from(bytes));
  return out;
}

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * One media range of an `Accept` header, or a media type to test against one (Django's MediaType).
 *
 * @example
 * new MediaType('text/*;q=0.5').quality // 0.5
 * new MediaType('application/json').match('*\/*') // true
 */
export class MediaType {
  readonly mainType: string;
  readonly subType: string;
  readonly params: Record<string, string>;
  /** The parameters other than `q`: they narrow the range (`text/html; level=1`). */
  readonly rangeParams: Record<string, string>;
  /** `q` rounded to 3 places; missing, unparsable or outside 0–1 counts as 1 (RFC 9110 §12.4.2). */
  readonly quality: number;

  constructor(raw: string) {
    const [fullType, params] = parseHeaderParameters(raw || '');
    const slash = fullType.indexOf('/');
    this.mainType = slash < 0 ? fullType : fullType.slice(0, slash);
    this.subType = slash < 0 ? '' : fullType.slice(slash + 1);
    this.params = params;
    const range: Record<string, string> = Object.create(null);
    for (const key of Object.keys(params)) if (key !== 'q') range[key] = params[key];
    this.rangeParams = range;
    this.quality = parseQuality(params.q);
  }

  /** 0 for `*\/*`, 1 for `type/*`, 2 for `type/sub`, 3 for `type/sub` with parameters. */
  get specificity(): number {
    if (this.mainType === '*') return 0;
    if (this.subType === '*') return 1;
    return Object.keys(this.rangeParams).length === 0 ? 2 : 3;
  }

  /**
   * Does this media type fall within `other` (a range from an Accept header)? Wildcards match
   * either way; parameters must be identical when both sides have some, and a range with
   * parameters does not match a type without them.
   */
  match(other: MediaType | string | null | undefined): boolean {
    if (!other) return false;
    const that = other instanceof MediaType ? other : new MediaType(other);
    if (!this.mainType || !this.subType || !that.mainType || !that.subType) return false;
    if (this.mainType !== that.mainType && this.mainType !== '*' && that.mainType !== '*') return false;
    if (this.subType !== that.subType && this.subType !== '*' && that.subType !== '*') return false;
    const mine = Object.keys(this.rangeParams);
    const theirs = Object.keys(that.rangeParams);
    if ((mine.length > 0) === (theirs.length > 0)) {
      return mine.length === theirs.length && mine.every((key) => that.rangeParams[key] === this.rangeParams[key]);
    }
    return mine.length > 0;
  }

  toString(): string {
    let text = this.subType ? `${this.mainType}/${this.subType}` : this.mainType;
    for (const key of Object.keys(this.params)) text += `; ${key}=${this.params[key]}`;
    return text;
  }
}

function parseQuality(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const text = raw.trim();
  if (!DECIMAL_RE.test(text)) return 1;
  const quality = Number(text);
  if (quality < 0 || quality > 1) return 1;
  return Math.round(quality * 1000) / 1000;
}

/**
 * The media ranges of an `Accept` header, most preferred first (by quality, then specificity;
 * ties keep header order). Ranges with `q=0` are left out: they are refusals.
 *
 * @example parseAccept('text/html;q=0.9, application/json')[0].toString() // 'application/json'
 */
export function parseAccept(header: string): MediaType[] {
  const types: MediaType[] = [];
  for (const token of header.split(',')) {
    if (!token.trim()) continue;
    const type = new MediaType(token);
    if (type.quality !== 0) types.push(type);
  }
  return types.sort((a, b) => b.quality - a.quality || b.specificity - a.specificity);
}

/**
 * The accepted range that best covers `mediaType`: the most specific one (then highest quality),
 * as Django's `accepted_type`. `acceptedTypes` is the output of {@link parseAccept}.
 */
export function acceptedType(acceptedTypes: readonly MediaType[], mediaType: string): MediaType | null {
  const wanted = new MediaType(mediaType);
  const byPrecedence = acceptedTypes
    .slice()
    .sort((a, b) => b.specificity - a.specificity || b.quality - a.quality);
  for (const accepted of byPrecedence) if (wanted.match(accepted)) return accepted;
  return null;
}

/**
 * Of `mediaTypes`, the one the client prefers (Django 5.2's `get_preferred_type`): each is paired
 * with the accepted range that covers it best, and the pair whose range ranks highest in the
 * Accept header wins; the first offered wins a tie. null when none is acceptable.
 *
 * @example getPreferredType(parseAccept('text/html, application/json;q=0.8'), ['application/json', 'text/html']) // 'text/html'
 */
export function getPreferredType(acceptedTypes: readonly MediaType[], mediaTypes: readonly string[]): string | null {
  if (mediaTypes.length === 0 || acceptedTypes.length === 0) return null;
  let best: string | null = null;
  let bestRank = Infinity;
  for (const mediaType of mediaTypes) {
    const accepted = acceptedType(acceptedTypes, mediaType);
    if (accepted === null) continue;
    const rank = acceptedTypes.indexOf(accepted);
    if (rank < bestRank) {
      best = mediaType;
      bestRank = rank;
    }
  }
  return best;
}
