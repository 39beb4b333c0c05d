/**
 * Django's tests/httpwrappers/tests.py, translated: django/django at commit
 * 0bd2c0c9015b53c41394a1c0989afbfd94dc2830 (the newest version read_file gave). One test per
 * Django test method, by its Django name, in a describe block per TestCase class.
 *
 * Mapping: `q["k"]` is `q.getItem('k')`, `q["k"] = v` is `q.setItem('k', v)`, `"k" in q` is
 * `q.has('k')`, `len(q)` is `q.size`; Django's KeyError is MultiValueDictKeyError and its
 * AttributeError for an immutable QueryDict is ImmutableQueryDictError. Two QueryDicts are equal
 * when their `lists()` are. `response["X"]` is `getHeader`/`setHeader`/`deleteHeader`;
 * `repr(response)` is `String(response)` (`statusCode=`). `list(streaming)` collects
 * `streamingContent`; `bytes(streaming)` is `serializeHeaders()`. `parse_cookie` is the parser
 * behind `request.COOKIES` (`parseCookieHeader`); `SimpleCookie` output is `setCookie`'s.
 *
 * Not translated (no counterpart):
 * - QueryDictTests.test_pickle, CookieTests.test_pickle: Python pickling.
 * - QueryDictTests.test_fromkeys_with_nondefault_encoding: keys and values given as UTF-16
 *   bytes; a QueryDict holds strings (bytes vs str).
 * - HttpResponseTests.test_iterator_isnt_rewound: iterating a response (`iter(r)`) is the WSGI
 *   server's protocol; a buffered body is `content` here. The same for the `b"".join(r)` lines
 *   of test_iter_content (the rest of it is translated).
 * - HttpResponseTests.test_lazy_content, HttpResponseSubclassesTests.test_redirect_lazy:
 *   Django's lazy strings.
 * - The bytes keys and values of test_headers_type, test_encoded_with_newlines_in_headers and
 *   HttpResponseHeadersTestCase.test_headers_bytestring: header names and values are strings
 *   here (bytes vs str).
 * - HttpResponseSubclassesTests.test_invalid_redirect_repr's repr of an object whose
 *   `__init__` failed (`__new__` without `__init__`, Python-specific); its error is translated.
 * - JsonResponseTests.test_json_response_uuid: JavaScript has no UUID type (a UUID is a string).
 * - StreamingHttpResponseTests.test_async_streaming_response_warning and
 *   test_sync_streaming_response_warning: Django's warnings when a WSGI server reads an async
 *   iterator, or an ASGI server a sync one; one server here reads both (`for await`).
 * - FileCloseTests.test_response: an open file given to HttpResponse is read and closed; here
 *   HttpResponse refuses a stream (it is StreamingHttpResponse's or FileResponse's).
 * - CookieTests.test_samesite, test_httponly_after_load, test_load_dict: Python's SimpleCookie
 *   (a Set-Cookie parser and editor); responses set cookies with `setCookie`.
 */
import { once } from 'node:events';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadHeaderError, DisallowedRedirect, ImmutableQueryDictError, MultiValueDictKeyError } from '../../src/http/errors';
import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse } from '../../src/http/json-response';
import { QueryDict } from '../../src/http/query-dict';
import { parseCookieHeader } from '../../src/http/request-cookies';
import {
  HttpResponseNotAllowed,
  HttpResponseNotModified,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
} from '../../src/http/response-subclasses';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';

/** Django's `assertContains(response, text, status_code=...)`. */
function assertContains(response: HttpResponse, text: string, statusCode = 200): void {
  expect(response.statusCode).toBe(statusCode);
  expect(response.text).toContain(text);
}

