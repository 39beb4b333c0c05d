/**
 * CorsMiddleware through the test Client: django-cors-headers' tests/test_middleware.py, named
 * after its tests where they apply, then the start-up checks (its checks.py), the per-route
 * decorators, and the inputs an attacker controls (Origin, Access-Control-Request-*).
 */
import 'reflect-metadata';
import { Controller } from '../../decorators/controller';
import { Cors, CorsExempt } from '../../decorators/cors';
import { Get, Options, Post, Put } from '../../decorators/route';
import { createApp, DEFAULT_MIDDLEWARE } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { ImproperlyConfigured } from '../../src/http/errors';
import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse } from '../../src/http/json-response';
import { CorsMiddleware } from '../../src/middleware/cors';
import { settingsFromEnv } from '../../src/env/settings-from-env';
import { Client, type TestResponse } from '../../src/testing/client';
import { CapturingLogger } from '../../src/testing/capturing-logger';

@Controller('')
class SiteController {
  @Get('/')
  index() {
    return new HttpResponse('home');
  }

  @Get('/foo/')
  foo() {
    return new HttpResponse('foo');
  }

  @Get('/test-401/')
  unauthorized() {
    return new HttpResponse('unauthorized', { status: 401 });
  }

  @Get('/async/')
  async later() {
    await new Promise((resolve) => setImmediate(resolve));
    return new HttpResponse('later');
  }

  @Get('/vary-cookie/')
  varyCookie() {
    return new HttpResponse('', { headers: { Vary: 'Cookie' } });
  }

  @Get('/api/items/')
  items() {
    return new JsonResponse({ items: [{ id: 1 }] });
  }

  @Post('/api/items/')
  createItem() {
    return new JsonResponse({ id: 2 }, { status: 201 });
  }

  @Options('/own-options/')
  ownOptions() {
    return new HttpResponse('own options answer');
  }
}

@Controller('/partner')
class PartnerController {
  @Get('/data/')
  @Cors({ allowedOrigins: ['https://partner.example'], exposeHeaders: ['x-total-count'] })
  data() {
    return new HttpResponse('partner data');
  }

  @Put('/data/')
  @Cors({ allowedOrigins: ['https://partner.example'], allowCredentials: true, allowMethods: ['PUT'] })
  replace() {
    return new HttpResponse('replaced');
  }

  @Get('/internal/')
  @CorsExempt()
  internal() {
    return new HttpResponse('internal');
  }

  @Put('/internal/')
  @CorsExempt()
  replaceInternal() {
    return new HttpResponse('internal replaced');
  }
}

@Controller('/widgets')
@Cors({ allowAllOrigins: true })
class WidgetController {
  @Get('/')
  list() {
    return new HttpResponse('widgets');
  }

  @Get('/secret/')
  @CorsExempt()
  secret() {
    return new HttpResponse('secret');
  }
}

const CONTROLLERS = [SiteController, PartnerController, WidgetController];

const logger = new CapturingLogger();

function client(settings: Partial<Settings> = {}, middleware: Middleware[] = [CorsMiddleware, ...DEFAULT_MIDDLEWARE], enforceCsrfChecks = false): Client {
  const app = createApp({ controllers: CONTROLLERS, middleware, settings: { secretKey: 'cors-tests', ...settings }, logger });
  return new Client(app, { enforceCsrfChecks });
}

/** Every CORS header of a response, plus Vary: what a browser decides on, compared whole. */
function cors(response: TestResponse): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [name, value] of response.headers) {
    if (/^access-control-|^vary$/i.test(name)) seen[name] = value;
  }
  return seen;
}

const origin = (value: string) => ({ headers: { Origin: value } });
const preflight = (value: string, method = 'GET', extra: Record<string, string> = {}) => ({
  headers: { Origin: value, 'Access-Control-Request-Method': method, ...extra },
});

