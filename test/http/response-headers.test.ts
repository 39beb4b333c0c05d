import { BadHeaderError } from '../../src/http/errors';
import { HttpResponse } from '../../src/http/http-response';
import { ResponseHeaders, headerValueToWire, pyRepr } from '../../src/http/response-headers';

describe('ResponseHeaders: the dictionary examples of Django\'s documentation', () => {
  it("response.headers['Age'] = 120 stores the number as text", () => {
    const response = new HttpResponse();
    response.headers.set('Age', 120);
    expect(response.headers.get('Age')).toBe('120');
    expect(response.getHeader('age')).toBe('120');
  });

  it("del response['Age'] removes it, and deleting a missing header is no error", () => {
    const response = new HttpResponse();
    response.headers.set('Age', 120);
    expect(response.headers.delete('Age')).toBe(true);
    expect(response.hasHeader('Age')).toBe(false);
    expect(() => response.deleteHeader('X-PHP')).not.toThrow();
    expect(response.headers.delete('X-PHP')).toBe(false);
  });

  it("HttpResponse(headers={'Age': '120'}) sets headers at construction", () => {
    const response = new HttpResponse('', { headers: { Age: '120', 'X-Frame-Options': 'DENY' } });
    expect(response.headers.get('age')).toBe('120');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it("response['X-DJANGO'] = \"It's the best.\" reads back case-insensitively", () => {
    const response = new HttpResponse();
    response.setHeader('X-DJANGO', "It's the best.");
    expect(response.getHeader('x-django')).toBe("It's the best.");
    expect(response.hasHeader('X-Django')).toBe(true);
  });

  it('setdefault sets only a missing header and returns the value held', () => {
    const response = new HttpResponse();
    expect(response.setDefault('Cache-Control', 'no-cache')).toBe('no-cache');
    expect(response.headers.setDefault('cache-control', 'max-age=60')).toBe('no-cache');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
  });
});

describe('ResponseHeaders: names and iteration', () => {
  it('keeps the first spelling of a name and the order names were first set', () => {
    const headers = new ResponseHeaders();
    headers.set('X-Custom', 'a');
    headers.set('Vary', 'Cookie');
    headers.set('x-custom', 'b');
    expect([...headers]).toEqual([
      ['X-Custom', 'b'],
      ['Vary', 'Cookie'],
    ]);
    expect([...headers.keys()]).toEqual(['X-Custom', 'Vary']);
    expect([...headers.values()]).toEqual(['b', 'Cookie']);
    expect(headers.size).toBe(2);
    expect(headers.toObject()).toEqual({ 'X-Custom': 'b', Vary: 'Cookie' });
  });

  it('a value that spells another header\'s name is never taken for that header', () => {
    const headers = new ResponseHeaders();
    headers.set('X-A', 'x-b');
    headers.set('x-c', 'x-a');
    expect(headers.has('X-B')).toBe(false);
    expect(headers.get('x-b')).toBeUndefined();
    expect(headers.delete('X-B')).toBe(false);
    headers.set('X-B', '1');
    expect(headers.get('x-a')).toBe('x-b');
    expect([...headers]).toEqual([
      ['X-A', 'x-b'],
      ['x-c', 'x-a'],
      ['X-B', '1'],
    ]);
  });

  it('deleting a header keeps the others and their order; set again, it comes last', () => {
    const headers = new ResponseHeaders([['A', '1'], ['B', '2'], ['C', '3']]);
    expect(headers.delete('b')).toBe(true);
    expect([...headers]).toEqual([
      ['A', '1'],
      ['C', '3'],
    ]);
    expect(headers.get('C')).toBe('3');
    expect(headers.size).toBe(2);
    headers.set('b', 'again');
    expect([...headers.keys()]).toEqual(['A', 'C', 'b']);
  });

  it('iterators give the headers as they were when asked for', () => {
    const headers = new ResponseHeaders([['A', '1'], ['B', '2']]);
    const entries = headers.entries();
    const keys = headers.keys();
    headers.delete('A');
    headers.set('C', '3');
    expect([...entries]).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect([...keys]).toEqual(['A', 'B']);
  });

  it('accepts pairs and another ResponseHeaders, copying rather than sharing', () => {
    const original = new ResponseHeaders([['A', '1'], ['B', 2]]);
    const copy = new ResponseHeaders(original);
    copy.set('a', 'changed');
    expect(original.get('A')).toBe('1');
    expect(copy.get('A')).toBe('changed');
    expect(copy.get('b')).toBe('2');
  });
});

describe('ResponseHeaders: header injection and encoding (Django\'s _convert_to_charset)', () => {
  it.each([
    ['a\nb', "Header values can't contain newlines (got 'a\\nb')"],
    ['a\rb', "Header values can't contain newlines (got 'a\\rb')"],
    ["it's\n", "Header values can't contain newlines (got \"it's\\n\")"],
  ])('a value %j with CR or LF throws BadHeaderError: %s', (value, message) => {
    const headers = new ResponseHeaders();
    expect(() => headers.set('X-Test', value)).toThrow(BadHeaderError);
    expect(() => headers.set('X-Test', value)).toThrow(message);
  });

  it('a name with a newline throws BadHeaderError with Django\'s message', () => {
    expect(() => new ResponseHeaders().set('X-Test\n', 'v')).toThrow("Header values can't contain newlines (got 'X-Test\\n')");
  });

  it('a non-ASCII name throws BadHeaderError', () => {
    expect(() => new ResponseHeaders().set('X-Café', 'v')).toThrow(BadHeaderError);
    expect(() => new ResponseHeaders().set('X-Café', 'v')).toThrow("HTTP response header names must be in ASCII format (got 'X-Café')");
  });

  it('a name that is not an HTTP token throws (Node would refuse it when sending)', () => {
    expect(() => new ResponseHeaders().set('X Test', 'v')).toThrow("Header names must be HTTP tokens (got 'X Test')");
    expect(() => new ResponseHeaders().set('', 'v')).toThrow(BadHeaderError);
  });

  it('a value with another control character throws', () => {
    expect(() => new ResponseHeaders().set('X-Test', 'a\u0000b')).toThrow("Header values can't contain control characters (got 'a\\x00b')");
  });

  it('constructor headers are checked too', () => {
    expect(() => new HttpResponse('', { headers: { 'X-Bad': 'a\r\nSet-Cookie: x=1' } })).toThrow(BadHeaderError);
  });

  it('Latin-1 values go out as they are; others as one RFC 2047 word', () => {
    expect(headerValueToWire('café')).toBe('café');
    expect(headerValueToWire('tab\there')).toBe('tab\there');
    expect(headerValueToWire('Ελληνικά')).toBe(`=?utf-8?b?${Buffer.from('Ελληνικά').toString('base64')}?=`);
    expect(headerValueToWire('Ελληνικά')).toBe('=?utf-8?b?zpXOu867zrfOvc65zrrOrA==?=');
    const headers = new ResponseHeaders({ 'X-Name': '€' });
    expect(headers.get('X-Name')).toBe('=?utf-8?b?4oKs?=');
  });

  it('pyRepr quotes like Python', () => {
    expect(pyRepr('abc')).toBe("'abc'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pyRepr('back\\slash\t')).toBe("'back\\\\slash\\t'");
  });
});