async function list(iterable: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

function expectImmutable(action: () => unknown): void {
  expect(action).toThrow(ImmutableQueryDictError);
}

describe('QueryDictTests', () => {
  it('test_create_with_no_args', () => {
    expect(new QueryDict().lists()).toEqual(new QueryDict('').lists());
  });

  it('test_missing_key', () => {
    expect(() => new QueryDict().getItem('foo')).toThrow(MultiValueDictKeyError);
  });

  it('test_immutability', () => {
    const q = new QueryDict();
    expectImmutable(() => q.setItem('something', 'bar'));
    expectImmutable(() => q.setList('foo', ['bar']));
    expectImmutable(() => q.appendList('foo', 'bar'));
    expectImmutable(() => q.update({ foo: 'bar' }));
    expectImmutable(() => q.pop('foo'));
    expectImmutable(() => q.popItem());
    expectImmutable(() => q.clear());
  });

  it('test_immutable_get_with_default', () => {
    expect(new QueryDict().get('foo', 'default')).toBe('default');
  });

  it('test_immutable_basic_operations', () => {
    const q = new QueryDict();
    expect(q.getList('foo')).toEqual([]);
    expect(q.has('foo')).toBe(false);
    expect([...q]).toEqual([]);
    expect(q.items()).toEqual([]);
    expect(q.lists()).toEqual([]);
    expect(q.keys()).toEqual([]);
    expect(q.values()).toEqual([]);
    expect(q.size).toBe(0);
    expect(q.urlencode()).toBe('');
  });

  it('test_single_key_value: a QueryDict with one key/value pair', () => {
    const q = new QueryDict('foo=bar');
    expect(q.getItem('foo')).toBe('bar');
    expect(() => q.getItem('bar')).toThrow(MultiValueDictKeyError);
    expectImmutable(() => q.setItem('something', 'bar'));

    expect(q.get('foo', 'default')).toBe('bar');
    expect(q.get('bar', 'default')).toBe('default');
    expect(q.getList('foo')).toEqual(['bar']);
    expect(q.getList('bar')).toEqual([]);

    expectImmutable(() => q.setList('foo', ['bar']));
    expectImmutable(() => q.appendList('foo', 'bar'));

    expect(q.has('foo')).toBe(true);
    expect(q.has('bar')).toBe(false);

    expect([...q]).toEqual(['foo']);
    expect(q.items()).toEqual([['foo', 'bar']]);
    expect(q.lists()).toEqual([['foo', ['bar']]]);
    expect(q.keys()).toEqual(['foo']);
    expect(q.values()).toEqual(['bar']);
    expect(q.size).toBe(1);

    expectImmutable(() => q.update({ foo: 'bar' }));
    expectImmutable(() => q.pop('foo'));
    expectImmutable(() => q.popItem());
    expectImmutable(() => q.clear());
    expectImmutable(() => q.setDefault('foo', 'bar'));

    expect(q.urlencode()).toBe('foo=bar');
  });

  it('test_urlencode', () => {
    let q = new QueryDict(null, { mutable: true });
    q.setItem('next', '/a&b/');
    expect(q.urlencode()).toBe('next=%2Fa%26b%2F');
    expect(q.urlencode('/')).toBe('next=/a%26b/');
    q = new QueryDict(null, { mutable: true });
    q.setItem('next', '/t\xebst&key/');
    expect(q.urlencode()).toBe('next=%2Ft%C3%ABst%26key%2F');
    expect(q.urlencode('/')).toBe('next=/t%C3%ABst%26key/');
  });

  it('test_urlencode_int: a number set by mistake is written as text', () => {
    const q = new QueryDict(null, { mutable: true });
    q.setItem('a', 1 as unknown as string);
    expect(q.urlencode()).toBe('a=1');
  });

  it('test_mutable_copy: a copy of a QueryDict is mutable', () => {
    const q = new QueryDict().copy();
    expect(() => q.getItem('foo')).toThrow(MultiValueDictKeyError);
    q.setItem('name', 'john');
    expect(q.getItem('name')).toBe('john');
  });

  it('test_mutable_delete', () => {
    const q = new QueryDict(null, { mutable: true });
    q.setItem('name', 'john');
    q.delete('name');
    expect(q.has('name')).toBe(false);
  });

  it('test_basic_mutable_operations', () => {
    const q = new QueryDict(null, { mutable: true });
    q.setItem('name', 'john');
    expect(q.get('foo', 'default')).toBe('default');
    expect(q.get('name', 'default')).toBe('john');
    expect(q.getList('name')).toEqual(['john']);
    expect(q.getList('foo')).toEqual([]);

    q.setList('foo', ['bar', 'baz']);
    expect(q.get('foo', 'default')).toBe('baz');
    expect(q.getList('foo')).toEqual(['bar', 'baz']);

    q.appendList('foo', 'another');
    expect(q.getList('foo')).toEqual(['bar', 'baz', 'another']);
    expect(q.getItem('foo')).toBe('another');
    expect(q.has('foo')).toBe(true);

    expect([...q].sort()).toEqual(['foo', 'name']);
    expect(q.items().sort()).toEqual([['foo', 'another'], ['name', 'john']]);
    expect(q.lists().sort()).toEqual([['foo', ['bar', 'baz', 'another']], ['name', ['john']]]);
    expect(q.keys().sort()).toEqual(['foo', 'name']);
    expect(q.values().sort()).toEqual(['another', 'john']);

    q.update({ foo: 'hello' });
    expect(q.getItem('foo')).toBe('hello');
    expect(q.get('foo', 'not available')).toBe('hello');
    expect(q.getList('foo')).toEqual(['bar', 'baz', 'another', 'hello']);
    expect(q.pop('foo')).toEqual(['bar', 'baz', 'another', 'hello']);
    expect(q.pop('foo', 'not there')).toBe('not there');
    expect(q.get('foo', 'not there')).toBe('not there');
    expect(q.setDefault('foo', 'bar')).toBe('bar');
    expect(q.getItem('foo')).toBe('bar');
    expect(q.getList('foo')).toEqual(['bar']);
    expect(['foo=bar&name=john', 'name=john&foo=bar']).toContain(q.urlencode());

    q.clear();
    expect(q.size).toBe(0);
  });

  it('test_multiple_keys: a QueryDict with two key/value pairs with the same key', () => {
    const q = new QueryDict('vote=yes&vote=no');
    expect(q.getItem('vote')).toBe('no');
    expectImmutable(() => q.setItem('something', 'bar'));

    expect(q.get('vote', 'default')).toBe('no');
    expect(q.get('foo', 'default')).toBe('default');
    expect(q.getList('vote')).toEqual(['yes', 'no']);
    expect(q.getList('foo')).toEqual([]);

    expectImmutable(() => q.setList('foo', ['bar', 'baz']));
    expectImmutable(() => q.appendList('foo', 'bar'));

    expect(q.has('vote')).toBe(true);
    expect(q.has('foo')).toBe(false);
    expect([...q]).toEqual(['vote']);
    expect(q.items()).toEqual([['vote', 'no']]);
    expect(q.lists()).toEqual([['vote', ['yes', 'no']]]);
    expect(q.keys()).toEqual(['vote']);
    expect(q.values()).toEqual(['no']);
    expect(q.size).toBe(1);

    expectImmutable(() => q.update({ foo: 'bar' }));
    expectImmutable(() => q.pop('foo'));
    expectImmutable(() => q.popItem());
    expectImmutable(() => q.clear());
    expectImmutable(() => q.setDefault('foo', 'bar'));
    expectImmutable(() => q.delete('vote'));
  });

  it('test_update_from_querydict: QueryDict.update(QueryDict) (#8278)', () => {
    const x = new QueryDict('a=1&a=2', { mutable: true });
    const y = new QueryDict('a=3&a=4');
    x.update(y);
    expect(x.getList('a')).toEqual(['1', '2', '3', '4']);
  });

  it('test_non_default_encoding: a QueryDict with a non-default encoding (#13572)', () => {
    let q = new QueryDict('cur=%A4', { encoding: 'iso-8859-15' });
    expect(q.encoding).toBe('iso-8859-15');
    expect(q.items()).toEqual([['cur', '€']]);
    expect(q.urlencode()).toBe('cur=%A4');
    q = q.copy();
    expect(q.encoding).toBe('iso-8859-15');
    expect(q.items()).toEqual([['cur', '€']]);
    expect(q.urlencode()).toBe('cur=%A4');
    expect(q.copy().encoding).toBe('iso-8859-15');
  });

  it('test_querydict_fromkeys', () => {
    expect(QueryDict.fromKeys(['key1', 'key2', 'key3']).lists()).toEqual(new QueryDict('key1&key2&key3').lists());
  });

  it('test_fromkeys_with_nonempty_value', () => {
    expect(QueryDict.fromKeys(['key1', 'key2', 'key3'], 'val').lists()).toEqual(
      new QueryDict('key1=val&key2=val&key3=val').lists(),
    );
  });

  it('test_fromkeys_is_immutable_by_default', () => {
    const q = QueryDict.fromKeys(['key1', 'key2', 'key3']);
    expect(() => q.setItem('key4', 'nope')).toThrow(new ImmutableQueryDictError('This QueryDict instance is immutable'));
  });

  it('test_fromkeys_mutable_override', () => {
    const q = QueryDict.fromKeys(['key1', 'key2', 'key3'], '', { mutable: true });
    q.setItem('key4', 'yep');
    expect(q.lists()).toEqual(new QueryDict('key1&key2&key3&key4=yep').lists());
  });

  it('test_duplicates_in_fromkeys_iterable', () => {
    expect(QueryDict.fromKeys('xyzzy').lists()).toEqual(new QueryDict('x&y&z&z&y').lists());
  });

  it('test_fromkeys_empty_iterable', () => {
    expect(QueryDict.fromKeys([]).lists()).toEqual(new QueryDict('').lists());
  });

  it('test_fromkeys_noniterable', () => {
    expect(() => QueryDict.fromKeys(0 as unknown as string[])).toThrow(TypeError);
  });
});

describe('HttpResponseTests', () => {
  it('test_headers_type', () => {
    let r = new HttpResponse();

    // ASCII strings are kept as they are.
    r.headers.set('key', 'test');
    expect(r.headers.get('key')).toBe('test');
    expect(r.serializeHeaders().includes(Buffer.from('test'))).toBe(true);

    // Non-ASCII values are serialized to Latin-1.
    r.headers.set('key', 'café');
    expect(r.serializeHeaders().includes(Buffer.from('café', 'latin1'))).toBe(true);

    // Other Unicode values are MIME-encoded.
    r.headers.set('key', '†');
    expect(r.headers.get('key')).toBe('=?utf-8?b?4oCg?=');
    expect(r.serializeHeaders().includes(Buffer.from('=?utf-8?b?4oCg?='))).toBe(true);

    // Names must be ASCII.
    r = new HttpResponse();
    r.headers.delete('Content-Type');
    r.headers.set('foo', 'bar');
    expect([...r.headers.entries()]).toEqual([['foo', 'bar']]);

    r = new HttpResponse();
    expect(() => r.headers.set('føø', 'bar')).toThrow(BadHeaderError);
  });

  it('test_long_line: long values are not folded onto new lines (#20889, #10188)', () => {
    const h = new HttpResponse();
    const f = Buffer.from('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz a\xcc\x88', 'latin1').toString('utf8');
    h.headers.set('Content-Disposition', `attachment; filename="${f}"`);
    // Python's bpo-20747 inserted a newline here.
    h.headers.set('Content-Disposition', 'attachment; filename="EdelRot_Blu\u0308te (3)-0.JPG"');
    expect(h.headers.get('Content-Disposition')).not.toMatch(/[\r\n]/);
  });

  it('test_newlines_in_headers: no CR or LF in headers (#10188)', () => {
    const r = new HttpResponse();
    expect(() => r.headers.set('test\rstr', 'test')).toThrow(BadHeaderError);
    expect(() => r.headers.set('test\nstr', 'test')).toThrow(BadHeaderError);
  });

  it('test_encoded_with_newlines_in_headers: non-ASCII keys and values are still checked for newlines', () => {
    const r = new HttpResponse();
    for (const [key, value] of [['†\nother', 'test'], ['test', '†\nother']]) {
      expect(() => r.setHeader(key, value)).toThrow(BadHeaderError);
      expect(() => r.setHeader(key, value)).toThrow("Header values can't contain newlines");
    }
  });

  it('test_dict_behavior: getHeader works like dict.get (#14020)', () => {
    expect(new HttpResponse().getHeader('test')).toBeUndefined();
  });

  it('test_non_string_content: a number as content (#16494)', () => {
    let r = new HttpResponse(12345 as unknown as string);
    expect(r.content).toEqual(Buffer.from('12345'));
    r = new HttpResponse();
    r.content = 12345 as unknown as string;
    expect(r.content).toEqual(Buffer.from('12345'));
  });

  it('test_memoryview_content: a view over part of an ArrayBuffer', () => {
    const backing = Buffer.from('xxmemoryviewyy');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 10);
    expect(new HttpResponse(view).content).toEqual(Buffer.from('memoryview'));
  });

  it('test_iter_content', () => {
    let r = new HttpResponse(['abc', 'def', 'ghi']);
    expect(r.content).toEqual(Buffer.from('abcdefghi'));

    r = new HttpResponse();
    r.content = ['idan', 'alex', 'jacob'];
    expect(r.content).toEqual(Buffer.from('idanalexjacob'));

    r = new HttpResponse();
    r.content = [1, 2, 3] as unknown as string[];
    expect(r.content).toEqual(Buffer.from('123'));

    r = new HttpResponse();
    r.content = ['1', '2', 3, '\u079e'] as unknown as string[];
    expect(r.content).toEqual(Buffer.from([0x31, 0x32, 0x33, 0xde, 0x9e]));

    // content can safely be read several times.
    r = new HttpResponse(['hello', 'world'][Symbol.iterator]());
    expect(r.content).toEqual(r.content);
    expect(r.content).toEqual(Buffer.from('helloworld'));

    // Content can be written after a body given as an iterator.
    r = new HttpResponse(['hello', 'world'][Symbol.iterator]());
    expect(r.content).toEqual(Buffer.from('helloworld'));
    r.write('!');
    expect(r.content).toEqual(Buffer.from('helloworld!'));
  });

  it('test_file_interface', () => {
    let r = new HttpResponse();
    r.write(Buffer.from('hello'));
    expect(r.tell()).toBe(5);
    r.write('привет');
    expect(r.tell()).toBe(17);

    r = new HttpResponse(['abc']);
    r.write('def');
    expect(r.tell()).toBe(6);
    expect(r.content).toEqual(Buffer.from('abcdef'));

    // with a Content-Encoding header
    r = new HttpResponse();
    r.headers.set('Content-Encoding', 'winning');
    r.write(Buffer.from('abc'));
    r.write(Buffer.from('def'));
    expect(r.content).toEqual(Buffer.from('abcdef'));
  });

  it('test_stream_interface', () => {
    let r = new HttpResponse('asdf');
    expect(r.getValue()).toEqual(Buffer.from('asdf'));

    r = new HttpResponse();
    expect(r.writable).toBe(true);
    r.writeLines(['foo\n', 'bar\n', 'baz\n']);
    expect(r.content).toEqual(Buffer.from('foo\nbar\nbaz\n'));
  });

  it('test_unsafe_redirect', () => {
    const badUrls = ['data:text/html,<script>window.alert("xss")</script>', 'mailto:test@example.com', 'file:///etc/passwd'];
    for (const url of badUrls) {
      expect(() => new HttpResponseRedirect(url)).toThrow(DisallowedRedirect);
      expect(() => new HttpResponsePermanentRedirect(url)).toThrow(DisallowedRedirect);
    }
  });

  it('test_header_deletion', () => {
    const r = new HttpResponse('hello');
    r.headers.set('X-Foo', 'foo');
    r.headers.delete('X-Foo');
    expect(r.headers.has('X-Foo')).toBe(false);
    // Deleting a header that is not there does not throw.
    expect(() => r.headers.delete('X-Foo')).not.toThrow();
  });

  it('test_instantiate_with_headers', () => {
    const r = new HttpResponse('hello', { headers: { 'X-Foo': 'foo' } });
    expect(r.headers.get('X-Foo')).toBe('foo');
    expect(r.headers.get('x-foo')).toBe('foo');
  });

  it('test_content_type', () => {
    expect(new HttpResponse('hello', { contentType: 'application/json' }).headers.get('Content-Type')).toBe('application/json');
  });

  it('test_content_type_headers', () => {
    const r = new HttpResponse('hello', { headers: { 'Content-Type': 'application/json' } });
    expect(r.headers.get('Content-Type')).toBe('application/json');
  });

  it('test_content_type_mutually_exclusive', () => {
    expect(() => new HttpResponse('hello', { contentType: 'application/json', headers: { 'Content-Type': 'text/csv' } })).toThrow(
      "'headers' must not contain 'Content-Type' when the 'contentType' parameter is provided.",
    );
  });
});

