/**
 * Where a request says it went: host validation, ported from django/http/request.py
 * (`split_domain_port`, `validate_host`, `_parse_host_header`) and django/utils/http.py
 * (`is_same_domain`), and the URI helpers that put the host and path back together
 * (`escape_uri_path`, `iri_to_uri`, `build_absolute_uri`). A request's host ends up in absolute
 * URLs, password-reset links and cache keys, so a forged one ("host header poisoning") must be
 * refused before anything uses it.
 */
import { BadRequest } from './errors';
import { iriToUri, pyRepr } from './django-text';
import { urlSplit } from './url-split';

export { iriToUri, pyRepr };

/**
 * A DNS name (letters, digits, dots, hyphens) or a bracketed IPv6 literal, then an optional port.
 * Anything else (userinfo `@`, paths, spaces, several colons) is not a host.
 */
const HOST_VALIDATION_RE = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$/;

/**
 * Split a host into a lower-cased domain (trailing dot removed) and a port. A malformed host
 * gives `['', '']`.
 *
 * @example
 * splitDomainPort('Example.COM.:8080') // ['example.com', '8080']
 * splitDomainPort('[::1]:8000')        // ['[::1]', '8000']
 * splitDomainPort('example.com@evil.tld') // ['', '']
 */
export function splitDomainPort(host: string): [string, string] {
  const match = HOST_VALIDATION_RE.exec(host.toLowerCase());
  if (match === null) return ['', ''];
  const domain = match[1];
  return [domain.endsWith('.') ? domain.slice(0, -1) : domain, match[2] ?? ''];
}

/**
 * Does `host` match `pattern`? A pattern starting with `.` matches the domain and every
 * subdomain (`.example.com` matches `example.com` and `www.example.com`); any other pattern must
 * match exactly. `host` must already be lower-cased; the pattern is lower-cased here.
 *
 * @example isSameDomain('www.example.com', '.Example.com') // true
 */
export function isSameDomain(host: string, pattern: string): boolean {
  if (!pattern) return false;
  const lowered = pattern.toLowerCase();
  if (lowered[0] === '.') return host.endsWith(lowered) || host === lowered.slice(1);
  return host === lowered;
}

/**
 * Is `domain` (lower-cased, port stripped: the first element of {@link splitDomainPort}) allowed
 * by `allowedHosts`? `*` allows any well-formed host.
 *
 * @example validateHost('api.example.com', ['.example.com']) // true
 */
export function validateHost(domain: string, allowedHosts: readonly string[]): boolean {
  for (const pattern of allowedHosts) {
    if (pattern === '*' || isSameDomain(domain, pattern)) return true;
  }
  return false;
}

/** What `debug: true` with an empty `allowedHosts` allows (Django 3.2.x and later). */
export const DEBUG_ALLOWED_HOSTS: readonly string[] = Object.freeze(['.localhost', '127.0.0.1', '[::1]']);

/**
 * Django's `_parse_host_header`: a Host value split into host and port, neither validated
 * (META's SERVER_NAME and SERVER_PORT).
 * @example splitHostHeader('[::1]:8000') // ['[::1]', '8000']
 */
export function splitHostHeader(host: string): [string, string] {
  if (host.endsWith(']')) return [host, '']; // an IPv6 literal without a port
  const colon = host.lastIndexOf(':');
  return colon === -1 ? [host, ''] : [host.slice(0, colon), host.slice(colon + 1)];
}

/**
 * The percent-decoded request path, as a WSGI server hands Django PATH_INFO (`%2F` becomes `/`).
 * A path without `%` is returned as is. An escape that is not `%XX`, or bytes that are not
 * UTF-8, throw BadRequest: such a path names no route and must not reach one mangled.
 * @example decodePath('/caf%C3%A9/') // '/café/'
 */
export function decodePath(raw: string): string {
  let path = raw;
  if (path.charCodeAt(0) !== 0x2f && path !== '*') {
    // Absolute-form request target (RFC 9112 §3.2.2), sent to proxies: keep its path.
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
    if (match !== null) path = path.slice(match[0].length) || '/';
  }
  if (path.indexOf('%') === -1) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    throw new BadRequest(`The request path ${pyRepr(raw)} has an invalid percent-escape or is not valid UTF-8.`);
  }
}

const URI_PATH_SAFE = /^[A-Za-z0-9/:@&+$,\-_.!~*'()]*$/;

/**
 * Django's `escape_uri_path`: percent-encode a decoded path for use in a URI, keeping
 * `/:@&+$,-_.!~*'()` (RFC 3986 §3.3's pchar, minus `;` and `=` which Django escapes).
 * @example escapeUriPath('/a b/;x') // '/a%20b/%3Bx'
 */
export function escapeUriPath(path: string): string {
  if (URI_PATH_SAFE.test(path)) return path;
  return encodeURIComponent(path).replace(/%(2F|3A|40|26|2B|24|2C)/g, decodeURIComponent);
}

const JOIN_HOST = 'reinhardt.invalid';

/**
 * Django's `build_absolute_uri(location)` once the request's parts are known: `location` with
 * both a scheme and a host is kept; a path (`/x`, `///x`) goes on `schemeHost()` as is; anything
 * else (`x`, `../x`, `?q`, `//other.host/x`) is joined to `schemeHost() + path` as
 * `urllib.parse.urljoin` does. The result is passed through {@link iriToUri}.
 * `schemeHost` is only called when needed, so an absolute location never validates the host.
 */
export function buildAbsoluteUri(location: string, scheme: string, schemeHost: () => string, path: string): string {
  const bits = urlSplit(location);
  let uri = location;
  // Where Python's urlsplit raises ValueError (`http://[`), the location is left as given.
  if (bits !== null && !(bits.scheme && bits.netloc)) {
    if (bits.path.startsWith('/') && !bits.scheme && !bits.netloc && !bits.path.includes('/./') && !bits.path.includes('/../')) {
      // The common case, without a join. A location starting with '//' but no host ('///x')
      // stays on this host: strip the two slashes.
      uri = schemeHost() + (location.startsWith('//') ? location.slice(2) : location);
    } else {
      uri = urljoin(scheme, schemeHost, path, location);
    }
  }
  return iriToUri(uri);
}

/**
 * RFC 3986 §5.2 reference resolution through WHATWG URL, on a placeholder host so the request's
 * host and port come back exactly as sent. Backslashes are escaped first: WHATWG reads them as
 * '/', Python's urljoin (and so Django) as a plain character.
 */
function urljoin(scheme: string, schemeHost: () => string, path: string, location: string): string {
  const base = `${scheme}://${JOIN_HOST}${path.replace(/\\/g, '%5C')}`;
  const joined = new URL(location.replace(/\\/g, '%5C'), base);
  if (joined.host === JOIN_HOST && joined.protocol === `${scheme}:`) {
    return schemeHost() + joined.pathname + joined.search + joined.hash;
  }
  return joined.href;
}
