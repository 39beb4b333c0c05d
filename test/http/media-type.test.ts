/**
 * Content-Type / Accept parsing and content negotiation, held to Django's
 * tests/utils_tests/test_http.py (parse_header_parameters) and
 * tests/requests_tests/test_accept_header.py (MediaType, accepts, get_preferred_type, 5.2).
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { resolveSettings } from '../../src/core/settings';
import { BadRequest } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { MediaType, parseAccept, parseHeaderParameters } from '../../src/http/media-type';

function requestAccepting(accept: string | null): HttpRequest {
  const rawHeaders = ['Host', 'testserver'];
  if (accept !== null) rawHeaders.push('Accept', accept);
  const req = Object.assign(Readable.from([]), { method: 'GET', url: '/', rawHeaders, headers: {}, socket: {} });
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: 's' }));
}

const plain = (params: Record<string, string>): Record<string, string> => ({ ...params });

describe('parseHeaderParameters (Django parse_header_parameters)', () => {
  test('lower-cases the main value and parameter names, keeps values, unquotes quoted values', () => {
    const [type, params] = parseHeaderParameters('Text/HTML; Charset="UTF-8"; level=1');
    expect(type).toBe('text/html');
    expect(plain(params)).toEqual({ charset: 'UTF-8', level: '1' });
  });

  test.each([
    ['text/plain', 'text/plain', {}],
    ['text/vnd.abc; charset=utf-8', 'text/vnd.abc', { charset: 'utf-8' }],
    ['text/plain; charset=utf-8; format=flowed', 'text/plain', { charset: 'utf-8', format: 'flowed' }],
    ['form-data; name="a;b"; filename="c\\"d.txt"', 'form-data', { name: 'a;b', filename: 'c"d.txt' }],
    ['attachment; filename="strange;name"; size=123;', 'attachment', { filename: 'strange;name', size: '123' }],
    ['attachment; filename="C:\\\\dir\\\\file.txt"', 'attachment', { filename: 'C:\\dir\\file.txt' }],
    ['attachment; filename*=UTF-8\'\'caf%C3%A9.txt', 'attachment', { filename: 'café.txt' }],
    ["attachment; filename*=iso-8859-1''%A3%20rates", 'attachment', { filename: '£ rates' }],
    ['', '', {}],
    ['text/plain; novalue; x = y ', 'text/plain', { x: 'y' }],
  ])('%s', (line, type, params) => {
    const [parsedType, parsedParams] = parseHeaderParameters(line);
    expect(parsedType).toBe(type);
    expect(plain(parsedParams)).toEqual(params);
  });

  test('a value longer than 10,000 characters is refused (Django MAX_HEADER_LENGTH)', () => {
    const line = 'text/plain; x=' + 'a'.repeat(10_000);
    expect(() => parseHeaderParameters(line)).toThrow(new BadRequest('Unable to parse header parameters (value too long).'));
    expect(parseHeaderParameters(line, null)[0]).toBe('text/plain');
  });

  // Django's own results (its `_parseparam`, run on these lines), quirks included: every `\"`
  // counts as escaped, even after `\\`, and an unclosed quote runs to the end of the line. The
  // one-pass splitter must give exactly these (issue 19 item 1).
  test.each([
    ['text/plain; a="x\\\\"; b=1', 'text/plain', { a: '"x\\\\"; b=1' }],
    ['form-data; name="a\\";b"; c=d', 'form-data', { name: 'a";b', c: 'd' }],
    ['text/plain; x="' + '\\";'.repeat(3), 'text/plain', { x: '"\\";\\";\\";' }],
    ['A;;b=1;', 'a', { b: '1' }],
    ['text/plain; a="1;2"; b="3;c=4', 'text/plain', { a: '1;2', b: '"3;c=4' }],
    ['x; a="q"w"; b=2', 'x', { a: '"q"w"; b=2' }],
  ])('splits %j on the semicolons Django splits on', (line, type, params) => {
    const [parsedType, parsedParams] = parseHeaderParameters(line);
    expect(parsedType).toBe(type);
    expect(plain(parsedParams)).toEqual(params);
  });

  test('parameters live in a null-prototype object', () => {
    const [, params] = parseHeaderParameters('text/plain; __proto__=x');
    expect(Object.getPrototypeOf(params)).toBeNull();
    expect(params['__proto__']).toBe('x');
  });
});

describe('MediaType', () => {
  test('toString gives the type and parameters back', () => {
    expect(String(new MediaType('*/*; q=0.8'))).toBe('*/*; q=0.8');
    expect(String(new MediaType('application/xml'))).toBe('application/xml');
    expect(String(new MediaType(''))).toBe('');
  });

  test.each([
    ['*/*; q=0.8', '*/*'],
    ['*/*', 'application/json'],
    [' */* ', 'application/json'],
    ['application/*', 'application/json'],
    ['application/*', 'application/*'],
    ['application/xml', 'application/xml'],
    [' application/xml ', 'application/xml'],
    ['application/xml', ' application/xml '],
    ['text/vcard; version=4.0', 'text/vcard; version=4.0'],
    ['text/vcard; version=4.0', 'text/vcard'],
  ])('%s matches %s', (mediaType, other) => {
    expect(new MediaType(mediaType).match(other)).toBe(true);
  });

  test.each([
    ['*/*', null],
    ['*/*', ''],
    ['*/*', '; q=0.8'],
    ['/*', '*/*'],
    ['*/*', '/*'],
    ['application', 'application/*'],
    ['application/*', 'application'],
    ['application/xml', 'application/html'],
    ['text/vcard; version=4.0', 'text/vcard; version=3.0'],
    ['text/vcard', 'text/vcard; version=3.0'],
  ])('%s does not match %s', (mediaType, other) => {
    expect(new MediaType(mediaType).match(other)).toBe(false);
  });

  test.each([
    ['*/*; q=0.8', 0.8],
    ['*/*; q=0.0001', 0],
    ['*/*; q=0.12345', 0.123],
    ['*/*; q=0.1', 0.1],
    ['*/*; q=-1', 1],
    ['*/*; q=2', 1],
    ['*/*; q=h', 1],
    ['*/*; q=', 1],
    ['*/*; q=0x0', 1],
    ['*/*', 1],
  ])('quality of %s is %d', (mediaType, quality) => {
    expect(new MediaType(mediaType).quality).toBe(quality);
  });

  test.each([
    ['*/*', 0],
    ['*/*;q=0.5', 0],
    ['text/*', 1],
    ['text/*;q=0.5', 1],
    ['text/html', 2],
    ['text/html;q=1', 2],
    ['text/html;q=0.5', 2],
    ['text/html;version=5', 3],
  ])('specificity of %s is %d', (mediaType, specificity) => {
    expect(new MediaType(mediaType).specificity).toBe(specificity);
  });
});