describe('HttpResponseSubclassesTests', () => {
  it('test_redirect', () => {
    let response = new HttpResponseRedirect('/redirected/');
    expect(response.statusCode).toBe(302);
    // HttpResponse's content can be given too.
    response = new HttpResponseRedirect('/redirected/', { content: 'The resource has temporarily moved' });
    assertContains(response, 'The resource has temporarily moved', 302);
    expect(response.url).toBe(response.headers.get('Location'));
  });

  it('test_redirect_repr', () => {
    expect(String(new HttpResponseRedirect('/redirected/'))).toBe(
      '<HttpResponseRedirect statusCode=302, "text/html; charset=utf-8", url="/redirected/">',
    );
  });

  it('test_invalid_redirect_repr: the error names the scheme', () => {
    expect(() => new HttpResponseRedirect('ssh://foo')).toThrow(new DisallowedRedirect("Unsafe redirect to URL with protocol 'ssh'"));
  });

  it('test_not_modified', () => {
    const response = new HttpResponseNotModified();
    expect(response.statusCode).toBe(304);
    // A 304 has no content and no Content-Type.
    expect(() => {
      response.content = 'Hello dear';
    }).toThrow('You cannot set content to a 304 (Not Modified) response');
    expect(response.hasHeader('content-type')).toBe(false);
  });

  it('test_not_modified_repr', () => {
    expect(String(new HttpResponseNotModified())).toBe('<HttpResponseNotModified statusCode=304>');
  });

  it('test_not_allowed', () => {
    let response = new HttpResponseNotAllowed(['GET']);
    expect(response.statusCode).toBe(405);
    // HttpResponse's content can be given too.
    response = new HttpResponseNotAllowed(['GET'], 'Only the GET method is allowed');
    assertContains(response, 'Only the GET method is allowed', 405);
  });

  it('test_not_allowed_repr', () => {
    const response = new HttpResponseNotAllowed(['GET', 'OPTIONS'], undefined, { contentType: 'text/plain' });
    expect(String(response)).toBe('<HttpResponseNotAllowed [GET, OPTIONS] statusCode=405, "text/plain">');
  });

  it('test_not_allowed_repr_no_content_type', () => {
    const response = new HttpResponseNotAllowed(['GET', 'POST']);
    response.headers.delete('Content-Type');
    expect(String(response)).toBe('<HttpResponseNotAllowed [GET, POST] statusCode=405>');
  });
});

