import { isIP } from 'node:net';
import type { HttpRequest } from '../http/http-request';

/**
 * The client address a rate limit counts by (django-ratelimit's `_get_ip`), as a network:
 * IPv4 whole (/32), IPv6 by its /64, the block one subscriber is usually given, so an attacker
 * cannot take a fresh address from their own /64 for every try (RATELIMIT_IPV6_MASK's default).
 *
 * Where it comes from:
 * - by default, the socket's address (`REMOTE_ADDR`). Headers are never read: any client can
 *   send `X-Forwarded-For: 1.2.3.4` and would otherwise get a fresh limit per request.
 * - with the `rateLimitIpMetaKey` setting, the header your reverse proxy sets (`HTTP_X_REAL_IP`).
 *   For `HTTP_X_FORWARDED_FOR`, the LAST address: the one your proxy appended; the ones before
 *   it are whatever the client sent. A request without the header, or with something that is
 *   not an IP address in it, counts by its socket address (it did not come through the proxy).
 * @example clientIp(request) // '203.0.113.7', or '2001:db8:1:2::' for 2001:db8:1:2:aaaa::1
 */
export function clientIp(request: HttpRequest): string {
  const metaKey = request.settings.rateLimitIpMetaKey;
  if (metaKey !== null) {
    const header = request.META[metaKey];
    if (header !== undefined && header !== '') {
      const comma = header.lastIndexOf(',');
      const candidate = (comma === -1 ? header : header.slice(comma + 1)).trim();
      const address = networkOf(candidate);
      if (address !== null) return address;
    }
  }
  return networkOf(request.META.REMOTE_ADDR ?? '') ?? 'unknown';
}

/**
 * The address as counted: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 cut to its /64; null if not an address.
 * @example networkOf('::ffff:192.0.2.1') // '192.0.2.1'
 */
export function networkOf(address: string): string | null {
  const kind = isIP(address);
  if (kind === 4) return address;
  if (kind !== 6) return null;
  const lower = address.toLowerCase();
  // Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d.
  if (lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4) return lower.slice(7);
  const groups = expandIpv6(lower);
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, an embedded IPv4 tail read). */
function expandIpv6(address: string): number[] {
  const zone = address.indexOf('%');
  const bare = zone === -1 ? address : address.slice(0, zone);
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, null];
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (group.includes('.')) {
            const [a, b, c, d] = group.split('.').map(Number);
            return [(a << 8) | b, (c << 8) | d];
          }
          return [parseInt(group, 16)];
        });
  const first = parse(head);
  if (tail === null) return first;
  const last = parse(tail);
  return [...first, ...new Array(8 - first.length - last.length).fill(0), ...last];
}