describe('CorsMiddleware (django-cors-headers tests/test_middleware.py)', () => {
  test('test_get_no_origin', async () => {
    const response = await client().get('/');
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_get_origin_vary_by_default', async () => {
    const response = await client().get('/', undefined, origin('https://example.com'));
    expect(response.headers.get('Vary')).toBe('Origin');
  });

  test('Vary: Origin joins a Vary the handler set (patch_vary_headers)', async () => {
    const response = await client().get('/vary-cookie/');
    expect(response.headers.get('Vary')).toBe('Cookie, Origin');
  });

  test('test_get_invalid_origin', async () => {
    const response = await client({ corsAllowAllOrigins: true }).get('/', undefined, origin('https://example.com]'));
    // Allowed by nothing but allow-all, and `]` is still visible ASCII: the value is reflected
    // only as `*` here, never parsed.
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': '*' });
    const strict = await client({ corsAllowedOrigins: ['https://example.com'] }).get('/', undefined, origin('https://example.com]'));
    expect(cors(strict)).toEqual({ Vary: 'Origin' });
  });

  test('test_get_not_in_allowed_origins', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'] }).get('/', undefined, origin('https://example.org'));
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_get_not_in_allowed_origins_due_to_wrong_scheme', async () => {
    const response = await client({ corsAllowedOrigins: ['http://example.org'] }).get('/', undefined, origin('https://example.org'));
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_get_in_allowed_origins', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com', 'https://example.org'] }).get('/', undefined, origin('https://example.org'));
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('home');
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': 'https://example.org' });
  });

  test('test_async_get_in_allowed_origins', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.org'] }).get('/async/', undefined, origin('https://example.org'));
    expect(response.text).toBe('later');
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': 'https://example.org' });
  });

  test('test_null_in_allowed_origins', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com', 'null'] }).get('/', undefined, origin('null'));
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': 'null' });
  });

  test('origin null is refused unless listed: a sandboxed iframe is not every page', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'] }).get('/', undefined, origin('null'));
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_file_in_allowed_origins', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com', 'file://'] }).get('/', undefined, origin('file://'));
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': 'file://' });
  });

  test('test_get_expose_headers', async () => {
    const response = await client({ corsAllowAllOrigins: true, corsExposeHeaders: ['accept', 'content-type'] }).get('/', undefined, origin('https://example.com'));
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'accept, content-type' });
  });

  test('test_get_dont_expose_headers', async () => {
    const response = await client({ corsAllowAllOrigins: true }).get('/', undefined, origin('https://example.com'));
    expect(cors(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': '*' });
  });

  test('test_get_allow_credentials: * is never sent with credentials, the origin is reflected', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowAllOrigins: true }).get('/', undefined, origin('https://example.com'));
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://example.com',
      'Access-Control-Allow-Credentials': 'true',
    });
  });

  test('test_get_dont_allow_credentials', async () => {
    const response = await client({ corsAllowAllOrigins: true }).get('/', undefined, origin('https://example.com'));
    expect(response.headers.has('Access-Control-Allow-Credentials')).toBe(false);
  });

  test('credentials are not announced to an origin that is not allowed', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowedOrigins: ['https://example.com'] }).get('/', undefined, origin('https://evil.example'));
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_options_allowed_origin', async () => {
    const response = await client({
      corsAllowHeaders: ['content-type'],
      corsAllowMethods: ['GET', 'OPTIONS'],
      corsPreflightMaxAge: 1002,
      corsAllowAllOrigins: true,
    }).options('/', undefined, preflight('https://example.com'));
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers.get('Content-Length')).toBe('0');
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'content-type',
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Max-Age': '1002',
    });
  });

  test('test_async_options_allowed_origin', async () => {
    const response = await client({ corsAllowHeaders: ['content-type'], corsAllowMethods: ['GET', 'OPTIONS'], corsPreflightMaxAge: 1002, corsAllowAllOrigins: true }).options(
      '/async/',
      undefined,
      preflight('https://example.com'),
    );
    expect(response.statusCode).toBe(200);
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'content-type',
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
      'Access-Control-Max-Age': '1002',
    });
  });

  test('the default preflight answer: django-cors-headers defaults.py headers and methods, a day of max-age', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'] }).options('/', undefined, preflight('https://example.com'));
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://example.com',
      'Access-Control-Allow-Headers': 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
      'Access-Control-Allow-Methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
      'Access-Control-Max-Age': '86400',
    });
  });

  test('test_options_no_max_age', async () => {
    const response = await client({ corsAllowHeaders: ['content-type'], corsAllowMethods: ['GET', 'OPTIONS'], corsPreflightMaxAge: 0, corsAllowAllOrigins: true }).options(
      '/',
      undefined,
      preflight('https://example.com'),
    );
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'content-type',
      'Access-Control-Allow-Methods': 'GET, OPTIONS',
    });
  });

  test('test_options_allowed_origins_with_port', async () => {
    const response = await client({ corsAllowedOrigins: ['https://localhost:9000'] }).options('/', undefined, preflight('https://localhost:9000'));
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://localhost:9000');
  });

  test('test_options_adds_origin_when_domain_found_in_allowed_regexes', async () => {
    const response = await client({ corsAllowedOriginRegexes: ['^https://\\w+\\.example\\.com$'] }).options('/', undefined, preflight('https://foo.example.com'));
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://foo.example.com');
  });

  test('test_options_adds_origin_when_domain_found_in_allowed_regexes_second', async () => {
    const response = await client({ corsAllowedOriginRegexes: ['^https://\\w+\\.example\\.org$', '^https://\\w+\\.example\\.com$'] }).options(
      '/',
      undefined,
      preflight('https://foo.example.com'),
    );
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://foo.example.com');
  });

  test('test_options_doesnt_add_origin_when_domain_not_found_in_allowed_regexes', async () => {
    const response = await client({ corsAllowedOriginRegexes: ['^https://\\w+\\.example\\.org$'] }).options('/', undefined, preflight('https://foo.example.com'));
    expect(response.statusCode).toBe(200);
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('test_options_empty_request_method', async () => {
    const response = await client().options('/', undefined, preflight('https://example.com', ''));
    expect(response.statusCode).toBe(200);
  });

  test('test_options_no_headers: a plain OPTIONS is the app’s own (204 with Allow; 404 for a missing path)', async () => {
    const known = await client().options('/');
    expect(known.statusCode).toBe(204);
    expect(known.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
    expect((await client().options('/missing/')).statusCode).toBe(404);
  });

  test('test_allow_all_origins_get', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowAllOrigins: true }).get('/', undefined, preflight('https://example.com'));
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
    expect(response.headers.get('Vary')).toBe('Origin');
    expect(response.headers.has('Access-Control-Allow-Methods')).toBe(false);
  });

  test('test_allow_all_origins_options', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowAllOrigins: true }).options('/', undefined, preflight('https://example.com'));
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    expect(response.headers.get('Vary')).toBe('Origin');
  });

  test('test_non_200_headers_still_set', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowAllOrigins: true }).get('/test-401/', undefined, origin('https://example.com'));
    expect(response.statusCode).toBe(401);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
  });

  test('test_auth_view_options', async () => {
    const response = await client({ corsAllowCredentials: true, corsAllowAllOrigins: true }).options('/test-401/', undefined, preflight('https://example.com'));
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
    expect(response.headers.get('Content-Length')).toBe('0');
  });

  test('test_get_short_circuit: a middleware outside CORS that answers gets no CORS headers', async () => {
    const shortCircuit: Middleware = () => new HttpResponse('short-circuit-middleware-response');
    const response = await client({ corsAllowedOrigins: ['https://example.com'] }, [shortCircuit, CorsMiddleware]).get('/', undefined, origin('https://example.com'));
    expect(response.text).toBe('short-circuit-middleware-response');
    expect(cors(response)).toEqual({});
  });

  test('test_get_regex_matches', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'], corsUrlsRegex: '^/foo/$' }).get('/foo/', undefined, origin('https://example.com'));
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
  });

  test('test_get_regex_doesnt_match: no CORS at all outside corsUrlsRegex, not even Vary', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'], corsUrlsRegex: '^/not-foo/$' }).get('/foo/', undefined, origin('https://example.com'));
    expect(cors(response)).toEqual({});
  });

  test('corsUrlsRegex matches from the start of the path, as re.match: ^/api/ covers what is under it', async () => {
    const api = client({ corsAllowedOrigins: ['https://example.com'], corsUrlsRegex: '^/api/' });
    const inside = await api.get('/api/items/', undefined, origin('https://example.com'));
    expect(inside.statusCode).toBe(200);
    expect(inside.headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
    expect(cors(await api.get('/foo/', undefined, origin('https://example.com')))).toEqual({});
    // A pattern found later in the path does not count: /foo/api/ is not under /api/.
    const later = client({ corsAllowedOrigins: ['https://example.com'], corsUrlsRegex: '/api/' });
    expect(cors(await later.get('/foo/', undefined, origin('https://example.com')))).toEqual({});
  });
});