describe('JsonResponseTests', () => {
  it('test_json_response_non_ascii', () => {
    const data = { key: 'łóżko' };
    expect(JSON.parse(new JsonResponse(data).text)).toEqual(data);
  });

  it('test_json_response_raises_type_error_with_default_setting', () => {
    expect(() => new JsonResponse([1, 2, 3])).toThrow(
      new TypeError('In order to allow non-dict objects to be serialized set the safe option to false ({ safe: false }).'),
    );
  });

  it('test_json_response_text', () => {
    expect(JSON.parse(new JsonResponse('foobar', { safe: false }).text)).toBe('foobar');
  });

  it('test_json_response_list', () => {
    expect(JSON.parse(new JsonResponse(['foo', 'bar'], { safe: false }).text)).toEqual(['foo', 'bar']);
  });

  it('test_json_response_custom_encoder', () => {
    // Django's encoder class overrides encode(); the encoder here is a replacer, called first
    // for the whole value (key '').
    const response = new JsonResponse({}, { encoder: (key, value) => (key === '' ? { foo: 'bar' } : value) });
    expect(JSON.parse(response.text)).toEqual({ foo: 'bar' });
  });

  it('test_json_response_passing_arguments_to_json_dumps', () => {
    const response = new JsonResponse({ foo: 'bar' }, { jsonDumpsParams: { indent: 2 } });
    expect(response.text).toBe('{\n  "foo": "bar"\n}');
  });
});

