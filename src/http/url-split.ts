/**
 * Python's `urllib.parse.urlsplit` and `urlunsplit` (CPython 3.13, Lib/urllib/parse.py), the one
 * URL splitter of the framework. Django decides on its answers where a URL comes from the client
 * (the CSRF Origin and Referer checks, `url_has_allowed_host_and_scheme`) and where it builds one
 * (`redirect_to_login`, `build_absolute_uri`), so the rules are Python's, not WHATWG's: WHATWG
 * `new URL()` resolves `\`, `///x` and bare hosts the way a browser does and would hide the very
 * tricks those checks must see.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The five parts of a URL, as Python's `SplitResult`; `''` for a part that is absent. */
export interface UrlSplitResult {
  /** Lower-cased. */
  readonly scheme: string;
  /** Everything between `//` and the next `/`, `?` or `#`, as written (userinfo and port included). */
  readonly netloc: string;
  readonly path: string;
  readonly query: string;
  readonly fragment: string;
}

/** RFC 3986 §3.1 scheme characters (Python's `scheme_chars`). */
const SCHEME_CHARS = /^[A-Za-z][A-Za-z0-9+.-]*$/;
/** bpo-43882: tab, CR and LF are removed anywhere in the URL (WHATWG does the same). */
const UNSAFE_URL_CHARACTERS = /[\t\r\n]/g;
const NETLOC_END = /[/?#]/;
/** Python's `.` matches U+2028/U+2029 too; CR and LF are already gone. */
const IPV_FUTURE = /^v[a-fA-F0-9]+\..+$/s;
const NON_ASCII = /[^\x00-\x7f]/;
const NETLOC_DELIMITERS = /[@:#?]/g;
const NFKC_DELIMITERS = /[/?#@:]/;

/**
 * Splits `url` into scheme, netloc, path, query and fragment as Python's `urlsplit(url)` does:
 * leading C0 controls and spaces are dropped (`_WHATWG_C0_CONTROL_OR_SPACE`, not trailing ones),
 * tab/CR/LF removed anywhere, the scheme lower-cased and taken only when every character before
 * the first `:` is a scheme character. Null where Python raises `ValueError`: an unbalanced or
 * malformed bracketed host ("Invalid IPv6 URL", CVE-2024-11168) or a non-ASCII netloc that NFKC
 * normalisation would turn into another host (CVE-2019-9636).
 * @example
 * urlSplit('HTTPS://user@example.com:8443/p?q=1#f')
 * // { scheme: 'https', netloc: 'user@example.com:8443', path: '/p', query: 'q=1', fragment: 'f' }
 * urlSplit('//example.com/p').scheme // '' (a scheme-relative URL)
 * urlSplit('https://[')              // null
 */
export function urlSplit(input: string): UrlSplitResult | null {
  let start = 0;
  while (start < input.length && input.charCodeAt(start) <= 0x20) start++;
  let url = start === 0 ? input : input.slice(start);
  if (url.includes('\t') || url.includes('\r') || url.includes('\n')) url = url.replace(UNSAFE_URL_CHARACTERS, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    const end = url.slice(2).search(NETLOC_END);
    netloc = end === -1 ? url.slice(2) : url.slice(2, 2 + end);
    url = end === -1 ? '' : url.slice(2 + end);
    const open = netloc.includes('[');
    if (open !== netloc.includes(']')) return null; // "Invalid IPv6 URL"
    if (open && !isValidBracketedNetloc(netloc)) return null;
  }
  let fragment = '';
  const hash = url.indexOf('#');
  if (hash !== -1) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  let query = '';
  const question = url.indexOf('?');
  if (question !== -1) {
    query = url.slice(question + 1);
    url = url.slice(0, question);
  }
  if (!isNetlocStableUnderNfkc(netloc)) return null;
  return { scheme, netloc, path: url, query, fragment };
}

/**
 * Schemes whose URLs carry a `//netloc` even when it is empty (Python's `uses_netloc`), so that
 * `urlunsplit` writes `file:///x`, not `file:/x`.
 */
const USES_NETLOC: ReadonlySet<string> = new Set([
  '', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https', 'shttp', 'snews',
  'prospero', 'rtsp', 'rtsps', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss', 'itms-services',
]);

/**
 * Puts split parts back together as Python's `urlunsplit` (and `SplitResult.geturl()`): an empty
 * query or fragment is left out, and a path after a netloc gets its leading `/`.
 * @example urlUnsplit({ scheme: 'https', netloc: 'example.com', path: 'a', query: 'x=1', fragment: '' }) // 'https://example.com/a?x=1'
 */
export function urlUnsplit({ scheme, netloc, path, query, fragment }: UrlSplitResult): string {
  let url = path;
  if (netloc) {
    if (url && url[0] !== '/') url = `/${url}`;
    url = `//${netloc}${url}`;
  } else if (url.startsWith('//')) {
    // Without it, the path's own `//` would read back as a netloc.
    url = `//${url}`;
  } else if (scheme && USES_NETLOC.has(scheme) && (!url || url[0] === '/')) {
    url = `//${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url = `${url}?${query}`;
  if (fragment) url = `${url}#${fragment}`;
  return url;
}

/**
 * urlsplit's `_check_bracketed_netloc` and `_check_bracketed_host`: nothing before `[`, only
 * `:port` after `]`, and inside an IPv6 address (an IPv4 one is refused) or an RFC 3986
 * IPvFuture `vX.…`. Brackets only in the userinfo leave a host that must itself be an address.
 */
function isValidBracketedNetloc(netloc: string): boolean {
  const hostAndPort = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostAndPort.indexOf('[');
  let host: string;
  if (open === -1) {
    const colon = hostAndPort.indexOf(':');
    host = colon === -1 ? hostAndPort : hostAndPort.slice(0, colon);
  } else {
    if (open > 0) return false;
    const close = hostAndPort.indexOf(']', open);
    host = close === -1 ? hostAndPort.slice(open + 1) : hostAndPort.slice(open + 1, close);
    const port = close === -1 ? '' : hostAndPort.slice(close + 1);
    if (port !== '' && !port.startsWith(':')) return false;
  }
  if (host.startsWith('v')) return IPV_FUTURE.test(host);
  // ipaddress.ip_address(): an IPv4 address parses, and is then refused in brackets.
  return isIPv6(host) && !isIPv4(host);
}

/**
 * urlsplit's `_checknetloc` (CVE-2019-9636): a non-ASCII netloc whose NFKC form gains one of
 * `/?#@:` (U+2100 ℀ becomes `a/c`) would send an IDNA-encoding client to another host.
 */
function isNetlocStableUnderNfkc(netloc: string): boolean {
  if (netloc === '' || !NON_ASCII.test(netloc)) return true;
  const bare = netloc.replace(NETLOC_DELIMITERS, '');
  const normalized = bare.normalize('NFKC');
  return normalized === bare || !NFKC_DELIMITERS.test(normalized);
}