describe('preflights are answered before routing, CSRF and the 405', () => {
  const settings: Partial<Settings> = { corsAllowedOrigins: ['https://app.example'] };

  test('a preflight for a JSON POST with a custom header: 200 and the headers, though no route has OPTIONS and CSRF is enforced', async () => {
    const response = await client(settings, undefined, true).options(
      '/api/items/',
      undefined,
      preflight('https://app.example', 'POST', { 'Access-Control-Request-Headers': 'content-type,x-csrftoken' }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('');
    expect(response.headers.has('Allow')).toBe(false);
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Headers': 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
      'Access-Control-Allow-Methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
      'Access-Control-Max-Age': '86400',
    });
  });

  test('a preflight for a method the path does not have is still answered (the browser then gets the 405)', async () => {
    const response = await client(settings).options('/foo/', undefined, preflight('https://app.example', 'DELETE'));
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
  });

  test("a route's own OPTIONS handler answers plain OPTIONS, but not preflights (as django-cors-headers)", async () => {
    const c = client(settings);
    expect((await c.options('/own-options/', undefined, origin('https://app.example'))).text).toBe('own options answer');
    const response = await c.options('/own-options/', undefined, preflight('https://app.example'));
    expect(response.text).toBe('');
    expect(response.statusCode).toBe(200);
  });

  test('CSRF is untouched by CORS: an allowed origin’s POST without a token is still 403, with CORS headers so the page can read why', async () => {
    logger.clear();
    const response = await client({ ...settings, corsAllowCredentials: true }, undefined, true).post('/api/items/', { name: 'x' }, origin('https://app.example'));
    expect(logger.messages()).toEqual(['Forbidden (Origin checking failed - https://app.example does not match any trusted origins.): /api/items/']);
    expect(response.statusCode).toBe(403);
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://app.example',
      'Access-Control-Allow-Credentials': 'true',
    });
    expect(resolveSettings({ debug: true, corsAllowedOrigins: ['https://app.example'] }).csrfTrustedOrigins).toEqual([]);
  });

  test('without CorsMiddleware a preflight gets the app’s 204 and no Access-Control-* header (the issue’s report)', async () => {
    const response = await client(settings, [...DEFAULT_MIDDLEWARE]).options('/api/items/', undefined, preflight('https://app.example', 'POST'));
    expect(response.statusCode).toBe(204);
    expect(cors(response)).toEqual({});
  });
});

