/**
 * ContentSecurityPolicyMiddleware, the CSP constants, buildPolicy and the per-route decorators:
 * Django 6.0's tests/middleware/test_csp.py and tests/utils_tests/test_csp.py, named after them
 * where they apply.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { CspExempt, CspOverride, CspReportOnlyOverride } from '../../decorators/csp';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { render } from '../../src/core/templates';
import { CSP, buildPolicy, type CspConfig } from '../../src/http/csp';
import { ImproperlyConfigured } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { ContentSecurityPolicyMiddleware } from '../../src/middleware/content-security-policy';
import { Client } from '../../src/testing/client';

const basicConfig: CspConfig = { 'default-src': [CSP.SELF] };
const basicPolicy = "default-src 'self'";
const overrideConfig: CspConfig = { 'default-src': [CSP.SELF], 'img-src': [CSP.SELF, 'data:'] };
const overridePolicy = "default-src 'self'; img-src 'self' data:";

const templates = mkdtempSync(join(tmpdir(), 'reinhardt-csp-'));
writeFileSync(join(templates, 'nonce.html'), '<script nonce="{{ cspNonce }}">go()</script>');
writeFileSync(join(templates, 'plain.html'), '<p>no inline code</p>');
afterAll(() => rmSync(templates, { recursive: true, force: true }));

@Controller('')
class CspController {
  @Get('/csp-base/')
  base() {
    return new HttpResponse('');
  }

  @Get('/csp-nonce/')
  nonce(request: HttpRequest) {
    return new HttpResponse(request.cspNonce ?? 'undefined');
  }

  @Get('/csp-nonce-async/')
  async nonceAsync(request: HttpRequest) {
    await new Promise((resolve) => setImmediate(resolve));
    return new HttpResponse(request.cspNonce ?? 'undefined');
  }

  @Get('/csp-500/')
  crash(): never {
    throw new Error('boom');
  }

  @Get('/own-header/')
  ownHeader() {
    return new HttpResponse('', { headers: { 'Content-Security-Policy': "default-src 'none'" } });
  }

  @Get('/template-nonce/')
  templateNonce(request: HttpRequest) {
    return render(request, 'nonce.html');
  }

  @Get('/template-plain/')
  templatePlain(request: HttpRequest) {
    return render(request, 'plain.html');
  }

  @Get('/override-enforced/')
  @CspOverride(overrideConfig)
  overrideEnforced() {
    return '';
  }

  @Get('/override-report-only/')
  @CspReportOnlyOverride(overrideConfig)
  overrideReportOnly() {
    return '';
  }

  @Get('/override-both/')
  @CspOverride(overrideConfig)
  @CspReportOnlyOverride(overrideConfig)
  overrideBoth() {
    return '';
  }

  @Get('/override-nonce/')
  @CspOverride({ 'script-src': [CSP.SELF, CSP.NONCE] })
  overrideNonce(request: HttpRequest) {
    return request.cspNonce ?? 'undefined';
  }

  @Get('/disabled-enforced/')
  @CspOverride({})
  disabledEnforced() {
    return '';
  }

  @Get('/disabled-report-only/')
  @CspReportOnlyOverride({})
  disabledReportOnly() {
    return '';
  }

  @Get('/exempt/')
  @CspExempt()
  exempt() {
    return '';
  }
}

@Controller('/legacy')
@CspExempt()
class LegacyController {
  @Get('/page/')
  page() {
    return '';
  }

  @Get('/strict/')
  @CspOverride(basicConfig)
  strict() {
    return '';
  }
}

function client(settings: Partial<Settings> = {}, middleware: Middleware[] = [ContentSecurityPolicyMiddleware]) {
  const app = createApp({
    controllers: [CspController, LegacyController],
    settings: { secretKey: 'k', templatesDir: templates, ...settings },
    container: root.createChildContainer(),
    middleware,
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

describe('CSP constants (CSPConstantsTests)', () => {
  test('test_constants: the quoted keywords and the nonce placeholder', () => {
    expect({ ...CSP }).toEqual({
      HEADER_ENFORCE: 'Content-Security-Policy',
      HEADER_REPORT_ONLY: 'Content-Security-Policy-Report-Only',
      NONE: "'none'",
      REPORT_SAMPLE: "'report-sample'",
      SELF: "'self'",
      STRICT_DYNAMIC: "'strict-dynamic'",
      UNSAFE_EVAL: "'unsafe-eval'",
      UNSAFE_HASHES: "'unsafe-hashes'",
      UNSAFE_INLINE: "'unsafe-inline'",
      WASM_UNSAFE_EVAL: "'wasm-unsafe-eval'",
      NONCE: '<CSP_NONCE_SENTINEL>',
    });
    expect(Object.isFrozen(CSP)).toBe(true);
  });
});

describe('buildPolicy (CSPBuildPolicyTest)', () => {
  test('test_config_empty', () => expect(buildPolicy({})).toBe(''));
  test('test_config_basic', () => expect(buildPolicy(basicConfig)).toBe(basicPolicy));
  test('test_config_multiple_directives', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF], 'script-src': [CSP.NONE] })).toBe("default-src 'self'; script-src 'none'");
  });
  test('test_config_value_as_string', () => expect(buildPolicy({ 'default-src': CSP.SELF })).toBe("default-src 'self'"));
  test('test_config_value_as_tuple (an array)', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF, 'foo.com'] })).toBe("default-src 'self' foo.com");
  });
  test('test_config_value_as_set: sorted, so the header is the same on every response', () => {
    expect(buildPolicy({ 'default-src': new Set([CSP.SELF, 'foo.com', 'bar.com']) })).toBe("default-src 'self' bar.com foo.com");
  });
  test('test_config_value_none: null leaves the directive out', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF], 'script-src': null })).toBe(basicPolicy);
  });
  test('test_config_value_boolean_true', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF], 'block-all-mixed-content': true })).toBe("default-src 'self'; block-all-mixed-content");
  });
  test('test_config_value_boolean_false', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF], 'block-all-mixed-content': false })).toBe(basicPolicy);
  });
  test('test_config_value_multiple_boolean', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF], 'block-all-mixed-content': true, 'upgrade-insecure-requests': true })).toBe(
      "default-src 'self'; block-all-mixed-content; upgrade-insecure-requests",
    );
  });
  test('test_config_with_nonce_arg: without CSP.NONCE in the policy, the nonce has no effect', () => {
    expect(buildPolicy(basicConfig, 'abc123')).toBe(basicPolicy);
  });
  test('test_config_with_nonce', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF, CSP.NONCE] }, 'abc123')).toBe("default-src 'self' 'nonce-abc123'");
  });
  test('test_config_with_multiple_nonces', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF, CSP.NONCE], 'script-src': [CSP.SELF, CSP.NONCE] }, 'abc123')).toBe(
      "default-src 'self' 'nonce-abc123'; script-src 'self' 'nonce-abc123'",
    );
  });
  test('test_config_with_empty_directive', () => expect(buildPolicy({ 'default-src': [] })).toBe(''));
  test('without a nonce, CSP.NONCE is dropped and a directive left empty with it', () => {
    expect(buildPolicy({ 'default-src': [CSP.SELF, CSP.NONCE], 'script-src': [CSP.NONCE] })).toBe(basicPolicy);
  });
  test('a strict policy from the constants', () => {
    const policy = {
      'default-src': [CSP.NONE],
      'script-src': [CSP.STRICT_DYNAMIC, CSP.NONCE, CSP.UNSAFE_INLINE, 'https:'],
      'style-src': [CSP.SELF, CSP.REPORT_SAMPLE],
      'object-src': CSP.NONE,
      'base-uri': [CSP.NONE],
      'upgrade-insecure-requests': true,
    };
    expect(buildPolicy(policy, 'n0nce')).toBe(
      "default-src 'none'; script-src 'strict-dynamic' 'nonce-n0nce' 'unsafe-inline' https:; style-src 'self' 'report-sample'; " +
        "object-src 'none'; base-uri 'none'; upgrade-insecure-requests",
    );
  });
});

describe('request.cspNonce (LazyNonceTests)', () => {
  test('test_generates_on_usage: 22 base64url characters (token_urlsafe(16)), made on first read', async () => {
    const response = await client().get('/csp-nonce/');
    const nonce = response.body.toString();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test('test_returns_same_value, and a new one per request', async () => {
    let seen: string[] = [];
    @Controller('')
    class TwiceController {
      @Get('/twice/')
      twice(request: HttpRequest) {
        seen = [request.cspNonce!, request.cspNonce!];
        return '';
      }
    }
    const app = createApp({ controllers: [TwiceController], settings: { secretKey: 'k' }, container: root.createChildContainer(), middleware: [ContentSecurityPolicyMiddleware] });
    const c = new Client(app);
    await c.get('/twice/');
    const first = seen;
    await c.get('/twice/');
    expect(first[0]).toBe(first[1]);
    expect(seen[0]).not.toBe(first[0]);
  });

  test('is undefined without the middleware (Django: get_nonce() is None), and no header is sent', async () => {
    const response = await client({ secureCsp: basicConfig }, []).get('/csp-nonce/');
    expect(response.body.toString()).toBe('undefined');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
  });
});

describe('ContentSecurityPolicyMiddleware (CSPMiddlewareTest)', () => {
  test('test_csp_defaults_off: the settings default to {}, and neither header is sent', async () => {
    expect(resolveSettings({ secretKey: 'k' }).secureCsp).toEqual({});
    expect(resolveSettings({ secretKey: 'k' }).secureCspReportOnly).toEqual({});
    const response = await client().get('/csp-base/');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('test_csp_basic: secureCsp gives the Content-Security-Policy header', async () => {
    const response = await client({ secureCsp: basicConfig }).get('/csp-base/');
    expect(response.headers.get('Content-Security-Policy')).toBe(basicPolicy);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('test_csp_basic_with_nonce: the nonce the handler read is the one in the header', async () => {
    const response = await client({ secureCsp: { 'default-src': [CSP.SELF, CSP.NONCE] } }).get('/csp-nonce/');
    const nonce = response.body.toString();
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(response.headers.get('Content-Security-Policy')).toBe(`default-src 'self' 'nonce-${nonce}'`);
  });

  test('test_csp_basic_with_nonce, from an asynchronous handler', async () => {
    const response = await client({ secureCsp: { 'default-src': [CSP.SELF, CSP.NONCE] } }).get('/csp-nonce-async/');
    expect(response.headers.get('Content-Security-Policy')).toBe(`default-src 'self' 'nonce-${response.body.toString()}'`);
  });

  test('test_csp_basic_with_nonce_but_unused: a nonce never read is not in the header', async () => {
    const response = await client({ secureCsp: { 'default-src': [CSP.SELF, CSP.NONCE] } }).get('/csp-base/');
    expect(response.headers.get('Content-Security-Policy')).toBe(basicPolicy);
  });

  test('test_csp_report_only_basic', async () => {
    const response = await client({ secureCspReportOnly: basicConfig }).get('/csp-base/');
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(basicPolicy);
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
  });

  test('test_csp_both, with one nonce in both headers', async () => {
    const config = { 'default-src': [CSP.SELF, CSP.NONCE] };
    const response = await client({ secureCsp: config, secureCspReportOnly: { ...config, 'report-uri': '/csp-report/' } }).get('/csp-nonce/');
    const nonce = response.body.toString();
    expect(response.headers.get('Content-Security-Policy')).toBe(`default-src 'self' 'nonce-${nonce}'`);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(`default-src 'self' 'nonce-${nonce}'; report-uri /csp-report/`);
  });

  test('test_csp_404_debug_view: the technical 404 page gets no CSP header', async () => {
    const response = await client({ debug: true, secureCsp: basicConfig, secureCspReportOnly: basicConfig }).get('/csp-404/');
    expect(response.statusCode).toBe(404);
    expect(response.body.toString()).toContain('Page not found');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('test_csp_500_debug_view: the technical 500 page gets no CSP header', async () => {
    const response = await client({ debug: true, secureCsp: basicConfig, secureCspReportOnly: basicConfig }).get('/csp-500/');
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).toContain('Error at /csp-500/');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('production error pages (no route matched, a 500) do get the policy', async () => {
    const c = client({ secureCsp: basicConfig });
    expect((await c.get('/nowhere/')).headers.get('Content-Security-Policy')).toBe(basicPolicy);
    const crash = await c.get('/csp-500/');
    expect(crash.statusCode).toBe(500);
    expect(crash.headers.get('Content-Security-Policy')).toBe(basicPolicy);
  });

  test("a header the handler set is kept (Django: \"If headers are already set on the response, don't overwrite them\")", async () => {
    const response = await client({ secureCsp: basicConfig }).get('/own-header/');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'");
  });
});

describe('the nonce in templates (Django\'s csp context processor)', () => {
  test('{{ cspNonce }} prints the nonce of the header', async () => {
    const response = await client({ secureCsp: { 'script-src': [CSP.SELF, CSP.NONCE] } }).get('/template-nonce/');
    const nonce = /nonce="([^"]*)"/.exec(response.body.toString())![1];
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(response.headers.get('Content-Security-Policy')).toBe(`script-src 'self' 'nonce-${nonce}'`);
  });

  test('a template that does not print it makes no nonce', async () => {
    const response = await client({ secureCsp: { 'script-src': [CSP.SELF, CSP.NONCE] } }).get('/template-plain/');
    expect(response.body.toString()).toBe('<p>no inline code</p>');
    expect(response.headers.get('Content-Security-Policy')).toBe("script-src 'self'");
  });

  test('prints nothing without the middleware', async () => {
    const response = await client({}, []).get('/template-nonce/');
    expect(response.body.toString()).toBe('<script nonce="">go()</script>');
  });
});

describe('per-route policies (Django 6.0: csp_override, csp_report_only_override)', () => {
  const settings = { secureCsp: basicConfig, secureCspReportOnly: basicConfig };

  test('@CspOverride replaces the enforced policy only', async () => {
    const response = await client(settings).get('/override-enforced/');
    expect(response.headers.get('Content-Security-Policy')).toBe(overridePolicy);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(basicPolicy);
  });

  test('@CspReportOnlyOverride replaces the report-only policy only', async () => {
    const response = await client(settings).get('/override-report-only/');
    expect(response.headers.get('Content-Security-Policy')).toBe(basicPolicy);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(overridePolicy);
  });

  test('both decorators together', async () => {
    const response = await client(settings).get('/override-both/');
    expect(response.headers.get('Content-Security-Policy')).toBe(overridePolicy);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(overridePolicy);
  });

  test('an override applies even when the settings have no policy, nonce included', async () => {
    const response = await client().get('/override-nonce/');
    expect(response.headers.get('Content-Security-Policy')).toBe(`script-src 'self' 'nonce-${response.body.toString()}'`);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('@CspOverride({}) sends no enforced header; the report-only one stays', async () => {
    const response = await client(settings).get('/disabled-enforced/');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(basicPolicy);
  });

  test('@CspReportOnlyOverride({}) sends no report-only header; the enforced one stays', async () => {
    const response = await client(settings).get('/disabled-report-only/');
    expect(response.headers.get('Content-Security-Policy')).toBe(basicPolicy);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('@CspExempt() sends neither header', async () => {
    const response = await client(settings).get('/exempt/');
    expect(response.headers.has('Content-Security-Policy')).toBe(false);
    expect(response.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test("on a controller, a decorator applies to each handler that has none of its own", async () => {
    const c = client(settings);
    const page = await c.get('/legacy/page/');
    expect(page.headers.has('Content-Security-Policy')).toBe(false);
    expect(page.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
    const strict = await c.get('/legacy/strict/');
    expect(strict.headers.get('Content-Security-Policy')).toBe(basicPolicy);
    expect(strict.headers.has('Content-Security-Policy-Report-Only')).toBe(false);
  });

  test('routes without a decorator keep the settings', async () => {
    const response = await client(settings).get('/csp-base/');
    expect(response.headers.get('Content-Security-Policy')).toBe(basicPolicy);
    expect(response.headers.get('Content-Security-Policy-Report-Only')).toBe(basicPolicy);
  });
});

describe('a policy that would break the header fails at start-up, naming where it is', () => {
  test.each([
    ['a value with ";" (another directive)', { 'script-src': "'self'; script-src *" }, "The secureCsp setting: the value of 'script-src' must be sources without spaces, ';' or ','"],
    ['a value with "," (another policy)', { 'script-src': ["'self',*"] }, "The secureCsp setting: the value of 'script-src' must be sources"],
    ['a value with CR LF (another header)', { 'script-src': ["'self'\r\nSet-Cookie:x=1"] }, "The secureCsp setting: the value of 'script-src' must be sources"],
    ['a bad directive name', { 'script src': [CSP.SELF] }, "The secureCsp setting: 'script src' is not a CSP directive name."],
    ['not an object', ["default-src 'self'"], 'The secureCsp setting must be an object of CSP directives'],
  ])('%s', (_what, secureCsp, message) => {
    expect(() => resolveSettings({ secretKey: 'k', secureCsp: secureCsp as unknown as CspConfig })).toThrow(ImproperlyConfigured);
    expect(() => resolveSettings({ secretKey: 'k', secureCsp: secureCsp as unknown as CspConfig })).toThrow(message);
  });

  test('secureCspReportOnly is checked too', () => {
    expect(() => resolveSettings({ secretKey: 'k', secureCspReportOnly: { 'default-src': 42 } as unknown as CspConfig })).toThrow(
      "The secureCspReportOnly setting: the value of 'default-src' must be sources without spaces, ';' or ',' (a string, an array or a Set of them, or a boolean); got 42.",
    );
  });

  test('a decorator with a bad policy throws when it is applied', () => {
    expect(() => CspOverride({ 'img-src': ['data: https:'] })).toThrow(
      "@CspOverride(): the value of 'img-src' must be sources without spaces, ';' or ','",
    );
  });
});
