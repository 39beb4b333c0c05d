import { networkOf } from '../../src';
import { clientIp } from '../../src/ratelimit/client-ip';
import type { HttpRequest } from '../../src/http/http-request';

// django-ratelimit's _get_ip: REMOTE_ADDR unless RATELIMIT_IP_META_KEY; IPv6 grouped by /64.
function request(meta: Record<string, string>, rateLimitIpMetaKey: string | null = null): HttpRequest {
  return { META: meta, settings: { rateLimitIpMetaKey } } as unknown as HttpRequest;
}

describe('clientIp', () => {
  test('is the socket address by default; X-Forwarded-For and X-Real-IP are never read', () => {
    expect(clientIp(request({ REMOTE_ADDR: '203.0.113.7', HTTP_X_FORWARDED_FOR: '1.2.3.4', HTTP_X_REAL_IP: '5.6.7.8' }))).toBe('203.0.113.7');
  });

  test('an IPv4 client of a dual-stack socket counts as its IPv4 address', () => {
    expect(clientIp(request({ REMOTE_ADDR: '::ffff:203.0.113.7' }))).toBe('203.0.113.7');
  });

  test('an IPv6 client counts by its /64, so rotating the interface id does not escape the limit', () => {
    expect(clientIp(request({ REMOTE_ADDR: '2001:db8:1:2:aaaa::1' }))).toBe('2001:db8:1:2::');
    expect(clientIp(request({ REMOTE_ADDR: '2001:db8:1:2:ffff:ffff:ffff:ffff' }))).toBe('2001:db8:1:2::');
    expect(clientIp(request({ REMOTE_ADDR: '2001:db8::1' }))).toBe('2001:db8:0:0::');
    expect(clientIp(request({ REMOTE_ADDR: '::1' }))).toBe('0:0:0:0::');
    expect(clientIp(request({ REMOTE_ADDR: 'fe80::1%eth0' }))).toBe('fe80:0:0:0::');
  });

  test("with rateLimitIpMetaKey HTTP_X_FORWARDED_FOR: the last address, the one the proxy appended; the client's own entries are ignored", () => {
    const key = 'HTTP_X_FORWARDED_FOR';
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_FORWARDED_FOR: '198.51.100.9' }, key))).toBe('198.51.100.9');
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_FORWARDED_FOR: '1.1.1.1, 2.2.2.2 ,198.51.100.9' }, key))).toBe('198.51.100.9');
  });

  test('with a meta key: a missing, empty or non-address header falls back to the socket address', () => {
    const key = 'HTTP_X_REAL_IP';
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_REAL_IP: '198.51.100.9' }, key))).toBe('198.51.100.9');
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2' }, key))).toBe('10.0.0.2');
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_REAL_IP: '' }, key))).toBe('10.0.0.2');
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_REAL_IP: 'rl:evil:key' }, key))).toBe('10.0.0.2');
    expect(clientIp(request({ REMOTE_ADDR: '10.0.0.2', HTTP_X_REAL_IP: `${'1'.repeat(5000)}` }, key))).toBe('10.0.0.2');
  });

  test('no socket address (a Unix socket) counts as "unknown"', () => {
    expect(clientIp(request({ REMOTE_ADDR: '' }))).toBe('unknown');
  });

  test('networkOf refuses what is not an address', () => {
    expect(networkOf('example.com')).toBeNull();
    expect(networkOf('1.2.3.4.5')).toBeNull();
  });
});
