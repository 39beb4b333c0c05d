/**
 * Open-redirect protection: Django's `url_has_allowed_host_and_scheme` (django/utils/http.py),
 * on Python's `urllib.parse.urlsplit` rules (./url-split.ts). Use it on every redirect
 * target that comes from the user (`?next=`, a form field, a Referer) before redirecting to it.
 *
 * The checks are Django's, and the reasons are browsers': Chrome reads `\` as `/` and any URL
 * with three leading slashes as absolute, and ignores leading control characters, so
 * `/\evil.com`, `///evil.com` and `\x08//evil.com` all leave the site. WHATWG `new URL()` is not
 * used: it would resolve those the way one browser does and hide the trick instead of refusing it.
 */
import { urlSplit } from './url-split';

/**
 * Longer URLs are refused without being parsed: Django 5.1.8's `MAX_URL_LENGTH`
 * (CVE-2025-27556, NFKC normalisation of a huge netloc was a denial of service). Counted in
 * UTF-16 code units, so a URL of astral characters meets the limit sooner than in Python.
 */
export const MAX_URL_LENGTH = 2048;

/** Options of {@link urlHasAllowedHostAndScheme}. */
export interface UrlHasAllowedHostAndSchemeOptions {
  /**
   * The hosts (`host` or `host:port`, compared exactly as written in the URL) an absolute URL
   * may point at; one host as a string, or any iterable of them. `null`: only relative URLs pass.
   */
  allowedHosts: string | Iterable<string> | null | undefined;
  /** Only `https` is a valid scheme (default false: `http` and `https`). Pass `request.isSecure()`. */
  requireHttps?: boolean;
}

/**
 * Whether `url` is safe to redirect to: a relative URL, or an absolute one whose host is in
 * `allowedHosts` and whose scheme is `http`/`https` (`https` only with `requireHttps`). Empty
 * or missing URLs, other schemes (`javascript:`), `//evil.com`, `/\evil.com`, `///evil.com`,
 * `http:///evil.com`, leading control characters and malformed IPv6 hosts are refused.
 *
 * Like Django's, a true answer does not mean the URL is well formed, only that it stays on the
 * allowed hosts: the redirect response still percent-encodes it (`iri_to_uri`).
 *
 * @example
 * const next = request.POST.get('next') ?? '';
 * const safe = urlHasAllowedHostAndScheme(next, { allowedHosts: [request.getHost()], requireHttps: request.isSecure() });
 * return new HttpResponseRedirect(safe ? next : '/accounts/profile/');
 */
export function urlHasAllowedHostAndScheme(
  url: string | null | undefined,
  { allowedHosts, requireHttps = false }: UrlHasAllowedHostAndSchemeOptions,
): boolean {
  const stripped = typeof url === 'string' ? pythonStrip(url) : '';
  if (stripped === '') return false;
  const hosts: ReadonlySet<string> =
    allowedHosts == null ? new Set() : typeof allowedHosts === 'string' ? new Set([allowedHosts]) : new Set(allowedHosts);
  // Chrome treats `\` as `/` in paths, but `\` may also be part of basic-auth credentials
  // (`http://testserver\@evil.com`), so both readings must pass.
  return (
    hasAllowedHostAndScheme(stripped, hosts, requireHttps) &&
    hasAllowedHostAndScheme(stripped.replaceAll('\\', '/'), hosts, requireHttps)
  );
}

/** Django's `_url_has_allowed_host_and_scheme`: one reading of the URL. */
function hasAllowedHostAndScheme(url: string, allowedHosts: ReadonlySet<string>, requireHttps: boolean): boolean {
  // Chrome takes any URL with three leading slashes as absolute; urlsplit would call it a path.
  if (url.startsWith('///') || url.length > MAX_URL_LENGTH) return false;
  const parts = urlSplit(url);
  if (parts === null) return false;
  // `http:///evil.com`: a scheme without a host; Chrome still takes evil.com as the host.
  if (parts.netloc === '' && parts.scheme !== '') return false;
  // Browsers ignore leading control characters and may read the rest as scheme-relative.
  // (Python's unicodedata.category(url[0])[0] == 'C': Cc, Cf, Cs, Co, Cn.)
  if (LEADING_OTHER_CHARACTER.test(url)) return false;
  // A scheme-relative URL (`//example.com/p`) is as secure as the page: count it as http.
  const scheme = parts.scheme === '' && parts.netloc !== '' ? 'http' : parts.scheme;
  const validScheme = requireHttps ? scheme === 'https' : scheme === 'http' || scheme === 'https';
  return (parts.netloc === '' || allowedHosts.has(parts.netloc)) && (scheme === '' || validScheme);
}

const LEADING_OTHER_CHARACTER = /^\p{C}/u;

/**
 * Python's `str.strip()` with no argument: removes what `str.isspace()` calls whitespace, which is
 * not JavaScript's `trim()` set (Python strips U+001C–U+001F and U+0085; JavaScript strips U+FEFF).
 * A loop, not a `/\s+$/` regex, so a long run of spaces cannot make it quadratic.
 */
function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  while (end > start && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isPythonSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}
