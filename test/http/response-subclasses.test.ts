import { DisallowedRedirect } from '../../src/http/errors';
import { HttpResponse } from '../../src/http/http-response';
import {
  HttpResponseNotAllowed,
  HttpResponseNotModified,
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
  HttpResponseRedirectBase,
  HttpResponseSeeOther,
  HttpResponseUnAuthorised,
  HttpResponseUnauthorized,
  STATUS_RESPONSE_CLASSES,
  iriToUri,
} from '../../src/http/response-subclasses';

const EXPECTED_CODES: Record<keyof typeof STATUS_RESPONSE_CLASSES, number> = {
  HttpResponseCreated: 201,
  HttpResponseAccepted: 202,
  HttpResponseNonAuthoritative: 203,
  HttpResponseNoContent: 204,
  HttpResponseResetContent: 205,
  HttpResponsePartialContent: 206,
  HttpResponseNotModified: 304,
  HttpResponseBadRequest: 400,
  HttpResponseUnAuthorised: 401,
  HttpResponsePaymentRequired: 402,
  HttpResponseForbidden: 403,
  HttpResponseNotFound: 404,
  HttpResponseNotAcceptable: 406,
  HttpResponseRequestTimeout: 408,
  HttpResponseConflict: 409,
  HttpResponseGone: 410,
  HttpResponseLengthRequired: 411,
  HttpResponsePreconditionFailed: 412,
  HttpResponseRequestEntityTooLarge: 413,
  HttpResponseUnsupportedMediaType: 415,
  HttpResponseExpectationFailed: 417,
  HttpResponseUnprocessableEntity: 422,
  HttpResponseLocked: 423,
  HttpResponseFailedDependency: 424,
  HttpResponseUpgradeRequired: 426,
  HttpResponseServerError: 500,
  HttpResponseNotImplemented: 501,
  HttpResponseBadGateway: 502,
  HttpResponseServiceUnavailable: 503,
  HttpResponseGatewayTimeout: 504,
  HttpResponseInsufficientStorage: 507,
};

describe('status subclasses', () => {
  it.each(Object.entries(EXPECTED_CODES))('%s answers %i', (name, code) => {
    const klass = STATUS_RESPONSE_CLASSES[name as keyof typeof STATUS_RESPONSE_CLASSES];
    const response = new klass();
    expect(response).toBeInstanceOf(HttpResponse);
    expect(response.statusCode).toBe(code);
    expect(klass.statusCode).toBe(code);
    expect(response.constructor.name).toBe(name);
  });

  it('every class is listed', () => {
    expect(Object.keys(STATUS_RESPONSE_CLASSES).sort()).toEqual(Object.keys(EXPECTED_CODES).sort());
  });

  it('they take content and options like HttpResponse; status still wins', () => {
    const response = new STATUS_RESPONSE_CLASSES.HttpResponseNotFound('<h1>Page not found</h1>', { headers: { 'X-A': '1' } });
    expect(response.text).toBe('<h1>Page not found</h1>');
    expect(response.reasonPhrase).toBe('Not Found');
    expect(response.headers.get('x-a')).toBe('1');
    expect(new STATUS_RESPONSE_CLASSES.HttpResponseServerError('', { status: 503 }).statusCode).toBe(503);
  });

  it('HttpResponseUnauthorized is the same class as HttpResponseUnAuthorised', () => {
    expect(HttpResponseUnauthorized).toBe(HttpResponseUnAuthorised);
    expect(new HttpResponseUnauthorized().statusCode).toBe(401);
  });
});

describe('HttpResponseNotModified', () => {
  it('has no Content-Type and no body', () => {
    const response = new HttpResponseNotModified();
    expect(response.statusCode).toBe(304);
    expect(response.hasHeader('Content-Type')).toBe(false);
    expect(response.content.length).toBe(0);
    expect(response.writable).toBe(false);
  });

  it('setting content throws Django\'s message; empty content is allowed', () => {
    const response = new HttpResponseNotModified();
    expect(() => { response.content = 'x'; }).toThrow('You cannot set content to a 304 (Not Modified) response');
    expect(() => response.write('x')).toThrow('You cannot set content to a 304 (Not Modified) response');
    expect(() => new HttpResponseNotModified('body')).toThrow('You cannot set content to a 304 (Not Modified) response');
    response.content = '';
    expect(response.content.length).toBe(0);
  });
});

