/**
 * HttpRequest (SPEC §4): construction, lazy memoised attributes, path decoding, GET/POST and
 * their encoding, REQUEST, data/json, validate, signed cookies, full paths. Body limits are in
 * request-body.test.ts, META/headers in request-meta.test.ts, hosts in request-host.test.ts.
 */
import 'reflect-metadata';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { IsArray, IsInt, IsString, Min } from 'class-validator';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { signCookieValue } from '../../src/signing';
import {
  BadRequest,
  BadSignature,
  ImmutableQueryDictError,
  KeyError,
  MultiValueDictKeyError,
  SignatureExpired,
  ValidationError,
} from '../../src/http/errors';
import { FROM_TEST_CLIENT, HttpRequest } from '../../src/http/http-request';
import { QueryDict } from '../../src/http/query-dict';
import type { RouteInfo } from '../../src/routing/resolver-match';

interface Options {
  method?: string;
  url?: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  settings?: Partial<Settings>;
}

function makeRequest(options: Options = {}): HttpRequest {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const rawHeaders = (options.headers ?? [['Host', 'testserver']]).flat();
  if (body !== undefined) rawHeaders.push('Content-Length', String(body.length));
  const req = Object.assign(Readable.from(body === undefined ? [] : [body]), {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    url: options.url ?? '/',
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: 80, encrypted: false },
  });
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: 'secret', ...options.settings }));
}

async function loaded(options: Options): Promise<HttpRequest> {
  const request = makeRequest(options);
  await request.loadBody();
  return request;
}

const FORM: [string, string] = ['Content-Type', 'application/x-www-form-urlencoded'];
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

describe('construction', () => {
  test('stores the method upper-cased and splits the URL at the first "?" without decoding', () => {
    const request = makeRequest({ method: 'patch', url: '/a%20b/?x=%41&y=?z' });
    expect(request.method).toBe('PATCH');
    expect(request.rawPath).toBe('/a%20b/');
    expect(request.rawQuery).toBe('x=%41&y=?z');
    expect(request.settings.secretKey).toBe('secret');
  });

  test('every request has the same own fields in the same order (one hidden class)', () => {
    const a = makeRequest({ url: '/a?b=1' });
    const b = makeRequest({ method: 'POST', url: '/x', body: 'abc' });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    void a.GET;
    void a.COOKIES;
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });

  test('params default to a shared frozen empty object; route and resolverMatch to null', () => {
    const a = makeRequest();
    expect(a.params).toEqual({});
    expect(Object.isFrozen(a.params)).toBe(true);
    expect(makeRequest().params).toBe(a.params);
    expect(a.route).toBeNull();
    expect(a.resolverMatch).toBeNull();
    expect(a.session).toBeUndefined();
    expect(a.user).toBeUndefined();
    expect(a.dontEnforceCsrfChecks).toBe(false);
  });

  test('resolverMatch joins the route and the params, memoised until either changes', () => {
    const request = makeRequest();
    const route: RouteInfo = { routeName: 'poll-detail', route: '/polls/<int:id>/', controllerName: 'PollController', methodName: 'detail', csrfExempt: false };
    request.route = route;
    request.params = { id: 7 };
    const match = request.resolverMatch;
    // Exactly the route's public fields, the params, and Django's names for them (url_name, kwargs):
    // nothing of the compiled route (handler, instance) leaks.
    expect(match).toEqual({ ...route, params: { id: 7 }, urlName: 'poll-detail', kwargs: { id: 7 } });
    expect(request.resolverMatch).toBe(match);
    request.params = { id: 8 };
    expect(request.resolverMatch?.params).toEqual({ id: 8 });
  });

  test('FROM_TEST_CLIENT is a symbol; toString reads like Django repr', () => {
    expect(typeof FROM_TEST_CLIENT).toBe('symbol');
    expect(String(makeRequest({ url: '/music/?print=true' }))).toBe("<HttpRequest: GET '/music/?print=true'>");
  });
});

