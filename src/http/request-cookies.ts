/**
 * `request.COOKIES`: Django's lenient `Cookie:` header parsing (django/http/cookie.py,
 * `parse_cookie`) on top of the `cookie` package's parser.
 *
 * Rules, each held by test/http/request-cookies.test.ts:
 * - pairs are split on `;`, then at the first `=`; names and values are stripped of spaces/tabs;
 * - a chunk without `=` is a value with an empty name (Mozilla bug 169091, as Django);
 * - a chunk with neither name nor value (`;;`, `=`) is skipped;
 * - a repeated name keeps its first value: browsers send the cookie with the most specific
 *   path first (RFC 6265 §5.4), so the first is the one meant for this page. (Django's dict
 *   keeps the last; the SPEC chose RFC order.)
 * - a double-quoted value is unquoted as Python's `http.cookies` does (`"a\073b"` -> `a;b`),
 *   which is how Django's `set_cookie` quotes special characters;
 * - any other value is percent-decoded (the `cookie` package's decode, as `cookie.serialize`
 *   encodes), a malformed escape leaving the value as sent. Django does not percent-decode; we
 *   do so that values set with `setCookie` round-trip.
 * Where `cookie.parse` differs from Django: it skips chunks without `=` and keeps `=` (empty
 * name and value); a small second pass restores Django's rule for the empty name only when
 * such a chunk is present. Python's `strip()` also strips \f and \v, `cookie` strips only spaces
 * and tabs; neither can appear in a header Node accepts unmodified, so we keep `cookie`'s.
 */
import { parse } from 'cookie';

const PARSE_OPTIONS = { decode: decodeCookieValue };

/**
 * Parse a `Cookie:` header into a null-prototype object of name -> value.
 *
 * @example parseCookieHeader('sessionid=abc; theme=dark') // { sessionid: 'abc', theme: 'dark' }
 */
export function parseCookieHeader(header: string): Record<string, string> {
  const cookies = parse(header, PARSE_OPTIONS) as Record<string, string>;
  if (cookies[''] !== undefined || hasNamelessChunk(header)) applyEmptyName(header, cookies);
  return cookies;
}

/** Python's `http.cookies._unquote` for quoted values, else the `cookie` package's percent-decoding. */
export function decodeCookieValue(value: string): string {
  const last = value.length - 1;
  if (last > 0 && value.charCodeAt(0) === 0x22 && value.charCodeAt(last) === 0x22) {
    return value.slice(1, last).replace(/\\(?:([0-3][0-7][0-7])|(.))/gs, unquoteEscape);
  }
  if (value.indexOf('%') === -1) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function unquoteEscape(_match: string, octal: string | undefined, char: string | undefined): string {
  return octal !== undefined ? String.fromCharCode(parseInt(octal, 8)) : (char as string);
}

/** Is there a `;`-separated chunk with text but no `=`? (cheap: two indexOf per chunk) */
function hasNamelessChunk(header: string): boolean {
  let start = 0;
  for (;;) {
    const semi = header.indexOf(';', start);
    const stop = semi === -1 ? header.length : semi;
    const eq = header.indexOf('=', start);
    if ((eq === -1 || eq > stop) && header.slice(start, stop).trim() !== '') return true;
    if (semi === -1) return false;
    start = semi + 1;
  }
}

/**
 * Recompute the empty-name entry by Django's rules: the first chunk whose name is empty and whose
 * value is not (either `value` alone or `=value`) gives it; with none, there is no such entry.
 */
function applyEmptyName(header: string, cookies: Record<string, string>): void {
  delete cookies[''];
  for (const chunk of header.split(';')) {
    const eq = chunk.indexOf('=');
    if (eq !== -1 && chunk.slice(0, eq).trim() !== '') continue;
    const value = (eq === -1 ? chunk : chunk.slice(eq + 1)).trim();
    if (value === '') continue;
    cookies[''] = decodeCookieValue(value);
    return;
  }
}