describe('Access-Control-Allow-Private-Network', () => {
  const ask = (extra: Record<string, string> = {}) => preflight('https://example.com', 'GET', { 'Access-Control-Request-Private-Network': 'true', ...extra });

  test('sent on a preflight that asks, when corsAllowPrivateNetwork is on', async () => {
    const response = await client({ corsAllowAllOrigins: true, corsAllowPrivateNetwork: true }).options('/', undefined, ask());
    expect(response.headers.get('Access-Control-Allow-Private-Network')).toBe('true');
  });

  test('not sent when off (the default), nor when the preflight does not ask, nor to an origin not allowed', async () => {
    expect((await client({ corsAllowAllOrigins: true }).options('/', undefined, ask())).headers.has('Access-Control-Allow-Private-Network')).toBe(false);
    expect(
      (await client({ corsAllowAllOrigins: true, corsAllowPrivateNetwork: true }).options('/', undefined, preflight('https://example.com'))).headers.has(
        'Access-Control-Allow-Private-Network',
      ),
    ).toBe(false);
    expect(
      (await client({ corsAllowedOrigins: ['https://other.example'], corsAllowPrivateNetwork: true }).options('/', undefined, ask())).headers.has(
        'Access-Control-Allow-Private-Network',
      ),
    ).toBe(false);
  });
});