describe('path / pathInfo', () => {
  test('a path without "%" is returned as sent', () => {
    const request = makeRequest({ url: '/music/bands/the_beatles/?x=1' });
    expect(request.path).toBe('/music/bands/the_beatles/');
    expect(request.pathInfo).toBe('/music/bands/the_beatles/');
  });

  test('percent-escapes are decoded as UTF-8, %2F included (as WSGI PATH_INFO)', () => {
    expect(makeRequest({ url: '/caf%C3%A9/a%2Fb/%20' }).path).toBe('/café/a/b/ ');
  });

  test('an invalid escape is a BadRequest', () => {
    expect(() => makeRequest({ url: '/a%zz' }).path).toThrow(new BadRequest("The request path '/a%zz' has an invalid percent-escape."));
    expect(() => makeRequest({ url: '/a%4' }).pathInfo).toThrow(new BadRequest("The request path '/a%4' has an invalid percent-escape."));
  });

  test('octets that are not UTF-8 stay percent-encoded, the rest is decoded (Django #26971, repercent_broken_unicode)', () => {
    expect(makeRequest({ url: '/caf%E9/' }).path).toBe('/caf%E9/');
    expect(makeRequest({ url: '/caf%e9/' }).pathInfo).toBe('/caf%E9/');
    // A truncated sequence, an overlong encoding and a surrogate: each octet re-encoded.
    expect(makeRequest({ url: '/%E4%B8/%C0%AF/%ED%A0%80/' }).path).toBe('/%E4%B8/%C0%AF/%ED%A0%80/');
    // Valid sequences around a broken one are decoded.
    expect(makeRequest({ url: '/%C3%A9%FF%E2%82%AC%20x' }).path).toBe('/é%FF€ x');
    // getFullPath escapes the '%' it kept, as Django's escape_uri_path does.
    expect(makeRequest({ url: '/caf%E9/?q=1' }).getFullPath()).toBe('/caf%25E9/?q=1');
  });

  test('getFullPathInfo is getFullPath (no SCRIPT_NAME): Django test_httprequest_full_path', () => {
    const request = makeRequest({ url: '/%3Bsome/%3Fawful/%3Dpath/foo:bar/?;some=query&+query=string' });
    expect(request.getFullPathInfo()).toBe('/%3Bsome/%3Fawful/%3Dpath/foo:bar/?;some=query&+query=string');
    expect(makeRequest({ url: '/a?b=1' }).getFullPathInfo(true)).toBe('/a/?b=1');
  });

  test('an absolute-form target keeps its path', () => {
    expect(makeRequest({ url: 'http://example.com/a/b?c=1' }).path).toBe('/a/b');
    expect(makeRequest({ url: 'http://example.com' }).path).toBe('/');
  });

  test('getFullPath re-encodes the path and keeps the query', () => {
    expect(makeRequest({ url: '/music/bands/?print=true' }).getFullPath()).toBe('/music/bands/?print=true');
    expect(makeRequest({ url: '/a%20b;c/?q=%20' }).getFullPath()).toBe('/a%20b%3Bc/?q=%20');
    expect(makeRequest({ url: '/caf%C3%A9' }).getFullPath(true)).toBe('/caf%C3%A9/');
    expect(makeRequest({ url: '/x/?' }).getFullPath(true)).toBe('/x/');
  });
});

describe('GET and encoding', () => {
  test('parses the query once into an immutable QueryDict', () => {
    const request = makeRequest({ url: '/?a=1&a=2&b=&c' });
    const get = request.GET;
    expect(get).toBeInstanceOf(QueryDict);
    expect(get.getList('a')).toEqual(['1', '2']);
    expect(get.dict()).toEqual({ a: '2', b: '', c: '' });
    expect(request.GET).toBe(get);
    expect(() => get.setItem('a', 'x')).toThrow(ImmutableQueryDictError);
  });

  test('encoding defaults to defaultCharset, or the Content-Type charset when it is known', () => {
    expect(makeRequest().encoding).toBe('utf-8');
    expect(makeRequest({ settings: { defaultCharset: 'iso-8859-1' } }).encoding).toBe('iso-8859-1');
    expect(makeRequest({ headers: [['Content-Type', 'text/plain; charset=ISO-8859-15']] }).encoding).toBe('ISO-8859-15');
    expect(makeRequest({ headers: [['Content-Type', 'text/plain; charset=bogus-8']] }).encoding).toBe('utf-8');
  });

  test('setting encoding re-decodes GET on its next access (%A4 is € in ISO-8859-15)', () => {
    const request = makeRequest({ url: '/?currency=%A4' });
    const first = request.GET;
    expect(first.getItem('currency')).toBe('\ufffd');
    request.encoding = 'iso-8859-15';
    expect(request.encoding).toBe('iso-8859-15');
    const second = request.GET;
    expect(second).not.toBe(first);
    expect(second.getItem('currency')).toBe('€');
    expect(second.encoding).toBe('iso-8859-15');
  });

  test('contentType and contentParams come from Content-Type', () => {
    const request = makeRequest({ headers: [['Content-Type', 'Application/JSON; charset="utf-8"; profile=x']] });
    expect(request.contentType).toBe('application/json');
    expect({ ...request.contentParams }).toEqual({ charset: 'utf-8', profile: 'x' });
    expect(makeRequest().contentType).toBe('');
    expect({ ...makeRequest().contentParams }).toEqual({});
  });
});

