/**
 * Host validation, ports, schemes and absolute URIs, held to Django's
 * tests/requests_tests/test_request.py (HostValidationTests, BuildAbsoluteURITests,
 * SecureProxySslHeaderTests) and the helpers of django/http/request.py.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { DisallowedHost } from '../../src/http/errors';
import { FROM_TEST_CLIENT, HttpRequest } from '../../src/http/http-request';
import { isSameDomain, splitDomainPort, splitHostHeader, validateHost } from '../../src/http/host';

interface Options {
  url?: string;
  headers?: Array<[string, string]>;
  encrypted?: boolean;
  localPort?: number;
  testClient?: boolean;
  settings?: Partial<Settings>;
}

function makeRequest(options: Options = {}): HttpRequest {
  const req = Object.assign(Readable.from([]), {
    method: 'GET',
    url: options.url ?? '/',
    rawHeaders: (options.headers ?? []).flat(),
    headers: {},
    socket: { remoteAddress: '10.0.0.1', remotePort: 40000, localPort: options.localPort ?? 80, encrypted: options.encrypted ?? false },
  }) as unknown as Readable & Record<symbol, unknown>;
  if (options.testClient) req[FROM_TEST_CLIENT] = true;
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: 's', ...options.settings }));
}

const host = (value: string, settings?: Partial<Settings>): HttpRequest => makeRequest({ headers: [['Host', value]], settings });

const ALLOWED = [
  'forward.com',
  'example.com',
  'internal.com',
  '12.34.56.78',
  '[2001:19f0:feee::dead:beef:cafe]',
  'xn--4ca9at.com',
  '.multitenant.com',
  'INSENSITIVE.com',
  '[::ffff:169.254.169.254]',
];

const POISONED = [
  'example.com@evil.tld',
  'example.com:dr.frankenstein@evil.tld',
  'example.com:dr.frankenstein@evil.tld:80',
  'example.com:80/badpath',
  'example.com: recovermypassword.com',
];

describe('splitDomainPort / validateHost / isSameDomain', () => {
  test.each([
    ['<invalid>', '', ''],
    ['<invalid>:8080', '', ''],
    ['example.com 8080', '', ''],
    ['example.com:invalid', '', ''],
    ['[::1]', '[::1]', ''],
    ['[1:2:3:4:5:6:7:8]', '[1:2:3:4:5:6:7:8]', ''],
    ['[::ffff:127.0.0.1]', '[::ffff:127.0.0.1]', ''],
    ['[::1]:8080', '[::1]', '8080'],
    ['[1:2:3:4:5:6:7:8]:8080', '[1:2:3:4:5:6:7:8]', '8080'],
    ['[::ffff:127.0.0.1]:8080', '[::ffff:127.0.0.1]', '8080'],
    ['localhost', 'localhost', ''],
    ['localhost:8080', 'localhost', '8080'],
    ['example.com', 'example.com', ''],
    ['example.com:8080', 'example.com', '8080'],
    ['example.com.', 'example.com', ''],
    ['example.com.:8080', 'example.com', '8080'],
    ['Example.COM', 'example.com', ''],
    ['xn--n28h.test', 'xn--n28h.test', ''],
    ['xn--n28h.test:8080', 'xn--n28h.test', '8080'],
    ['subdomain.example.com:8080', 'subdomain.example.com', '8080'],
    ['127.0.0.1:8080', '127.0.0.1', '8080'],
  ])('splitDomainPort(%s) is [%s, %s]', (value, domain, port) => {
    expect(splitDomainPort(value)).toEqual([domain, port]);
  });

  test('isSameDomain: a leading dot matches the domain and its subdomains, else exact; pattern case ignored', () => {
    expect(isSameDomain('example.com', '.example.com')).toBe(true);
    expect(isSameDomain('www.example.com', '.EXAMPLE.com')).toBe(true);
    expect(isSameDomain('badexample.com', '.example.com')).toBe(false);
    expect(isSameDomain('example.com', 'example.com')).toBe(true);
    expect(isSameDomain('www.example.com', 'example.com')).toBe(false);
    expect(isSameDomain('example.com', '')).toBe(false);
  });

  test('validateHost: "*" allows any (well-formed) domain', () => {
    expect(validateHost('anything.example', ['*'])).toBe(true);
    expect(validateHost('example.com', [])).toBe(false);
    expect(validateHost('a.multitenant.com', ALLOWED)).toBe(true);
  });

  test('splitHostHeader splits without validating (SERVER_NAME / SERVER_PORT)', () => {
    expect(splitHostHeader('example.com:8000')).toEqual(['example.com', '8000']);
    expect(splitHostHeader('[::1]')).toEqual(['[::1]', '']);
    expect(splitHostHeader('[::1]:81')).toEqual(['[::1]', '81']);
    expect(splitHostHeader('example.com')).toEqual(['example.com', '']);
  });
});

describe('getHost', () => {
  test.each([
    'example.com',
    'example.com:80',
    '12.34.56.78',
    '12.34.56.78:443',
    '[2001:19f0:feee::dead:beef:cafe]',
    '[2001:19f0:feee::dead:beef:cafe]:8080',
    'xn--4ca9at.com',
    'anything.multitenant.com',
    'multitenant.com',
    'insensitive.com',
    'example.com.',
    'example.com.:80',
    '[::ffff:169.254.169.254]',
  ])('allows the legitimate host %s, returned as sent', (value) => {
    expect(host(value, { allowedHosts: ALLOWED }).getHost()).toBe(value);
  });

  test.each([...POISONED, 'other.com', 'example.com..'])('refuses the poisoned host %s', (value) => {
    expect(() => host(value, { allowedHosts: ALLOWED }).getHost()).toThrow(DisallowedHost);
  });

  test.each(POISONED)('refuses the malformed host %s even with "*", with the RFC 1034/1035 message', (value) => {
    const message = `Invalid HTTP_HOST header: '${value}'. The domain name provided is not valid according to RFC 1034/1035.`;
    expect(() => host(value, { allowedHosts: ['*'] }).getHost()).toThrow(new DisallowedHost(message));
  });

  test.each([
    ['example.com', 'example.com'],
    ['12.34.56.78', '12.34.56.78'],
    ['[2001:19f0:feee::dead:beef:cafe]', '[2001:19f0:feee::dead:beef:cafe]'],
    ['xn--4ca9at.com', 'xn--4ca9at.com'],
    ['example.com:80', 'example.com'],
    ['12.34.56.78:443', '12.34.56.78'],
    ['[2001:19f0:feee::dead:beef:cafe]:8080', '[2001:19f0:feee::dead:beef:cafe]'],
  ])('suggests adding the domain of %s to allowedHosts', (value, domain) => {
    const message = `Invalid HTTP_HOST header: '${value}'. You may need to add '${domain}' to allowedHosts.`;
    expect(() => host(value, { allowedHosts: [] }).getHost()).toThrow(new DisallowedHost(message));
  });

  test('a host with an underscore is not a valid domain name', () => {
    expect(() => host('invalid_hostname.com', { allowedHosts: ['*'] }).getHost()).toThrow(
      "Invalid HTTP_HOST header: 'invalid_hostname.com'. The domain name provided is not valid according to RFC 1034/1035.",
    );
  });

  test('an empty Host header is refused', () => {
    expect(() => host('', { allowedHosts: ['*'] }).getHost()).toThrow(
      "Invalid HTTP_HOST header: ''. The domain name provided is not valid according to RFC 1034/1035.",
    );
  });

  test('two Host headers are joined into one invalid host (node would keep only the first)', () => {
    const request = makeRequest({ headers: [['Host', 'example.com'], ['Host', 'evil.com']], settings: { allowedHosts: ['*'] } });
    expect(() => request.getHost()).toThrow("Invalid HTTP_HOST header: 'example.com,evil.com'.");
  });

  test('with debug and an empty allowedHosts, only localhost variants are allowed', () => {
    for (const value of ['localhost', 'subdomain.localhost', '127.0.0.1', '[::1]', 'localhost:8000']) {
      expect(host(value, { debug: true, allowedHosts: [] }).getHost()).toBe(value);
    }
    expect(() => host('example.com', { debug: true, allowedHosts: [] }).getHost()).toThrow(DisallowedHost);
    // A non-empty list is used as it is, debug or not.
    expect(() => host('localhost', { debug: true, allowedHosts: ['example.com'] }).getHost()).toThrow(DisallowedHost);
  });

  test('X-Forwarded-Host is ignored unless useXForwardedHost', () => {
    const headers: Array<[string, string]> = [['X-Forwarded-Host', 'forward.com'], ['Host', 'example.com']];
    expect(makeRequest({ headers, settings: { allowedHosts: ALLOWED } }).getHost()).toBe('example.com');
    expect(makeRequest({ headers, settings: { allowedHosts: ALLOWED, useXForwardedHost: true } }).getHost()).toBe('forward.com');
    const noForward = makeRequest({ headers: [['Host', 'example.com']], settings: { allowedHosts: ALLOWED, useXForwardedHost: true } });
    expect(noForward.getHost()).toBe('example.com');
  });

  test('an X_Forwarded_Host header (underscores) cannot pose as X-Forwarded-Host', () => {
    const request = makeRequest({
      headers: [['X_Forwarded_Host', 'evil.com'], ['Host', 'example.com']],
      settings: { allowedHosts: ['*'], useXForwardedHost: true },
    });
    expect(request.getHost()).toBe('example.com');
  });

  test('without a Host header, SERVER_NAME and SERVER_PORT (the port only when not the default)', () => {
    const request = makeRequest({ settings: { allowedHosts: ALLOWED } });
    request.META.SERVER_NAME = 'internal.com';
    request.META.SERVER_PORT = '80';
    expect(request.getHost()).toBe('internal.com');
    const other = makeRequest({ settings: { allowedHosts: ALLOWED } });
    other.META.SERVER_NAME = 'internal.com';
    other.META.SERVER_PORT = '8042';
    expect(other.getHost()).toBe('internal.com:8042');
    const tls = makeRequest({ encrypted: true, localPort: 443, settings: { allowedHosts: ['localhost'] } });
    expect(tls.getHost()).toBe('localhost');
  });

  test('what a middleware writes into META is what getHost reads', () => {
    const request = host('evil.com', { allowedHosts: ['example.com'] });
    request.META.HTTP_HOST = 'example.com';
    expect(request.getHost()).toBe('example.com');
  });

  test('the test client host "testserver" is allowed besides allowedHosts', () => {
    expect(makeRequest({ headers: [['Host', 'testserver']], testClient: true, settings: { allowedHosts: ['example.com'] } }).getHost()).toBe('testserver');
    expect(() => makeRequest({ headers: [['Host', 'testserver']], settings: { allowedHosts: ['example.com'] } }).getHost()).toThrow(DisallowedHost);
  });
});

describe('getPort', () => {
  test('SERVER_PORT unless useXForwardedPort and X-Forwarded-Port', () => {
    const headers: Array<[string, string]> = [['Host', 'example.com:8080'], ['X-Forwarded-Port', '80']];
    expect(makeRequest({ headers }).getPort()).toBe('8080');
    expect(makeRequest({ headers, settings: { useXForwardedPort: true } }).getPort()).toBe('80');
    expect(makeRequest({ headers: [['Host', 'example.com:8080']], settings: { useXForwardedPort: true } }).getPort()).toBe('8080');
  });
});

describe('scheme / isSecure', () => {
  const proxy = { secureProxySslHeader: ['HTTP_X_FORWARDED_PROTO', 'https'] as [string, string] };
  const proto = (value: string | null, encrypted = false): HttpRequest =>
    makeRequest({ headers: value === null ? [] : [['X-Forwarded-Proto', value]], encrypted, settings: proxy });

  test('from the socket without the setting', () => {
    expect(makeRequest().isSecure()).toBe(false);
    expect(makeRequest().scheme).toBe('http');
    expect(makeRequest({ encrypted: true }).isSecure()).toBe(true);
    expect(makeRequest({ encrypted: true }).scheme).toBe('https');
    expect(makeRequest({ headers: [['X-Forwarded-Proto', 'https']] }).isSecure()).toBe(false);
  });

  test('the proxy header decides when present, by its leftmost value, stripped', () => {
    expect(proto('https').isSecure()).toBe(true);
    expect(proto('https, http').isSecure()).toBe(true);
    expect(proto(' https , http ').isSecure()).toBe(true);
    expect(proto('http, https').isSecure()).toBe(false);
    expect(proto('http ,wrongvalue,http,http').isSecure()).toBe(false);
    expect(proto('HTTPS').isSecure()).toBe(false);
  });

  test('the proxy header wins over the socket; without it the socket decides', () => {
    expect(proto('http', true).isSecure()).toBe(false);
    expect(proto(null, true).isSecure()).toBe(true);
    expect(proto(null, false).isSecure()).toBe(false);
  });
});

describe('buildAbsoluteUri', () => {
  const request = (url: string, options: Options = {}): HttpRequest =>
    makeRequest({ url, headers: [['Host', 'testserver']], testClient: true, ...options });

  test('an absolute URL is returned as it is', () => {
    expect(request('/').buildAbsoluteUri('https://www.example.com/asdf')).toBe('https://www.example.com/asdf');
  });

  test('a path goes on this host', () => {
    expect(request('/').buildAbsoluteUri('/path/with:colons')).toBe('http://testserver/path/with:colons');
  });

  test.each([
    [undefined, 'http://testserver//absolute-uri'],
    ['http://example.com/?foo=bar', 'http://example.com/?foo=bar'],
    ['//example.com/?foo=bar', 'http://example.com/?foo=bar'],
    ['/foo/bar/', 'http://testserver/foo/bar/'],
    ['/foo/./bar/', 'http://testserver/foo/bar/'],
    ['/foo/../bar/', 'http://testserver/bar/'],
    ['///foo/bar/', 'http://testserver/foo/bar/'],
  ])('on a request for //absolute-uri, %s -> %s', (location, expected) => {
    expect(request('//absolute-uri').buildAbsoluteUri(location)).toBe(expected);
  });

  test('without a location: the full URI of the request, query included and re-encoded', () => {
    expect(request('/caf%C3%A9/?a=1&b=%20').buildAbsoluteUri()).toBe('http://testserver/caf%C3%A9/?a=1&b=%20');
  });

  test('relative locations are joined to the current path (urljoin)', () => {
    const r = request('/blog/2024/post/');
    expect(r.buildAbsoluteUri('comments/')).toBe('http://testserver/blog/2024/post/comments/');
    expect(r.buildAbsoluteUri('../other/')).toBe('http://testserver/blog/2024/other/');
    expect(r.buildAbsoluteUri('?page=2')).toBe('http://testserver/blog/2024/post/?page=2');
    expect(r.buildAbsoluteUri('')).toBe('http://testserver/blog/2024/post/');
  });

  test('the scheme follows isSecure, and the host keeps its port', () => {
    expect(request('/', { encrypted: true }).buildAbsoluteUri('/x')).toBe('https://testserver/x');
    const withPort = makeRequest({ url: '/a/b', headers: [['Host', 'example.com:80']], settings: { allowedHosts: ['example.com'] } });
    expect(withPort.buildAbsoluteUri('c')).toBe('http://example.com:80/a/c');
    expect(withPort.buildAbsoluteUri('/c')).toBe('http://example.com:80/c');
  });

  test('non-ASCII and spaces are percent-encoded (iri_to_uri), a backslash is not a slash', () => {
    expect(request('/').buildAbsoluteUri('/Jürgen Münster/')).toBe('http://testserver/J%C3%BCrgen%20M%C3%BCnster/');
    expect(request('/').buildAbsoluteUri('/\\evil.com')).toBe('http://testserver/%5Cevil.com');
    expect(request('/a/').buildAbsoluteUri('b\\..\\c')).toBe('http://testserver/a/b%5C..%5Cc');
  });

  test('an absolute location never consults the host; a relative one validates it', () => {
    const bad = makeRequest({ headers: [['Host', 'evil.com']], settings: { allowedHosts: ['example.com'] } });
    expect(bad.buildAbsoluteUri('https://example.com/')).toBe('https://example.com/');
    expect(() => bad.buildAbsoluteUri('/x')).toThrow(DisallowedHost);
  });
});