describe('@Cors and @CorsExempt', () => {
  test('@Cors on a handler: its origins, whatever the settings and corsUrlsRegex say', async () => {
    const c = client({ corsUrlsRegex: '^/api/' });
    const response = await c.get('/partner/data/', undefined, origin('https://partner.example'));
    expect(response.text).toBe('partner data');
    expect(cors(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://partner.example',
      'Access-Control-Expose-Headers': 'x-total-count',
    });
    expect(cors(await c.get('/partner/data/', undefined, origin('https://app.example')))).toEqual({ Vary: 'Origin' });
  });

  test("a preflight gets the options of the route its Access-Control-Request-Method names", async () => {
    const c = client();
    const put = await c.options('/partner/data/', undefined, preflight('https://partner.example', 'PUT'));
    expect(put.statusCode).toBe(200);
    expect(cors(put)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': 'https://partner.example',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
      'Access-Control-Allow-Methods': 'PUT',
      'Access-Control-Max-Age': '86400',
    });
    const get = await c.options('/partner/data/', undefined, preflight('https://partner.example', 'GET'));
    expect(get.headers.get('Access-Control-Allow-Methods')).toBe('DELETE, GET, OPTIONS, PATCH, POST, PUT');
    expect(get.headers.get('Access-Control-Expose-Headers')).toBe('x-total-count');
    expect(get.headers.has('Access-Control-Allow-Credentials')).toBe(false);
  });

  test('@CorsExempt: no CORS headers, and its preflight falls through to the app’s 204 with no Access-Control-*', async () => {
    const c = client({ corsAllowAllOrigins: true });
    expect(cors(await c.get('/partner/internal/', undefined, origin('https://example.com')))).toEqual({});
    const response = await c.options('/partner/internal/', undefined, preflight('https://example.com', 'PUT'));
    expect(response.statusCode).toBe(204);
    expect(response.headers.get('Allow')).toBe('GET, PUT, HEAD, OPTIONS');
    expect(cors(response)).toEqual({});
  });

  test("@Cors on a controller covers its handlers; a handler's @CorsExempt wins over it", async () => {
    const c = client();
    expect(cors(await c.get('/widgets/', undefined, origin('https://anyone.example')))).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': '*' });
    expect(cors(await c.get('/widgets/secret/', undefined, origin('https://anyone.example')))).toEqual({});
  });

  test('a bad origin in @Cors fails when the module loads, naming the decorator', () => {
    expect(() => Cors({ allowedOrigins: ['https://partner.example/'] })).toThrow(
      new ImproperlyConfigured("Origin 'https://partner.example/' in @Cors()'s allowedOrigins should not have path ('/'): an origin is scheme://host[:port] only."),
    );
    expect(() => Cors({ allowedOrigin: ['x'] } as never)).toThrow(new ImproperlyConfigured("@Cors(): unknown option 'allowedOrigin'."));
  });
});