describe('POST, FILES, REQUEST', () => {
  test('an urlencoded body is parsed once into an immutable QueryDict', async () => {
    const request = await loaded({ headers: [FORM], body: 'your_name=John+Smith&bands=beatles&bands=zombies' });
    const post = request.POST;
    expect(post.getItem('your_name')).toBe('John Smith');
    expect(post.getList('bands')).toEqual(['beatles', 'zombies']);
    expect(request.POST).toBe(post);
    expect(() => post.appendList('bands', 'who')).toThrow(ImmutableQueryDictError);
    expect(request.FILES.size).toBe(0);
    expect(request.FILES).toBe(request.FILES);
  });

  test('the content type must be exactly form-urlencoded (parameters allowed)', async () => {
    const withCharset = await loaded({ headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8']], body: 'a=1' });
    expect(withCharset.POST.getItem('a')).toBe('1');
    const other = await loaded({ headers: [['Content-Type', 'application/x-www-form-urlencoded-not']], body: 'a=1' });
    expect(other.POST.size).toBe(0);
  });

  test('any other content type leaves POST empty (and immutable)', async () => {
    for (const type of ['application/json', 'text/plain', 'application/octet-stream']) {
      const request = await loaded({ headers: [['Content-Type', type]], body: 'a=1' });
      expect(request.POST.size).toBe(0);
      expect(() => request.POST.setItem('a', '1')).toThrow(ImmutableQueryDictError);
    }
    expect((await loaded({ body: 'a=1' })).POST.size).toBe(0);
  });

  test('a PUT form body is parsed too', async () => {
    const request = await loaded({ method: 'PUT', headers: [FORM], body: 'a=1' });
    expect(request.POST.getItem('a')).toBe('1');
  });

  test('a body that is not the UTF-8 it claims to be is a 400', async () => {
    const request = await loaded({ headers: [FORM], body: Buffer.from([0x61, 0x3d, 0xff, 0xfe]) });
    expect(() => request.POST).toThrow(new BadRequest('The application/x-www-form-urlencoded request body is not valid UTF-8.'));
  });

  test('a form body in another charset than UTF-8 is a 400, as newest Django (django/http/parsers.py)', async () => {
    const message = "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.";
    const request = await loaded({ headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=iso-8859-15']], body: 'c=%A4' });
    expect(() => request.POST).toThrow(new BadRequest(message));
    expect(() => request.FILES).toThrow(new BadRequest(message));
    // Assigned by the code: the same rule; assigning UTF-8 back makes it readable.
    const assigned = await loaded({ headers: [FORM], body: 'c=%E2%82%AC' });
    assigned.encoding = 'latin-1';
    expect(() => assigned.POST).toThrow(new BadRequest(message));
    assigned.encoding = 'utf-8';
    expect(assigned.POST.getItem('c')).toBe('€');
    // A charset Node does not know is ignored (Django: codecs.lookup fails, _encoding stays None).
    const unknown = await loaded({ headers: [['Content-Type', 'application/x-www-form-urlencoded; charset=x-unknown']], body: 'c=%E2%82%AC' });
    expect(unknown.POST.getItem('c')).toBe('€');
  });

  test('a form body is UTF-8 whatever defaultCharset says, when the request names no charset (or one Node does not know)', async () => {
    const request = await loaded({ headers: [FORM], body: 'c=%E2%82%AC', settings: { defaultCharset: 'iso-8859-1' } });
    expect(request.POST.getItem('c')).toBe('€');
    const unknown = await loaded({ headers: [['Content-Type', `${FORM[1]}; charset=x-unknown`]], body: 'c=%E2%82%AC', settings: { defaultCharset: 'iso-8859-1' } });
    expect(unknown.POST.getItem('c')).toBe('€');
    const named = await loaded({ headers: [['Content-Type', `${FORM[1]}; charset=ISO-8859-1`]], body: 'c=%E9', settings: { defaultCharset: 'iso-8859-1' } });
    expect(() => named.POST).toThrow(BadRequest);
  });

  test('assigning an encoding Node cannot decode throws at the assignment (iso-8859-16)', () => {
    const request = makeRequest({ url: '/?name=Hello%20G%C3%BCnter' });
    expect(() => (request.encoding = 'iso-8859-16')).toThrow(new RangeError('unknown encoding: iso-8859-16'));
    expect(request.encoding).toBe('utf-8');
    expect(request.GET.getItem('name')).toBe('Hello Günter');
  });

  test('REQUEST looks in POST, then GET, and is read-only', async () => {
    const request = await loaded({ url: '/?name=john&age=99&only=get', headers: [FORM], body: 'age=34&age=35' });
    const merged = request.REQUEST;
    expect(merged.getItem('name')).toBe('john');
    expect(merged.getItem('age')).toBe('35');
    expect(merged.getList('age')).toEqual(['34', '35']);
    expect(merged.keys()).toEqual(['age', 'name', 'only']);
    expect(request.REQUEST).toBe(merged);
    expect(() => merged.setItem('x', '1')).toThrow(ImmutableQueryDictError);
  });

  test('getItem / hasKey check POST first, then GET', async () => {
    const request = await loaded({ url: '/?name=john&age=99', headers: [FORM], body: 'age=34' });
    expect(request.getItem('age')).toBe('34');
    expect(request.getItem('name')).toBe('john');
    expect(request.hasKey('name')).toBe(true);
    expect(request.hasKey('missing')).toBe(false);
    expect(() => request.getItem('missing')).toThrow(new MultiValueDictKeyError('missing'));
  });
});

describe('data and json()', () => {
  test('a JSON body is parsed once', async () => {
    const request = await loaded({ headers: [JSON_TYPE], body: '{"title": "Hello", "tags": ["a"]}' });
    const data = request.data;
    expect(data).toEqual({ title: 'Hello', tags: ['a'] });
    expect(request.data).toBe(data);
    expect(request.json<{ title: string }>().title).toBe('Hello');
    expect(request.json()).toBe(data);
  });

  test('+json types and a UTF-8 BOM are JSON too', async () => {
    expect((await loaded({ headers: [['Content-Type', 'application/vnd.api+json']], body: '[1,2]' })).data).toEqual([1, 2]);
    expect((await loaded({ headers: [JSON_TYPE], body: '\ufeff{"a":1}' })).data).toEqual({ a: 1 });
  });

  test('invalid JSON is a BadRequest "JSON parse error - <message>"', async () => {
    const request = await loaded({ headers: [JSON_TYPE], body: '{"title": ' });
    let message = '';
    try {
      JSON.parse('{"title": ');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(() => request.data).toThrow(new BadRequest(`JSON parse error - ${message}`));
    expect(() => request.json()).toThrow(BadRequest);
  });

  test('an empty JSON body is {} (as DRF and body-parser)', async () => {
    expect((await loaded({ headers: [JSON_TYPE, ['Content-Length', '0']] })).data).toEqual({});
  });

  test('form and multipart bodies give the POST QueryDict; unknown types give undefined', async () => {
    const form = await loaded({ headers: [FORM], body: 'a=1' });
    expect(form.data).toBe(form.POST);
    const text = await loaded({ headers: [['Content-Type', 'text/plain']], body: '{"a":1}' });
    expect(text.data).toBeUndefined();
    expect(text.body.toString()).toBe('{"a":1}');
    // json() parses whatever the content type, like fetch's Response.json().
    expect(text.json()).toEqual({ a: 1 });
    const none = await loaded({ body: 'raw' });
    expect(none.data).toBeUndefined();
    expect(() => none.json()).toThrow(BadRequest);
  });
});

describe('validate', () => {
  class ArticleDto {
    @IsString() title!: string;
    @IsInt() @Min(1) page!: number;
  }
  class FilterDto {
    @IsArray() @IsString({ each: true }) tag!: string[];
    @IsString() q!: string;
  }

  test('validates the JSON body by default for a request with a body', async () => {
    const request = await loaded({ headers: [JSON_TYPE], body: '{"title":"Hi","page":2,"extra":true}' });
    const dto = await request.validate(ArticleDto);
    expect(dto).toBeInstanceOf(ArticleDto);
    expect({ ...dto }).toEqual({ title: 'Hi', page: 2 });
  });

  test('validates the query by default for a GET, repeated keys as arrays', async () => {
    const request = makeRequest({ url: '/?tag=a&tag=b&q=x' });
    const dto = await request.validate(FilterDto);
    expect({ ...dto }).toEqual({ tag: ['a', 'b'], q: 'x' });
    await expect(makeRequest({ url: '/?title=Hi&page=3' }).validate(ArticleDto, 'query')).resolves.toEqual(Object.assign(new ArticleDto(), { title: 'Hi', page: 3 }));
  });

  test('form data is converted to an object (strings become numbers by the declared type)', async () => {
    const request = await loaded({ headers: [FORM], body: 'title=Hi&page=4' });
    expect({ ...(await request.validate(ArticleDto, 'data')) }).toEqual({ title: 'Hi', page: 4 });
  });

  test('an explicit object, and failures as ValidationError with field messages', async () => {
    const request = makeRequest();
    await expect(request.validate(ArticleDto, { title: 'x', page: 1 })).resolves.toBeInstanceOf(ArticleDto);
    const error = (await request.validate(ArticleDto, { page: 0 }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors).toEqual({ title: ['title must be a string'], page: ['page must not be less than 1'] });
  });

  test('a body of another type validates as an empty object', async () => {
    const request = await loaded({ headers: [['Content-Type', 'text/plain']], body: 'x' });
    const error = (await request.validate(ArticleDto).catch((e: unknown) => e)) as ValidationError;
    expect(Object.keys(error.errors)).toEqual(['title', 'page']);
  });
});

describe('getSignedCookie', () => {
  const SECRET = 'secret';
  const withCookie = (name: string, value: string): HttpRequest => {
    const request = makeRequest();
    request.COOKIES[name] = value;
    return request;
  };

  test('reads a value signed by setSignedCookie', () => {
    const signed = signCookieValue('c', 'hello', SECRET);
    expect(signed.startsWith('hello:')).toBe(true);
    expect(withCookie('c', signed).getSignedCookie('c')).toBe('hello');
  });

  test('salts must match', () => {
    const request = withCookie('a', signCookieValue('a', 'hello', SECRET, 'one'));
    expect(request.getSignedCookie('a', { salt: 'one' })).toBe('hello');
    expect(() => request.getSignedCookie('a', { salt: 'two' })).toThrow(BadSignature);
    // The cookie name is part of the salt: the same value under another name is refused.
    const moved = withCookie('b', signCookieValue('a', 'hello', SECRET));
    expect(() => moved.getSignedCookie('b')).toThrow(BadSignature);
  });

  test('tampering is detected; a default suppresses it', () => {
    const request = withCookie('c', signCookieValue('c', 'hello', SECRET).slice(0, -2) + '$$');
    expect(() => request.getSignedCookie('c')).toThrow(BadSignature);
    expect(request.getSignedCookie('c', { default: null })).toBeNull();
    expect(request.getSignedCookie('c', { default: undefined })).toBeUndefined();
  });

  test('a missing cookie throws KeyError unless a default is given', () => {
    expect(() => makeRequest().getSignedCookie('nope')).toThrow(new KeyError('nope'));
    expect(makeRequest().getSignedCookie('nope', { default: 'fallback' })).toBe('fallback');
  });

  test('maxAge refuses old values with SignatureExpired', () => {
    const tenSecondsAgo = signCookieValue('c', 'hello', SECRET, '', { now: () => Date.now() - 11_000 });
    const request = withCookie('c', tenSecondsAgo);
    expect(request.getSignedCookie('c', { maxAge: 60 })).toBe('hello');
    expect(() => request.getSignedCookie('c', { maxAge: 10 })).toThrow(SignatureExpired);
    expect(request.getSignedCookie('c', { maxAge: 10, default: 'old' })).toBe('old');
  });
});

describe('lazy memoisation', () => {
  test('each attribute is computed on first access and the same object comes back', async () => {
    const request = await loaded({ url: '/?a=1', headers: [['Host', 'testserver'], ['Cookie', 'x=1'], FORM], body: 'b=2' });
    for (const name of ['META', 'headers', 'COOKIES', 'GET', 'POST', 'FILES', 'REQUEST', 'body', 'data', 'contentParams', 'acceptedTypes'] as const) {
      expect(request[name]).toBe(request[name]);
    }
  });

  test('nothing is parsed by the constructor (a bad query only fails when GET is read)', () => {
    const request = makeRequest({ url: '/%zz?' + 'a&'.repeat(2000) });
    expect(request.method).toBe('GET');
    expect(() => request.GET).toThrow('The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.');
    expect(() => request.path).toThrow(BadRequest);
  });
});

describe('through a real node:http server', () => {
  test('a JSON POST from fetch', async () => {
    let seen: unknown;
    const server = createServer(async (req, res) => {
      const request = new HttpRequest(req, resolveSettings({ secretKey: 's', allowedHosts: ['127.0.0.1'] }));
      await request.loadBody();
      seen = { data: request.data, host: request.getHost(), type: request.contentType, secure: request.isSecure(), path: request.getFullPath() };
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await fetch(`http://127.0.0.1:${port}/api/items/?draft=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'thing', n: 3 }),
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(seen).toEqual({ data: { name: 'thing', n: 3 }, host: `127.0.0.1:${port}`, type: 'application/json', secure: false, path: '/api/items/?draft=1' });
  });
});