describe('StreamingHttpResponseTests', () => {
  it('test_streaming_response', async () => {
    let r = new StreamingHttpResponse(['hello', 'world'][Symbol.iterator]());

    // Iterating over the response gives bytes.
    const chunks = await list(r.streamingContent);
    expect(chunks).toEqual([Buffer.from('hello'), Buffer.from('world')]);
    for (const chunk of chunks) expect(Buffer.isBuffer(chunk)).toBe(true);

    // And the response can only be iterated once...
    expect(await list(r.streamingContent)).toEqual([]);

    // ...even when a list, which could be iterated many times, is given as content.
    r = new StreamingHttpResponse(['abc', 'def']);
    expect(await list(r.streamingContent)).toEqual([Buffer.from('abc'), Buffer.from('def')]);
    expect(await list(r.streamingContent)).toEqual([]);

    // Strings still come out as bytes.
    r.streamingContent = ['hello', 'café'][Symbol.iterator]();
    expect(await list(r.streamingContent)).toEqual([Buffer.from('hello'), Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9])]);

    // A streaming response has no `content`, and it cannot be set.
    expect(() => r.content).toThrow(Error);
    expect(() => {
      r.content = 'xyz';
    }).toThrow(Error);

    // But it has `streamingContent`, which can be wrapped or replaced.
    r.streamingContent = ['abc', 'def'][Symbol.iterator]();
    const inner = r.streamingContent;
    r.streamingContent = (async function* upper() {
      for await (const chunk of inner) yield chunk.toString().toUpperCase();
    })();
    expect(await list(r.streamingContent)).toEqual([Buffer.from('ABC'), Buffer.from('DEF')]);

    // Its bytes are only the headers, and they leave the body alone.
    r = new StreamingHttpResponse(['hello', 'world'][Symbol.iterator]());
    expect(r.serializeHeaders()).toEqual(Buffer.from('Content-Type: text/html; charset=utf-8'));
    expect(await list(r.streamingContent)).toEqual([Buffer.from('hello'), Buffer.from('world')]);

    // Content cannot be written to it...
    r = new StreamingHttpResponse(['hello', 'world'][Symbol.iterator]());
    expect(() => r.write('!')).toThrow(Error);
    // ...and it cannot tell its position.
    expect(() => r.tell()).toThrow(Error);

    r = new StreamingHttpResponse(['hello', 'world'][Symbol.iterator]());
    expect(r.getValue()).toEqual(Buffer.from('helloworld'));
  });

  it('test_repr', () => {
    const r = new StreamingHttpResponse(['hello', 'café'][Symbol.iterator]());
    expect(String(r)).toBe('<StreamingHttpResponse statusCode=200, "text/html; charset=utf-8">');
  });

  it('test_async_streaming_response', async () => {
    async function* asyncIter() {
      yield Buffer.from('hello');
      yield Buffer.from('world');
    }
    const r = new StreamingHttpResponse(asyncIter());
    expect(await list(r.streamingContent)).toEqual([Buffer.from('hello'), Buffer.from('world')]);
  });
});