describe('origins as an attacker sends them', () => {
  test('https://example.com.evil.com is not https://example.com', async () => {
    const response = await client({ corsAllowedOrigins: ['https://example.com'] }).get('/', undefined, origin('https://example.com.evil.com'));
    expect(cors(response)).toEqual({ Vary: 'Origin' });
  });

  test('an origin regex must match the whole origin: no $ is not a hole (re.match would allow the suffix)', async () => {
    const c = client({ corsAllowedOriginRegexes: ['https://\\w+\\.example\\.com'] });
    expect(cors(await c.get('/', undefined, origin('https://foo.example.com.evil.com')))).toEqual({ Vary: 'Origin' });
    expect(cors(await c.get('/', undefined, origin('https://evil.com/?https://foo.example.com')))).toEqual({ Vary: 'Origin' });
    expect((await c.get('/', undefined, origin('https://foo.example.com'))).headers.get('Access-Control-Allow-Origin')).toBe('https://foo.example.com');
  });

  test('case: the allowed origin is canonical (lower-case, as browsers send it); an upper-case Origin is not it', async () => {
    const c = client({ corsAllowedOrigins: ['https://App.Example.COM'] });
    expect((await c.get('/', undefined, origin('https://app.example.com'))).headers.get('Access-Control-Allow-Origin')).toBe('https://app.example.com');
    expect(cors(await c.get('/', undefined, origin('HTTPS://APP.EXAMPLE.COM')))).toEqual({ Vary: 'Origin' });
  });

  test('a default port in the setting is the origin without it, as browsers serialize it', async () => {
    const c = client({ corsAllowedOrigins: ['https://example.com:443'] });
    expect((await c.get('/', undefined, origin('https://example.com'))).headers.get('Access-Control-Allow-Origin')).toBe('https://example.com');
  });

  test('an IDN origin in the setting is the punycode a browser sends', async () => {
    const c = client({ corsAllowedOrigins: ['https://bücher.example'] });
    expect((await c.get('/', undefined, origin('https://xn--bcher-kva.example'))).headers.get('Access-Control-Allow-Origin')).toBe('https://xn--bcher-kva.example');
  });

  test('a trailing slash, a path or user info in the Origin header is not the allowed origin', async () => {
    const c = client({ corsAllowedOrigins: ['https://example.com'] });
    for (const sent of ['https://example.com/', 'https://example.com/x', 'https://user@example.com', 'https://example.com:8443']) {
      expect({ sent, headers: cors(await c.get('/', undefined, origin(sent))) }).toEqual({ sent, headers: { Vary: 'Origin' } });
    }
  });

  test('CR/LF or a second origin is never reflected, even when every origin is allowed with credentials', async () => {
    const c = client({ corsAllowAllOrigins: true, corsAllowCredentials: true });
    for (const sent of ['https://a.example\r\nSet-Cookie: sessionid=x', 'https://a.example\nX: y', 'https://a.example, https://b.example', 'https://a.example\u0000']) {
      const response = await c.get('/', undefined, origin(sent));
      expect({ sent, status: response.statusCode, headers: cors(response) }).toEqual({ sent, status: 200, headers: { Vary: 'Origin' } });
    }
  });

  test('a permissive regex ([^/]+) cannot let CR/LF through either', async () => {
    const c = client({ corsAllowedOriginRegexes: ['https://[^/]+\\.example\\.com'] });
    const response = await c.get('/', undefined, origin('https://x\r\nSet-Cookie: a=b\r\n.example.com'));
    expect({ status: response.statusCode, headers: cors(response) }).toEqual({ status: 200, headers: { Vary: 'Origin' } });
  });
});