describe('HttpResponseNotAllowed', () => {
  it("HttpResponseNotAllowed(['GET', 'POST']) answers 405 with Allow: GET, POST", () => {
    const response = new HttpResponseNotAllowed(['GET', 'POST']);
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST');
    expect(String(response)).toBe('<HttpResponseNotAllowed [GET, POST] statusCode=405, "text/html; charset=utf-8">');
  });

  it('upper-cases the methods and takes content', () => {
    const response = new HttpResponseNotAllowed(new Set(['get', 'head']), 'Use GET');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(response.text).toBe('Use GET');
  });
});

describe('redirects', () => {
  it('HttpResponseRedirect: 302 with Location, url, an empty body', () => {
    const response = new HttpResponseRedirect('/search/');
    expect(response.statusCode).toBe(302);
    expect(response.reasonPhrase).toBe('Found');
    expect(response.headers.get('Location')).toBe('/search/');
    expect(response.url).toBe('/search/');
    expect(response.content.length).toBe(0);
    expect(String(response)).toBe('<HttpResponseRedirect statusCode=302, "text/html; charset=utf-8", url="/search/">');
  });

  it('HttpResponsePermanentRedirect: 301; fully qualified URLs pass', () => {
    const response = new HttpResponsePermanentRedirect('http://www.yahoo.com/search/');
    expect(response.statusCode).toBe(301);
    expect(response.url).toBe('http://www.yahoo.com/search/');
  });

  it('preserveRequest gives 307 and 308', () => {
    expect(new HttpResponseRedirect('/x/', { preserveRequest: true }).statusCode).toBe(307);
    expect(new HttpResponsePermanentRedirect('/x/', { preserveRequest: true }).statusCode).toBe(308);
    expect(new HttpResponsePermanentRedirect('/x/', { preserveRequest: true }).reasonPhrase).toBe('Permanent Redirect');
  });

  it('HttpResponseSeeOther is a HttpResponseRedirect answering 303', () => {
    const response = new HttpResponseSeeOther('/orders/1/');
    expect(response).toBeInstanceOf(HttpResponseRedirect);
    expect(response).toBeInstanceOf(HttpResponseRedirectBase);
    expect(response.statusCode).toBe(303);
    expect(response.reasonPhrase).toBe('See Other');
  });

  it('Location is percent-encoded as iri_to_uri does', () => {
    expect(new HttpResponseRedirect('/café/?q=é&x=1 2').url).toBe('/caf%C3%A9/?q=%C3%A9&x=1%202');
    expect(iriToUri('/blog/for/Jürgen Münster/')).toBe('/blog/for/J%C3%BCrgen%20M%C3%BCnster/');
    expect(iriToUri('/already%20encoded/[x]?a=b#f')).toBe('/already%20encoded/[x]?a=b#f');
    expect(iriToUri('/a"b<c>{d}|\\^`')).toBe('/a%22b%3Cc%3E%7Bd%7D%7C%5C%5E%60');
  });

  it.each(['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x', ' java\tscript:alert(1)', 'localhost:8000/x'])(
    'refuses %j with DisallowedRedirect',
    (url) => {
      expect(() => new HttpResponseRedirect(url)).toThrow(DisallowedRedirect);
    },
  );

  it("names the refused protocol as Django does", () => {
    expect(() => new HttpResponseRedirect('javascript:alert(1)')).toThrow("Unsafe redirect to URL with protocol 'javascript'");
  });

  it.each(['https://example.com/', 'ftp://files.example.com/a', '//other.example.com/', '/relative', 'relative/path', '?q=1'])(
    'allows %j',
    (url) => {
      expect(new HttpResponseRedirect(url).url).toBe(url);
    },
  );

  it('refuses a URL over 16384 characters', () => {
    expect(new HttpResponseRedirect('/' + 'x'.repeat(16383)).url.length).toBe(16384);
    expect(() => new HttpResponseRedirect('/' + 'x'.repeat(16384))).toThrow('Unsafe redirect exceeding 16384 characters');
  });

  it('allowedSchemes can be widened by a subclass, as in Django', () => {
    class AppRedirect extends HttpResponseRedirect {
      static override allowedSchemes = ['http', 'https', 'myapp'];
    }
    expect(new AppRedirect('myapp://open').url).toBe('myapp://open');
  });
});
