/**
 * Django's `django.utils.http.escape_leading_slashes` (CVE-2018-14574). A Location that starts
 * with `//` is a scheme-relative URL (RFC 3986 §4.2): a browser reads `//evil.com/` as "the
 * host evil.com", so a redirect built from a request path such as `GET //evil.com` would send the
 * user off-site. Escaping the second slash keeps it a path on this site: `/%2Fevil.com/`.
 */

/**
 * Escapes the second slash of a URL that starts with `//`, so that it is a path on this site and
 * never a scheme-relative URL to another host. Anything else is returned unchanged. Use it on
 * every redirect target built from the request's path.
 * @example
 * escapeLeadingSlashes('//evil.com/')  // '/%2Fevil.com/'
 * escapeLeadingSlashes('///evil.com/') // '/%2F/evil.com/'
 * escapeLeadingSlashes('/polls/')      // '/polls/'
 * return new HttpResponseRedirect(escapeLeadingSlashes(request.getFullPath(true)));
 */
export function escapeLeadingSlashes(url: string): string {
  return url.charCodeAt(0) === 0x2f && url.charCodeAt(1) === 0x2f ? '/%2F' + url.slice(2) : url;
}