describe('settings checked at start-up (django-cors-headers checks.py)', () => {
  const fails = (settings: Partial<Settings>, message: string) => expect(() => resolveSettings({ debug: true, ...settings })).toThrow(new ImproperlyConfigured(message));

  test('the defaults are django-cors-headers’', () => {
    const settings = resolveSettings({ debug: true });
    expect({
      corsAllowedOrigins: settings.corsAllowedOrigins,
      corsAllowedOriginRegexes: settings.corsAllowedOriginRegexes,
      corsAllowAllOrigins: settings.corsAllowAllOrigins,
      corsUrlsRegex: settings.corsUrlsRegex,
      corsAllowMethods: settings.corsAllowMethods,
      corsAllowHeaders: settings.corsAllowHeaders,
      corsExposeHeaders: settings.corsExposeHeaders,
      corsPreflightMaxAge: settings.corsPreflightMaxAge,
      corsAllowCredentials: settings.corsAllowCredentials,
      corsAllowPrivateNetwork: settings.corsAllowPrivateNetwork,
    }).toEqual({
      corsAllowedOrigins: [],
      corsAllowedOriginRegexes: [],
      corsAllowAllOrigins: false,
      corsUrlsRegex: '^.*$',
      corsAllowMethods: ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      corsAllowHeaders: ['accept', 'authorization', 'content-type', 'user-agent', 'x-csrftoken', 'x-requested-with'],
      corsExposeHeaders: [],
      corsPreflightMaxAge: 86400,
      corsAllowCredentials: false,
      corsAllowPrivateNetwork: false,
    });
  });

  test("from the environment under django-cors-headers' names, lists comma-separated", () => {
    const settings = settingsFromEnv({
      dotenv: false,
      env: {
        CORS_ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:5173',
        CORS_ALLOW_CREDENTIALS: 'true',
        CORS_URLS_REGEX: '^/api/',
        CORS_PREFLIGHT_MAX_AGE: '600',
      },
    });
    expect(settings).toEqual({
      corsAllowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      corsAllowCredentials: true,
      corsUrlsRegex: '^/api/',
      corsPreflightMaxAge: 600,
    });
    expect(resolveSettings({ debug: true, ...settings }).corsAllowedOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  test('E013: an origin without scheme or host', () => {
    fails({ corsAllowedOrigins: ['example.com'] }, "Origin 'example.com' in The corsAllowedOrigins setting is missing scheme or netloc. Add a scheme (e.g. https://) or netloc (e.g. example.com).");
    fails({ corsAllowedOrigins: ['https://'] }, "Origin 'https://' in The corsAllowedOrigins setting is missing scheme or netloc. Add a scheme (e.g. https://) or netloc (e.g. example.com).");
  });

  test('E014: an origin with a path (a trailing slash is one), a query or a fragment', () => {
    fails({ corsAllowedOrigins: ['https://example.com/'] }, "Origin 'https://example.com/' in The corsAllowedOrigins setting should not have path ('/'): an origin is scheme://host[:port] only.");
    fails({ corsAllowedOrigins: ['https://example.com?a=1'] }, "Origin 'https://example.com?a=1' in The corsAllowedOrigins setting should not have query ('?a=1'): an origin is scheme://host[:port] only.");
    fails({ corsAllowedOrigins: ['https://example.com#x'] }, "Origin 'https://example.com#x' in The corsAllowedOrigins setting should not have fragment ('#x'): an origin is scheme://host[:port] only.");
  });

  test("'*' is not an origin: corsAllowAllOrigins says that", () => {
    fails({ corsAllowedOrigins: ['*'] }, "Origin '*' in The corsAllowedOrigins setting is not an origin. To allow every origin, set corsAllowAllOrigins: true.");
  });

  test('user info, spaces and control characters are refused', () => {
    fails({ corsAllowedOrigins: ['https://u@example.com'] }, "Origin 'https://u@example.com' in The corsAllowedOrigins setting should not have user info.");
    fails({ corsAllowedOrigins: ['https://example.com\r\n'] }, 'Origin "https://example.com\\r\\n" in The corsAllowedOrigins setting contains spaces or control characters.');
  });

  test('E001/E002/E008: header and method lists hold names that cannot split a header', () => {
    fails({ corsAllowHeaders: ['x-ok', 'x-bad\r\nSet-Cookie: a=b'] }, 'The corsAllowHeaders setting must hold header or method names; "x-bad\\r\\nSet-Cookie: a=b" is not one.');
    fails({ corsAllowMethods: ['GET, POST'] }, 'The corsAllowMethods setting must hold header or method names; "GET, POST" is not one.');
    fails({ corsExposeHeaders: 'x-total' as never }, 'The corsExposeHeaders setting must be a list of strings.');
  });

  test('E003/E005: booleans; E004: max age an integer >= 0', () => {
    fails({ corsAllowCredentials: 'yes' as never }, 'The corsAllowCredentials setting should be a bool.');
    fails({ corsAllowAllOrigins: 1 as never }, 'The corsAllowAllOrigins setting should be a bool.');
    fails({ corsPreflightMaxAge: -1 }, 'The corsPreflightMaxAge setting should be an integer greater than or equal to zero.');
  });

  test('E007/E009: regexes must compile', () => {
    expect(() => resolveSettings({ debug: true, corsAllowedOriginRegexes: ['https://(unclosed'] })).toThrow(
      /^The corsAllowedOriginRegexes setting: "https:\/\/\(unclosed" is not a valid regular expression/,
    );
    expect(() => resolveSettings({ debug: true, corsUrlsRegex: '^/api/(' })).toThrow(/^The corsUrlsRegex setting: "\^\/api\/\(" is not a valid regular expression/);
  });
});
