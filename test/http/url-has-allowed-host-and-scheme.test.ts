/**
 * urlHasAllowedHostAndScheme holds to Django's own tests: tests/utils_tests/test_http.py,
 * class URLHasAllowedHostAndSchemeTests, one test per Django test method (same URL lists), then
 * the cases Django's lists leave to Python's urlsplit and to CVE-2025-27556.
 */
import { urlHasAllowedHostAndScheme } from 'reinhardt';
import { MAX_URL_LENGTH } from '../../src/http/url-has-allowed-host-and-scheme';

describe('urlHasAllowedHostAndScheme (Django URLHasAllowedHostAndSchemeTests)', () => {
  test('test_bad_urls: other hosts, other schemes, backslash and triple-slash tricks, control characters, broken IPv6', () => {
    const badUrls = [
      'http://example.com',
      'http:///example.com',
      'https://example.com',
      'ftp://example.com',
      String.raw`\\example.com`,
      String.raw`\\\example.com`,
      String.raw`/\\/example.com`,
      String.raw`\\\example.com`,
      String.raw`\\example.com`,
      String.raw`\\//example.com`,
      String.raw`/\/example.com`,
      String.raw`\/example.com`,
      String.raw`/\example.com`,
      'http:///example.com',
      String.raw`http:/\//example.com`,
      String.raw`http:\/example.com`,
      String.raw`http:/\example.com`,
      'javascript:alert("XSS")',
      '\njavascript:alert(x)',
      'java\nscript:alert(x)',
      '\x08//example.com',
      String.raw`http://otherserver\@example.com`,
      String.raw`http:\\testserver\@example.com`,
      String.raw`http://testserver\me:pass@example.com`,
      String.raw`http://testserver\@example.com`,
      String.raw`http:\\testserver\confirm\me@example.com`,
      'http:999999999',
      'ftp:9999999999',
      '\n',
      'http://[2001:cdba:0000:0000:0000:0000:3257:9652/',
      'http://2001:cdba:0000:0000:0000:0000:3257:9652]/',
    ];
    const accepted = badUrls.filter((url) => urlHasAllowedHostAndScheme(url, { allowedHosts: new Set(['testserver', 'testserver2']) }));
    expect(accepted).toEqual([]);
  });

  test('test_good_urls: paths, query strings that contain URLs, allowed hosts in any scheme case', () => {
    const goodUrls = [
      '/view/?param=http://example.com',
      '/view/?param=https://example.com',
      '/view?param=ftp://example.com',
      'view/?param=//example.com',
      'https://testserver/',
      'HTTPS://testserver/',
      '//testserver/',
      'http://testserver/confirm?email=me@example.com',
      '/url%20with%20spaces/',
      'path/http:2222222222',
    ];
    const refused = goodUrls.filter((url) => !urlHasAllowedHostAndScheme(url, { allowedHosts: new Set(['otherserver', 'testserver']) }));
    expect(refused).toEqual([]);
  });

  test('test_basic_auth: valid basic-auth credentials are allowed when the netloc is', () => {
    expect(urlHasAllowedHostAndScheme(String.raw`http://user:pass@testserver/`, { allowedHosts: new Set(['user:pass@testserver']) })).toBe(true);
  });

  test('test_no_allowed_hosts: a path passes, basic auth without an allowed host does not', () => {
    expect(urlHasAllowedHostAndScheme('/confirm/me@example.com', { allowedHosts: null })).toBe(true);
    expect(urlHasAllowedHostAndScheme(String.raw`http://testserver\@example.com`, { allowedHosts: null })).toBe(false);
  });

  test('test_allowed_hosts_str: one host given as a string is the whole host, not a set of characters', () => {
    expect(urlHasAllowedHostAndScheme('http://good.com/good', { allowedHosts: 'good.com' })).toBe(true);
    expect(urlHasAllowedHostAndScheme('http://good.co/evil', { allowedHosts: 'good.com' })).toBe(false);
  });

  test('test_secure_param_https_urls: requireHttps accepts https and relative URLs', () => {
    for (const url of ['https://example.com/p', 'HTTPS://example.com/p', '/view/?param=http://example.com']) {
      expect([url, urlHasAllowedHostAndScheme(url, { allowedHosts: ['example.com'], requireHttps: true })]).toEqual([url, true]);
    }
  });

  test('test_secure_param_non_https_urls: requireHttps refuses http, ftp and scheme-relative URLs', () => {
    for (const url of ['http://example.com/p', 'ftp://example.com/p', '//example.com/p']) {
      expect([url, urlHasAllowedHostAndScheme(url, { allowedHosts: ['example.com'], requireHttps: true })]).toEqual([url, false]);
    }
  });
});

