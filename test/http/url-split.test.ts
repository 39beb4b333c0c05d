/**
 * urlSplit / urlUnsplit against Python's urllib.parse, with cases from CPython's
 * Lib/test/test_urlparse.py (test_urlsplit_remove_unsafe_bytes, test_urlsplit_strip_url,
 * test_splitting_bracketed_hosts, test_invalid_bracketed_hosts, test_urlsplit_normalization,
 * test_RFC3986 round trips). Expected values checked with CPython's own urlsplit; the bracketed
 * host rules are CPython 3.13's (CVE-2024-11168: `prefix.[v6a.ip]` and `[v6a.ip].suffix` raise).
 */
import { urlSplit, urlUnsplit } from '../../src/http/url-split';

function parts(url: string): [string, string, string, string, string] | null {
  const split = urlSplit(url);
  return split === null ? null : [split.scheme, split.netloc, split.path, split.query, split.fragment];
}

describe('urlSplit (Python urllib.parse.urlsplit)', () => {
  test.each([
    ['http://www.python.org', ['http', 'www.python.org', '', '', '']],
    ['http://www.python.org#abc', ['http', 'www.python.org', '', '', 'abc']],
    ['http://www.python.org?q=abc', ['http', 'www.python.org', '', 'q=abc', '']],
    ['http://a/b/c/d;p?q', ['http', 'a', '/b/c/d;p', 'q', '']],
    ['HTTPS://user@example.com:8443/p?q=1#f', ['https', 'user@example.com:8443', '/p', 'q=1', 'f']],
    ['a/b?c#d?e', ['', '', 'a/b', 'c', 'd?e']],
    ['//example.com/', ['', 'example.com', '/', '', '']],
    ['https://', ['https', '', '', '', '']],
    ['http://http://www.example.com/', ['http', 'http:', '//www.example.com/', '', '']],
    ['mailto:1337@example.org', ['mailto', '', '1337@example.org', '', '']],
    ['javascript:alert(1)', ['javascript', '', 'alert(1)', '', '']],
    // Since Python 3.9 a digits-only "path" after the colon no longer stops the scheme.
    ['path:80', ['path', '', '80', '', '']],
    // Not scheme characters before the colon: all path.
    ['ht&tp://example.com', ['', '', 'ht&tp://example.com', '', '']],
    ['1http://example.com', ['', '', '1http://example.com', '', '']],
  ] as const)('%j', (url, expected) => {
    expect(parts(url)).toEqual(expected);
  });

  test('test_urlsplit_remove_unsafe_bytes: tab, CR and LF are removed anywhere (bpo-43882)', () => {
    const url = "http\t://www.python\n.org\t/java\nscript:\talert('msg\r\n')/?query\n=\tsomething#frag\nment";
    expect(parts(url)).toEqual(['http', 'www.python.org', "/javascript:alert('msg')/", 'query=something', 'fragment']);
  });

  test('test_urlsplit_strip_url: leading C0 controls and spaces are dropped, trailing ones kept', () => {
    expect(parts('\x00\x1f \x1e\x1f  http://www.python.org/x?y#z  ')).toEqual(['http', 'www.python.org', '/x', 'y', 'z  ']);
    expect(parts('\x08//evil.com')).toEqual(['', 'evil.com', '', '', '']);
  });

  test('test_splitting_bracketed_hosts: IPv6, scoped IPv6 and IPvFuture hosts', () => {
    expect(parts('scheme://user@[v6a.ip]/path?query')).toEqual(['scheme', 'user@[v6a.ip]', '/path', 'query', '']);
    expect(parts('scheme://user@[0439:23af:2309::fae7%test]/path?query')).toEqual([
      'scheme', 'user@[0439:23af:2309::fae7%test]', '/path', 'query', '',
    ]);
    expect(parts('Scheme://user@[::1]:8080')).toEqual(['scheme', 'user@[::1]:8080', '', '', '']);
  });

  test.each([
    'Scheme://user@[v6a.ip',
    'Scheme://user@v6a.ip]',
    'Scheme://user@[127.0.0.1]',
    'Scheme://user@[0439:23af::2309::fae7:1234]',
    'Scheme://user@]v6a.ip[',
    'Scheme://user@prefix.[v6a.ip]',
    'Scheme://user@[v6a.ip].suffix',
    'Scheme://user@[v6a.ip]x:80',
    'Scheme://user@[vxyz.ip]',
    'https://[',
    // Brackets only in the userinfo: the host after '@' must then be an address itself.
    'http://[::1]@example.com/',
  ])('test_invalid_bracketed_hosts: %j is a ValueError (null)', (url) => {
    expect(urlSplit(url)).toBeNull();
  });

  test.each(['http://www.python\u2100.org', 'http://\u2100/', 'http://[::1]:80\u2100', 'http://a:b@\uff03x'])(
    'test_urlsplit_normalization: %j gains a delimiter under NFKC, a ValueError (CVE-2019-9636)',
    (url) => {
      expect(urlSplit(url)).toBeNull();
    },
  );

  test('a non-ASCII netloc stable under NFKC is kept', () => {
    expect(parts('http://www.python.org\u00e9/')).toEqual(['http', 'www.python.org\u00e9', '/', '', '']);
  });
});

describe('urlUnsplit (Python urllib.parse.urlunsplit)', () => {
  test.each([
    'http://www.python.org',
    'http://a/b/c/d;p?q',
    'https://example.com/a?x=1#f',
    '//example.com/',
    'a/b?c#d?e',
    'mailto:1337@example.org',
    'path:80',
  ])('round trip of %j', (url) => {
    expect(urlUnsplit(urlSplit(url)!)).toBe(url);
  });

  test('an empty query or fragment is left out; a relative path after a netloc gets its slash', () => {
    expect(urlUnsplit({ scheme: 'https', netloc: 'a', path: 'b', query: '', fragment: '' })).toBe('https://a/b');
    expect(urlUnsplit(urlSplit('https://a/b?#')!)).toBe('https://a/b');
  });

  // The '//x' path case is CPython 3.12.4+'s urlunsplit (older versions wrote '//x', which reads back as a netloc).
  test("a scheme of uses_netloc keeps its '//' even with an empty netloc; a path starting '//' is protected", () => {
    expect(urlUnsplit({ scheme: 'file', netloc: '', path: '/etc/hosts', query: '', fragment: '' })).toBe('file:///etc/hosts');
    expect(urlUnsplit({ scheme: '', netloc: '', path: '//x', query: '', fragment: '' })).toBe('////x');
    expect(urlUnsplit({ scheme: 'mailto', netloc: '', path: 'a@b', query: '', fragment: '' })).toBe('mailto:a@b');
  });
});