describe('request.acceptedTypes / accepts / getPreferredType', () => {
  const names = (types: MediaType[]): string[] => types.map(String);

  test('no Accept header means */*', () => {
    expect(names(requestAccepting(null).acceptedTypes)).toEqual(['*/*']);
    expect(requestAccepting(null).accepts('application/json')).toBe(true);
  });

  test('ranges are ordered by quality, then specificity, ties keeping header order', () => {
    const request = requestAccepting('text/*,text/html, application/xhtml+xml,application/xml ;q=0.9,*/*;q=0.8,');
    expect(names(request.acceptedTypes)).toEqual(['text/html', 'application/xhtml+xml', 'text/*', 'application/xml; q=0.9', '*/*; q=0.8']);
    expect(request.acceptedTypes).toBe(request.acceptedTypes);
  });

  test('q=0 means "not acceptable": the range is left out', () => {
    const request = requestAccepting('text/*;q=0,text/html');
    expect(names(request.acceptedTypes)).toEqual(['text/html']);
    expect(request.accepts('text/plain')).toBe(false);
    expect(request.accepts('text/html')).toBe(true);
  });

  test('an empty Accept header accepts nothing', () => {
    const request = requestAccepting('');
    expect(request.accepts('application/json')).toBe(false);
    expect(request.acceptedTypes).toEqual([]);
    expect(request.getPreferredType(['application/json', 'text/plain'])).toBeNull();
  });

  test('accepts with exact types and wildcards', () => {
    const request = requestAccepting('text/html,application/xhtml+xml,application/xml;q=0.9');
    expect(request.accepts('text/html')).toBe(true);
    expect(request.accepts('application/xhtml+xml')).toBe(true);
    expect(request.accepts('application/xml')).toBe(true);
    expect(request.accepts('application/json')).toBe(false);
    expect(requestAccepting('application/*').accepts('application/json')).toBe(true);
    expect(requestAccepting('*/*').accepts('image/png')).toBe(true);
  });

  test.each([
    [['text/html', 'application/xml'], 'text/html'],
    [['application/xml', 'application/json'], 'application/xml'],
    [['application/json'], 'application/json'],
    [['application/json', 'text/plain'], 'text/plain'],
  ])('getPreferredType(%j) is %s by priority', (types, expected) => {
    const request = requestAccepting('text/html,application/xml;q=0.9,*/*;q=0.1,text/*;q=0.5');
    expect(request.getPreferredType(types)).toBe(expected);
  });

  test('overlapping ranges of equal quality: the more specific first', () => {
    const request = requestAccepting('text/*;q=0.8,text/html;q=0.8');
    expect(names(request.acceptedTypes)).toEqual(['text/html; q=0.8', 'text/*; q=0.8']);
    expect(request.getPreferredType(['text/html', 'text/plain'])).toBe('text/html');
  });

  test('no acceptable type gives null; an empty list gives null', () => {
    expect(requestAccepting('text/html').getPreferredType(['application/json', 'text/plain'])).toBeNull();
    expect(requestAccepting('*/*').getPreferredType([])).toBeNull();
  });

  test.each([
    [['text/vcard; version=4.0', 'text/vcard; version=3.0', 'text/vcard', 'text/directory'], 'text/vcard; version=3.0'],
    [['text/vcard; version=4.0', 'text/vcard'], null],
    [['text/vcard; version=4.0', 'text/vcard; version=3.0', 'text/html'], 'text/vcard; version=3.0'],
    [['text/vcard; version=4.0', 'text/html'], 'text/html'],
  ])('parameters must agree: %j -> %s', (types, expected) => {
    expect(requestAccepting('text/vcard; version=3.0, text/html;q=0.5').getPreferredType(types)).toBe(expected);
  });

  test('RFC 7231 §5.3.2 example: the quality each type gets', () => {
    const request = requestAccepting('text/*;q=0.3,text/html;q=0.7,text/html;level=1,text/html;level=2;q=0.4,*/*;q=0.5');
    const cases: Array<[string, number]> = [
      ['text/html;level=1', 1],
      ['text/html', 0.7],
      ['text/plain', 0.3],
      ['image/jpeg', 0.5],
      ['text/html;level=2', 0.4],
      ['text/html;level=3', 0.7],
    ];
    for (const [type, quality] of cases) expect(request.acceptedType(type)?.quality).toBe(quality);
    expect(request.getPreferredType(['text/html', 'text/html; level=1'])).toBe('text/html; level=1');
    expect(request.getPreferredType(['text/html; level=2', 'text/html; level=3'])).toBe('text/html; level=3');
  });

  test('a browser prefers HTML, an API client JSON (what the error views ask)', () => {
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
    expect(requestAccepting(browser).getPreferredType(['text/html', 'application/json'])).toBe('text/html');
    expect(requestAccepting('application/json').getPreferredType(['text/html', 'application/json'])).toBe('application/json');
    expect(requestAccepting(null).getPreferredType(['text/html', 'application/json'])).toBe('text/html');
  });

  test('parseAccept skips empty tokens', () => {
    expect(parseAccept(' , text/html ,, ').map(String)).toEqual(['text/html']);
  });
});