describe('urlHasAllowedHostAndScheme beyond Django\'s lists (Python urlsplit and str.strip semantics)', () => {
  const allowedHosts = ['testserver'];

  test('empty, missing and whitespace-only URLs are refused', () => {
    for (const url of ['', ' ', '\u00a0\u3000', '\x1c', null, undefined]) {
      expect(urlHasAllowedHostAndScheme(url, { allowedHosts })).toBe(false);
    }
  });

  test('Python whitespace around the URL is stripped first; a leading U+FEFF is a format character and refused', () => {
    expect(urlHasAllowedHostAndScheme(' \t/polls/\u3000', { allowedHosts })).toBe(true);
    expect(urlHasAllowedHostAndScheme('\u0085//evil.com', { allowedHosts })).toBe(false);
    expect(urlHasAllowedHostAndScheme('\ufeff/polls/', { allowedHosts })).toBe(false);
    expect(urlHasAllowedHostAndScheme('\u200b//evil.com', { allowedHosts })).toBe(false);
  });

  test('tabs and newlines inside the scheme or the slashes do not hide another host (bpo-43882)', () => {
    for (const url of ['/\t/evil.com', 'ht\ttp://evil.com/', '/\n/evil.com', 'https:/\r/evil.com']) {
      expect([url, urlHasAllowedHostAndScheme(url, { allowedHosts })]).toEqual([url, false]);
    }
    expect(urlHasAllowedHostAndScheme('/\t/testserver/', { allowedHosts })).toBe(true);
  });

  test('hosts compare exactly as written: port and case count, subdomains do not match', () => {
    expect(urlHasAllowedHostAndScheme('http://testserver:8000/', { allowedHosts })).toBe(false);
    expect(urlHasAllowedHostAndScheme('http://testserver:8000/', { allowedHosts: ['testserver:8000'] })).toBe(true);
    expect(urlHasAllowedHostAndScheme('http://TESTSERVER/', { allowedHosts })).toBe(false);
    expect(urlHasAllowedHostAndScheme('http://evil.testserver/', { allowedHosts })).toBe(false);
    expect(urlHasAllowedHostAndScheme('http://testserver.evil.com/', { allowedHosts })).toBe(false);
  });

  test('bracketed hosts must be IPv6 (or IPvFuture) with nothing but a port after them', () => {
    expect(urlHasAllowedHostAndScheme('http://[::1]:8000/', { allowedHosts: ['[::1]:8000'] })).toBe(true);
    for (const url of ['http://[127.0.0.1]/', 'http://x[::1]/', 'http://[::1]x/', 'http://[not-an-ip]/']) {
      expect([url, urlHasAllowedHostAndScheme(url, { allowedHosts: [url.slice(7, -1)] })]).toEqual([url, false]);
    }
  });

  test('a netloc whose NFKC form gains a delimiter is refused (CVE-2019-9636)', () => {
    expect(urlHasAllowedHostAndScheme('http://evil\u2100testserver/', { allowedHosts: ['evil\u2100testserver'] })).toBe(false);
    expect(urlHasAllowedHostAndScheme('http://b\u00fccher.example/', { allowedHosts: ['b\u00fccher.example'] })).toBe(true);
  });

  test(`URLs longer than ${MAX_URL_LENGTH} characters are refused unparsed (CVE-2025-27556)`, () => {
    const path = '/' + 'a'.repeat(MAX_URL_LENGTH - 1);
    expect(urlHasAllowedHostAndScheme(path, { allowedHosts })).toBe(true);
    expect(urlHasAllowedHostAndScheme(path + 'a', { allowedHosts })).toBe(false);
  });

  test('any iterable of hosts is accepted, and a string is one host, not its characters', () => {
    function* hosts() {
      yield 'a.example';
      yield 'testserver';
    }
    expect(urlHasAllowedHostAndScheme('https://testserver/', { allowedHosts: hosts() })).toBe(true);
    expect(urlHasAllowedHostAndScheme('https://t/', { allowedHosts: 'testserver' })).toBe(false);
  });
});