describe('FileCloseTests', () => {
  let dir: string;
  let filename: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reinhardt-django-httpwrappers-'));
    filename = join(dir, 'abc.txt');
    writeFileSync(filename, 'random content\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('test_streaming_response', async () => {
    // The file is not closed until the response is.
    let file1 = createReadStream(filename);
    let r = new StreamingHttpResponse(file1);
    expect(file1.destroyed).toBe(false);
    r.close();
    expect(file1.destroyed).toBe(true);

    // When several files are given as content, they are all closed with the response.
    file1 = createReadStream(filename);
    const file2 = createReadStream(filename);
    r = new StreamingHttpResponse(file1);
    r.streamingContent = file2;
    expect(file1.destroyed).toBe(false);
    expect(file2.destroyed).toBe(false);
    r.close();
    expect(file1.destroyed).toBe(true);
    expect(file2.destroyed).toBe(true);
    // Their descriptors are closed once the opening that was under way is done.
    await Promise.all([once(file1, 'close'), once(file2, 'close')]);
  });
});

describe('CookieTests', () => {
  it('test_encode: semicolons and commas are encoded', () => {
    const r = new HttpResponse();
    r.setCookie('test', 'An,awkward;value');
    const pair = r.cookies.get('test')!.serialized.split('; ')[0];
    expect(pair).not.toContain(';'); // IE compat
    expect(pair).not.toContain(','); // Safari compat
  });

  it('test_decode: semicolons and commas are decoded', () => {
    const r = new HttpResponse();
    r.setCookie('test', 'An,awkward;value');
    const pair = r.cookies.get('test')!.serialized.split('; ')[0];
    expect(parseCookieHeader(pair).test).toBe('An,awkward;value');
  });

  it('test_nonstandard_keys: a single non-standard cookie name does not affect all cookies (#13007)', () => {
    expect(parseCookieHeader('good_cookie=yes;bad:cookie=yes')).toHaveProperty('good_cookie');
  });

  it('test_repeated_nonstandard_keys: a repeated non-standard name does not affect all cookies (#15852)', () => {
    expect(parseCookieHeader('a:=b; a:=c; good_cookie=yes')).toHaveProperty('good_cookie');
  });

  it("test_python_cookies: Python's Lib/test/test_http_cookies.py cases", () => {
    expect({ ...parseCookieHeader('chips=ahoy; vienna=finger') }).toEqual({ chips: 'ahoy', vienna: 'finger' });
    // Every semicolon is a delimiter, even within quotes.
    expect({ ...parseCookieHeader('keebler="E=mc2; L=\\"Loves\\"; fudge=\\012;"') }).toEqual({
      keebler: '"E=mc2',
      L: '\\"Loves\\"',
      fudge: '\\012',
      '': '"',
    });
    // Illegal cookies that have an '=' char in an unquoted value.
    expect({ ...parseCookieHeader('keebler=E=mc2') }).toEqual({ keebler: 'E=mc2' });
    // Cookies with ':' in their name.
    expect({ ...parseCookieHeader('key:term=value:term') }).toEqual({ 'key:term': 'value:term' });
    // Cookies with '[' and ']'.
    expect({ ...parseCookieHeader('a=b; c=[; d=r; f=h') }).toEqual({ a: 'b', c: '[', d: 'r', f: 'h' });
  });

  it('test_cookie_edgecases', () => {
    // Cookies that RFC 6265 allows.
    expect({ ...parseCookieHeader('a=b; Domain=example.com') }).toEqual({ a: 'b', Domain: 'example.com' });
    // A repeated name: Django's dict keeps the last; COOKIES keeps the first, the one with the
    // most specific path (RFC 6265 §5.4; docs/differences-from-django.md).
    expect({ ...parseCookieHeader('a=b; h=i; a=c') }).toEqual({ a: 'b', h: 'i' });
  });

  it('test_invalid_cookies: what browsers send for cookies set through document.cookie', () => {
    // Chunks without an equals sign are unnamed values (Mozilla bug 169091).
    expect(parseCookieHeader('abc=def; unnamed; django_language=en')).toHaveProperty('django_language');
    // Even a double quote may be an unnamed value.
    expect({ ...parseCookieHeader('a=b; "; c=d') }).toEqual({ a: 'b', '': '"', c: 'd' });
    // Spaces in names and values, and an equals sign in values.
    expect({ ...parseCookieHeader('a b c=d e = f; gh=i') }).toEqual({ 'a b c': 'd e = f', gh: 'i' });
    // More characters the spec forbids.
    expect({ ...parseCookieHeader('a   b,c<>@:/[]?{}=d  "  =e,f g') }).toEqual({ 'a   b,c<>@:/[]?{}': 'd  "  =e,f g' });
    // Unicode characters (the spec allows only ASCII).
    expect({ ...parseCookieHeader('saint=André Bessette') }).toEqual({ saint: 'André Bessette' });
    // Whitespace and empty chunks as document.cookie parses them.
    expect({ ...parseCookieHeader('  =  b  ;  ;  =  ;   c  =  ;  ') }).toEqual({ '': 'b', c: '' });
  });
});

describe('HttpResponseHeadersTestCase', () => {
  it('test_headers', () => {
    const response = new HttpResponse();
    response.setHeader('X-Foo', 'bar');
    expect(response.getHeader('X-Foo')).toBe('bar');
    expect(response.headers.get('X-Foo')).toBe('bar');
    expect(response.hasHeader('X-Foo')).toBe(true);
    response.deleteHeader('X-Foo');
    expect(response.hasHeader('X-Foo')).toBe(false);
    expect(response.headers.has('X-Foo')).toBe(false);
    // Deleting a header that is not there does not throw.
    expect(() => response.deleteHeader('X-Foo')).not.toThrow();
  });

  it('test_headers_as_iterable_of_tuple_pairs', () => {
    const response = new HttpResponse(undefined, { headers: [['X-Foo', 'bar']] });
    expect(response.getHeader('X-Foo')).toBe('bar');
  });

  it('test_newlines_in_headers', () => {
    const response = new HttpResponse();
    expect(() => response.setHeader('test\rstr', 'test')).toThrow(BadHeaderError);
    expect(() => response.setHeader('test\nstr', 'test')).toThrow(BadHeaderError);
  });
});
