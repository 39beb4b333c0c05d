/**
 * Django's tests/csrf_tests/tests.py, translated: django/django at 90026602450d (the newest
 * version the reference store holds: Django 4.1's development, with unmasked cookies).
 * Django calls CsrfViewMiddleware's hooks on a hand-made request; here each request goes through
 * CsrfMiddleware with the test Client (`enforceCsrfChecks`), and the views are routes:
 * `post_form_view` -> /post_form_view/, `token_view` (renders `{% csrf_token %}`) -> /token_view/,
 * `non_token_view_using_request_processor` -> /non_token_view/, `protected_view` -> /protected/,
 * `ensure_csrf_cookie_view` -> /ensure_csrf_cookie_view/ (the view calls `csrfToken(request)`,
 * which is what Django's decorator does), `csrf_exempt(...)` -> routes with `@CsrfExempt()`.
 * `req._is_secure_override = True` is `{ secure: true }`; `HTTP_HOST`, `HTTP_REFERER`,
 * `HTTP_ORIGIN` are request headers; `process_view(...)` returning None is a 200 from the view.
 * The 403's reason is read from the JSON answer (`{"detail": "CSRF Failed: <reason>"}`), where
 * Django's tests read the `django.security.csrf` log record: the log line is being moved onto
 * the app Logger (issue 23) and is covered by test/middleware/csrf.test.ts.
 *
 * Not translated, with the reason:
 * - CsrfViewMiddlewareUseSessionsTests (the whole class, with the mixin's tests it reruns):
 *   CSRF_USE_SESSIONS is not offered; the secret lives in the cookie.
 * - test_rotate_token_triggers_second_reset, test_set_cookie_called_only_once: they stack
 *   `csrf_protect` / `ensure_csrf_cookie` / a rotating decorator on one view so that the
 *   middleware's process_response runs twice; there are no per-view CSRF decorators here (the one
 *   middleware runs once per request).
 * - test_get_token_for_requires_csrf_token_view, test_ensures_csrf_cookie_no_middleware: no
 *   `requires_csrf_token` / `ensure_csrf_cookie` decorators working without the middleware;
 *   with it, test_get_token_for_exempt_view and test_ensures_csrf_cookie_with_middleware hold.
 * Parts left out inside translated tests: the `_check_referer` / `_origin_verified` calls on the
 * middleware's private methods (the response they lead to is asserted), and Django's
 * AssertionError in test_does_token_match_wrong_token_length (a wrong length is simply no match).
 */
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { CsrfExempt } from '../../decorators/guards';
import { Delete, Get, Post, Put } from '../../decorators/route';
import { createApp, type Application } from '../../src/core/application';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { CsrfMiddleware } from '../../src/middleware/csrf';
import { trustedOriginsFor } from '../../src/middleware/csrf-origins';
import {
  checkTokenFormat,
  csrfToken,
  doesTokenMatch,
  InvalidTokenFormat,
  maskCipherSecret,
  REASON_CSRF_TOKEN_MISSING,
  REASON_NO_CSRF_COOKIE,
  rotateToken,
  states,
  unmaskCipherToken,
} from '../../src/middleware/csrf-token';
import { REASON_BAD_ORIGIN } from '../../src/middleware/csrf-origins';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client, type TestResponse } from '../../src/testing/client';

// This is a test (unmasked) CSRF cookie / secret.
const TEST_SECRET = 'lcccccccX2kcccccccY2jcccccccssIC';
// Two masked versions of TEST_SECRET for testing purposes.
const MASKED_TEST_SECRET1 = '1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD';
const MASKED_TEST_SECRET2 = '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf';
const CSRF_SECRET_LENGTH = 32;
const CSRF_TOKEN_LENGTH = 64;
const CSRF_ALLOWED_CHARS = /^[a-zA-Z0-9]*$/;

function assertMaskedSecretCorrect(maskedSecret: string, secret: string): void {
  expect(maskedSecret).toHaveLength(CSRF_TOKEN_LENGTH);
  expect(secret).toHaveLength(CSRF_SECRET_LENGTH);
  expect(maskedSecret).toMatch(CSRF_ALLOWED_CHARS);
  expect(unmaskCipherToken(maskedSecret)).toBe(secret);
}

/** Django's `HttpRequest()`: a bare GET request with no headers and no body. */
function bareRequest(settings: Partial<Settings> = {}): HttpRequest {
  const stream = Object.assign(Readable.from([]), {
    method: 'GET',
    url: '/',
    rawHeaders: ['Host', 'testserver'],
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 40000, localPort: 80, encrypted: false },
  });
  return new HttpRequest(stream as unknown as IncomingMessage, resolveSettings({ secretKey: 's', ...settings }));
}

describe('CsrfFunctionTests', () => {
  test('test_unmask_cipher_token', () => {
    const cases: [string, string][] = [
      [TEST_SECRET, MASKED_TEST_SECRET1],
      [TEST_SECRET, MASKED_TEST_SECRET2],
      ['a'.repeat(32), 'vFioG3XOLyGyGsPRFyB9iYUs341ufzIEvFioG3XOLyGyGsPRFyB9iYUs341ufzIE'],
      ['a'.repeat(32), 'a'.repeat(64)],
      ['a'.repeat(32), 'b'.repeat(64)],
      ['b'.repeat(32), 'a'.repeat(32) + 'b'.repeat(32)],
      ['b'.repeat(32), 'b'.repeat(32) + 'c'.repeat(32)],
      ['c'.repeat(32), 'a'.repeat(32) + 'c'.repeat(32)],
    ];
    for (const [secret, maskedSecret] of cases) expect(unmaskCipherToken(maskedSecret)).toBe(secret);
  });

  test('test_mask_cipher_secret', () => {
    for (const secret of ['a'.repeat(32), TEST_SECRET, 'da4SrUiHJYoJ0HYQ0vcgisoIuFOxx4ER']) {
      assertMaskedSecretCorrect(maskCipherSecret(secret), secret);
    }
  });

  test('test_get_token_csrf_cookie_set', () => {
    const request = bareRequest();
    states.set(request, { secret: TEST_SECRET, needsUpdate: false });
    const token = csrfToken(request);
    assertMaskedSecretCorrect(token, TEST_SECRET);
    // The existing cookie is preserved.
    expect(states.get(request)!.secret).toBe(TEST_SECRET);
    expect(states.get(request)!.needsUpdate).toBe(true);
  });

  test('test_get_token_csrf_cookie_not_set', () => {
    const request = bareRequest();
    expect(states.has(request)).toBe(false);
    const token = csrfToken(request);
    const cookie = states.get(request)!.secret;
    assertMaskedSecretCorrect(token, cookie);
    expect(states.get(request)!.needsUpdate).toBe(true);
  });

  test('test_rotate_token', () => {
    const request = bareRequest();
    states.set(request, { secret: TEST_SECRET, needsUpdate: false });
    rotateToken(request);
    // The underlying secret was changed.
    const cookie = states.get(request)!.secret;
    expect(cookie).toHaveLength(CSRF_SECRET_LENGTH);
    expect(cookie).not.toBe(TEST_SECRET);
    expect(states.get(request)!.needsUpdate).toBe(true);
  });

  test('test_check_token_format_valid', () => {
    for (const token of [TEST_SECRET, MASKED_TEST_SECRET1, 'a'.repeat(64)]) {
      expect(checkTokenFormat(token)).toBeUndefined();
    }
  });

  test('test_check_token_format_invalid', () => {
    for (const [token, expectedMessage] of [
      ['*'.repeat(64), 'has invalid characters'],
      ['a'.repeat(16), 'has incorrect length'],
    ]) {
      expect(() => checkTokenFormat(token!)).toThrow(new InvalidTokenFormat(expectedMessage));
    }
  });

  test('test_does_token_match', () => {
    const cases: [[string, string], boolean][] = [
      // Masked tokens match.
      [[MASKED_TEST_SECRET1, TEST_SECRET], true],
      [[MASKED_TEST_SECRET2, TEST_SECRET], true],
      [['a'.repeat(64), unmaskCipherToken('a'.repeat(64))], true],
      // Unmasked tokens match.
      [[TEST_SECRET, TEST_SECRET], true],
      [['a'.repeat(32), 'a'.repeat(32)], true],
      // Incorrect tokens don't match.
      [['a'.repeat(32), TEST_SECRET], false],
      [['a'.repeat(64), TEST_SECRET], false],
    ];
    for (const [[token, secret], expected] of cases) expect(doesTokenMatch(token, secret)).toBe(expected);
  });

  test('test_does_token_match_wrong_token_length', () => {
    // Django asserts the length first; a token of another length never matches here.
    expect(doesTokenMatch('a'.repeat(16), TEST_SECRET)).toBe(false);
  });
});

/** Django's tests/csrf_tests/views.py `TestingHttpResponse` body for the token views. */
function tokenPage(request: HttpRequest): HttpResponse {
  return new HttpResponse(`<input type="hidden" name="csrfmiddlewaretoken" value="${csrfToken(request)}">`);
}

@Controller('')
class CsrfTestViews {
  @Post('/post_form_view/')
  postFormView() {
    return new HttpResponse('<html><body><h1>\u00a1Unicode!<form method="post"><input type="text"></form></body></html>');
  }

  @Put('/post_form_view/')
  putFormView() {
    return new HttpResponse('OK');
  }

  @Delete('/post_form_view/')
  deleteFormView() {
    return new HttpResponse('OK');
  }

  @Post('/exempt_post_form_view/')
  @CsrfExempt()
  exemptPostFormView() {
    return new HttpResponse('OK');
  }

  @Get('/token_view/')
  tokenViewGet(request: HttpRequest) {
    return tokenPage(request);
  }

  @Post('/token_view/')
  tokenViewPost(request: HttpRequest) {
    return tokenPage(request);
  }

  @Get('/exempt_token_view/')
  @CsrfExempt()
  exemptTokenView(request: HttpRequest) {
    return tokenPage(request);
  }

  @Get('/non_token_view/')
  nonTokenView() {
    return new HttpResponse('OK');
  }

  @Get('/protected/')
  protectedView() {
    return new HttpResponse('OK');
  }

  @Get('/ensure_csrf_cookie_view/')
  ensureCsrfCookieView(request: HttpRequest) {
    csrfToken(request);
    return new HttpResponse('OK');
  }
}

function makeApp(settings: Partial<Settings> = {}): Application {
  return createApp({
    controllers: [CsrfTestViews],
    settings: { secretKey: 'k', ...settings },
    container: root.createChildContainer(),
    middleware: [CsrfMiddleware],
    logger: new CapturingLogger(),
  });
}

interface CsrfRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path?: string;
  /** The csrftoken cookie; null for none. Default MASKED_TEST_SECRET1 (Django's `_csrf_id_cookie`). */
  cookie?: string | null;
  /** `req.POST['csrfmiddlewaretoken']`. */
  postToken?: string;
  /** `req.META[tokenHeader]`. */
  metaToken?: string;
  tokenHeader?: string;
  secure?: boolean;
  headers?: Record<string, string>;
  settings?: Partial<Settings>;
  /** Ask for JSON, so that a 403 says its reason in `detail`. */
  json?: boolean;
}

/** Django's `_get_csrf_cookie_request` + running the middleware and the view. */
async function csrfRequest(options: CsrfRequest = {}): Promise<TestResponse> {
  const client = new Client(makeApp(options.settings), { enforceCsrfChecks: true });
  const cookie = options.cookie === undefined ? MASKED_TEST_SECRET1 : options.cookie;
  if (cookie !== null) client.cookies.set(options.settings?.csrfCookieName ?? 'csrftoken', cookie);
  const headers: Record<string, string> = { ...options.headers };
  if (options.json !== false) headers.Accept = 'application/json';
  if (options.metaToken !== undefined) headers[headerOf(options.tokenHeader ?? 'HTTP_X_CSRFTOKEN')] = options.metaToken;
  const method = options.method ?? 'GET';
  const path = options.path ?? '/post_form_view/';
  const requestOptions = { headers, secure: options.secure ?? false };
  if (method === 'GET') return client.get(path, undefined, requestOptions);
  const form = options.postToken === undefined ? undefined : { csrfmiddlewaretoken: options.postToken };
  if (method === 'POST') return client.post(path, form ?? { field: 'value' }, requestOptions);
  if (method === 'PUT') return client.put(path, form, requestOptions);
  return client.delete(path, form, requestOptions);
}

/** `HTTP_X_CSRFTOKEN_CUSTOMIZED` -> `X-CSRFTOKEN-CUSTOMIZED`. */
function headerOf(metaName: string): string {
  return metaName.replace(/^HTTP_/, '').replace(/_/g, '-');
}

/** Django's `_get_POST_request_with_token`. */
function postWithToken(options: CsrfRequest = {}): Promise<TestResponse> {
  return csrfRequest({ method: 'POST', postToken: MASKED_TEST_SECRET2, ...options });
}

function expectRejected(response: TestResponse, reason: string): void {
  expect(response.statusCode).toBe(403);
  expect(response.json()).toEqual({ detail: `CSRF Failed: ${reason}` });
}

function expectAccepted(response: TestResponse): void {
  expect(response.statusCode).toBe(200);
}

/** The csrftoken cookie the response sets, or false (Django's `_read_csrf_cookie`). */
function readCsrfCookie(response: TestResponse, name = 'csrftoken'): string | false {
  return response.cookies.get(name)?.value ?? false;
}

/** Django's `_check_token_present`. */
function checkTokenPresent(response: TestResponse, csrfSecret = TEST_SECRET): void {
  const match = /name="csrfmiddlewaretoken" value="(.*?)"/.exec(response.body.toString());
  expect(match).not.toBeNull();
  assertMaskedSecretCorrect(match![1]!, csrfSecret);
}

describe('CsrfViewMiddlewareTests', () => {
  test('test_process_response_get_token_not_used', async () => {
    const response = await csrfRequest({ path: '/non_token_view/', cookie: null });
    expect(readCsrfCookie(response)).toBe(false);
  });

  test('test_no_csrf_cookie', async () => {
    expectRejected(await csrfRequest({ method: 'POST', cookie: null }), REASON_NO_CSRF_COOKIE);
  });

  test('test_csrf_cookie_bad_or_missing_token', async () => {
    const cases: [string | undefined, string | undefined, string][] = [
      [undefined, undefined, REASON_CSRF_TOKEN_MISSING],
      ['a'.repeat(16), undefined, 'CSRF token from POST has incorrect length.'],
      ['*'.repeat(64), undefined, 'CSRF token from POST has invalid characters.'],
      ['a'.repeat(64), undefined, 'CSRF token from POST incorrect.'],
      [undefined, 'a'.repeat(16), "CSRF token from the 'X-Csrftoken' HTTP header has incorrect length."],
      [undefined, '*'.repeat(64), "CSRF token from the 'X-Csrftoken' HTTP header has invalid characters."],
      [undefined, 'a'.repeat(64), "CSRF token from the 'X-Csrftoken' HTTP header incorrect."],
    ];
    for (const [postToken, metaToken, expected] of cases) {
      expectRejected(await csrfRequest({ method: 'POST', postToken, metaToken }), expected);
    }
    // The page a browser gets is HTML.
    const page = await csrfRequest({ method: 'POST', json: false });
    expect(page.statusCode).toBe(403);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });

  test('test_csrf_cookie_bad_token_custom_header', async () => {
    const response = await csrfRequest({
      method: 'POST',
      metaToken: 'a'.repeat(16),
      tokenHeader: 'HTTP_X_CSRFTOKEN_CUSTOMIZED',
      settings: { csrfHeaderName: 'HTTP_X_CSRFTOKEN_CUSTOMIZED' },
    });
    expectRejected(response, "CSRF token from the 'X-Csrftoken-Customized' HTTP header has incorrect length.");
  });

  test('test_process_request_csrf_cookie_and_token', async () => {
    expectAccepted(await postWithToken());
  });

  test('test_process_request_csrf_cookie_no_token_exempt_view', async () => {
    expectAccepted(await csrfRequest({ method: 'POST', path: '/exempt_post_form_view/' }));
  });

  test('test_csrf_token_in_header', async () => {
    expectAccepted(await csrfRequest({ method: 'POST', metaToken: MASKED_TEST_SECRET2 }));
  });

  test('test_csrf_token_in_header_with_customized_name', async () => {
    const response = await csrfRequest({
      method: 'POST',
      metaToken: MASKED_TEST_SECRET2,
      tokenHeader: 'HTTP_X_CSRFTOKEN_CUSTOMIZED',
      settings: { csrfHeaderName: 'HTTP_X_CSRFTOKEN_CUSTOMIZED' },
    });
    expectAccepted(response);
  });

  test('test_put_and_delete_rejected', async () => {
    expectRejected(await csrfRequest({ method: 'PUT', cookie: null }), REASON_NO_CSRF_COOKIE);
    expectRejected(await csrfRequest({ method: 'DELETE', cookie: null }), REASON_NO_CSRF_COOKIE);
  });

  test('test_put_and_delete_allowed', async () => {
    expectAccepted(await csrfRequest({ method: 'PUT', metaToken: MASKED_TEST_SECRET2 }));
    expectAccepted(await csrfRequest({ method: 'DELETE', metaToken: MASKED_TEST_SECRET2 }));
  });

  // Tests for the template tag method
  test('test_token_node_no_csrf_cookie', async () => {
    const response = await csrfRequest({ path: '/token_view/', cookie: null, json: false });
    const secret = readCsrfCookie(response);
    expect(secret).not.toBe(false);
    checkTokenPresent(response, secret as string);
  });

  test('test_token_node_empty_csrf_cookie', async () => {
    // A new token is sent if the csrf_cookie is the empty string.
    const response = await csrfRequest({ path: '/token_view/', cookie: '', json: false });
    const secret = readCsrfCookie(response) as string;
    expect(secret).toHaveLength(CSRF_SECRET_LENGTH);
    checkTokenPresent(response, secret);
  });

  test('test_token_node_with_csrf_cookie', async () => {
    checkTokenPresent(await csrfRequest({ path: '/token_view/', json: false }));
  });

  test('test_get_token_for_exempt_view', async () => {
    checkTokenPresent(await csrfRequest({ path: '/exempt_token_view/', json: false }));
  });

  test('test_token_node_with_new_csrf_cookie', async () => {
    const response = await csrfRequest({ path: '/token_view/', cookie: null, json: false });
    checkTokenPresent(response, readCsrfCookie(response) as string);
  });

  test('test_cookie_not_reset_on_accepted_request', async () => {
    // The csrf token used in posts is changed on every request (although stays equivalent). The
    // csrf cookie should not change on accepted requests. If it appears in the response, it
    // should keep its value.
    const response = await postWithToken({ path: '/token_view/' });
    expect(readCsrfCookie(response)).toBe(TEST_SECRET);
  });

  test('test_https_bad_referer', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://www.evil.org/somepage' },
      settings: { debug: true, allowedHosts: ['www.example.com'] },
    });
    expectRejected(response, 'Referer checking failed - https://www.evil.org/somepage does not match any trusted origins.');
  });

  test('test_https_no_referer', async () => {
    expectRejected(await postWithToken({ secure: true, settings: { debug: true } }), 'Referer checking failed - no Referer.');
  });

  test('test_https_malformed_host', async () => {
    // CsrfViewMiddleware generates a 403 response if it receives an HTTPS request with a bad host.
    const response = await csrfRequest({
      method: 'POST',
      cookie: null,
      secure: true,
      headers: { Host: '@malformed', Referer: 'https://www.evil.org/somepage' },
    });
    expectRejected(response, 'Referer checking failed - https://www.evil.org/somepage does not match any trusted origins.');
  });

  test('test_origin_malformed_host', async () => {
    const response = await csrfRequest({
      method: 'POST',
      cookie: null,
      secure: true,
      headers: { Host: '@malformed', Origin: 'https://www.evil.org' },
    });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'https://www.evil.org'));
  });

  test('test_https_malformed_referer', async () => {
    const malformedRefererMsg = 'Referer checking failed - Referer is malformed.';
    const post = (referer: string) => postWithToken({ secure: true, headers: { Referer: referer }, settings: { debug: true } });
    expectRejected(await post('http://http://www.example.com/'), 'Referer checking failed - Referer is insecure while host is secure.');
    // Empty
    expectRejected(await post(''), malformedRefererMsg);
    // Non-ASCII
    expectRejected(await post('ØBöIß'), malformedRefererMsg);
    // missing scheme: urlsplit('//example.com/') has no scheme
    expectRejected(await post('//example.com/'), malformedRefererMsg);
    // missing netloc: urlsplit('https://') has no netloc
    expectRejected(await post('https://'), malformedRefererMsg);
    // Invalid URL: urlsplit('https://[') raises ValueError: Invalid IPv6 URL
    expectRejected(await post('https://['), malformedRefererMsg);
  });

  test('test_https_good_referer', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://www.example.com/somepage' },
      settings: { allowedHosts: ['www.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_https_good_referer_2', async () => {
    // A referer with no trailing slash (ticket #15617).
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://www.example.com' },
      settings: { allowedHosts: ['www.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_https_good_referer_malformed_host', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: '@malformed', Referer: 'https://dashboard.example.com/somepage' },
      settings: { csrfTrustedOrigins: ['https://dashboard.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_https_csrf_trusted_origin_allowed', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://dashboard.example.com' },
      settings: { allowedHosts: ['www.example.com'], csrfTrustedOrigins: ['https://dashboard.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_https_csrf_wildcard_trusted_origin_allowed', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://dashboard.example.com' },
      settings: { allowedHosts: ['www.example.com'], csrfTrustedOrigins: ['https://*.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_ensures_csrf_cookie_no_logging', async () => {
    // ensure_csrf_cookie() doesn't log warnings (#19436).
    const logger = new CapturingLogger();
    const app = createApp({ controllers: [CsrfTestViews], settings: { secretKey: 'k' }, container: root.createChildContainer(), middleware: [CsrfMiddleware], logger });
    const response = await new Client(app, { enforceCsrfChecks: true }).get('/ensure_csrf_cookie_view/');
    expect(response.statusCode).toBe(200);
    expect(logger.records).toEqual([]);
  });

  test('test_reading_post_data_raises_unreadable_post_error', async () => {
    // An UnreadablePostError raised while reading the POST data should be handled by the
    // middleware: the token is then missing (Django's _check_token).
    expectAccepted(await postWithToken());
    const app = makeApp();
    const body = 'csrfmiddlewaretoken=' + MASKED_TEST_SECRET2;
    const broken = Object.assign(
      new Readable({
        read() {
          this.destroy(new Error('Error reading input data.'));
        },
      }),
      {
        method: 'POST',
        url: '/post_form_view/',
        rawHeaders: [
          'Host', 'testserver',
          'Cookie', `csrftoken=${MASKED_TEST_SECRET1}`,
          'Content-Type', 'application/x-www-form-urlencoded',
          'Content-Length', String(body.length),
        ],
        headers: {},
        socket: { remoteAddress: '127.0.0.1', remotePort: 40000, localPort: 80, encrypted: false },
      },
    );
    const request = new HttpRequest(broken as unknown as IncomingMessage, app.settings);
    const response = await app.dispatch(request);
    expect(response.statusCode).toBe(403);
    expect(response.content.toString()).toContain(REASON_CSRF_TOKEN_MISSING);
  });

  test('test_reading_post_data_raises_os_error', async () => {
    // Other errors while reading the POST data are not the middleware's to handle: Django lets an
    // OSError through; here a body past dataUploadMaxMemorySize keeps its 413.
    const response = await postWithToken({ settings: { dataUploadMaxMemorySize: 10 } });
    expect(response.statusCode).toBe(413);
  });

  test('test_bad_origin_bad_domain', async () => {
    const response = await postWithToken({ headers: { Host: 'www.example.com', Origin: 'https://www.evil.org' }, settings: { allowedHosts: ['www.example.com'] } });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'https://www.evil.org'));
  });

  test('test_bad_origin_null_origin', async () => {
    const response = await postWithToken({ headers: { Host: 'www.example.com', Origin: 'null' }, settings: { allowedHosts: ['www.example.com'] } });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'null'));
  });

  test('test_bad_origin_bad_protocol', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Origin: 'http://example.com' },
      settings: { allowedHosts: ['www.example.com'] },
    });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'http://example.com'));
  });

  test('test_bad_origin_csrf_trusted_origin_bad_protocol', async () => {
    const settings = {
      allowedHosts: ['www.example.com'],
      csrfTrustedOrigins: ['http://no-match.com', 'https://*.example.com', 'http://*.no-match.com', 'http://*.no-match-2.com'],
    };
    const response = await postWithToken({ secure: true, headers: { Host: 'www.example.com', Origin: 'http://foo.example.com' }, settings });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'http://foo.example.com'));
    const trusted = trustedOriginsFor(resolveSettings({ secretKey: 'k', ...settings }));
    expect(trusted.exact).toEqual(new Set(['http://no-match.com']));
    expect(Object.fromEntries(trusted.subdomains)).toEqual({ https: ['.example.com'], http: ['.no-match.com', '.no-match-2.com'] });
  });

  test('test_bad_origin_cannot_be_parsed', async () => {
    const response = await postWithToken({ headers: { Host: 'www.example.com', Origin: 'https://[' }, settings: { allowedHosts: ['www.example.com'] } });
    expectRejected(response, REASON_BAD_ORIGIN.replace('%s', 'https://['));
  });

  test('test_good_origin_insecure', async () => {
    const response = await postWithToken({ headers: { Host: 'www.example.com', Origin: 'http://www.example.com' }, settings: { allowedHosts: ['www.example.com'] } });
    expectAccepted(response);
  });

  test('test_good_origin_secure', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Origin: 'https://www.example.com' },
      settings: { allowedHosts: ['www.example.com'] },
    });
    expectAccepted(response);
  });

  test('test_good_origin_csrf_trusted_origin_allowed', async () => {
    const settings = { allowedHosts: ['www.example.com'], csrfTrustedOrigins: ['https://dashboard.example.com'] };
    const response = await postWithToken({ secure: true, headers: { Host: 'www.example.com', Origin: 'https://dashboard.example.com' }, settings });
    expectAccepted(response);
    const trusted = trustedOriginsFor(resolveSettings({ secretKey: 'k', ...settings }));
    expect(trusted.exact).toEqual(new Set(['https://dashboard.example.com']));
    expect(trusted.subdomains.size).toBe(0);
  });

  test('test_good_origin_wildcard_csrf_trusted_origin_allowed', async () => {
    const settings = { allowedHosts: ['www.example.com'], csrfTrustedOrigins: ['https://*.example.com'] };
    const response = await postWithToken({ secure: true, headers: { Host: 'www.example.com', Origin: 'https://foo.example.com' }, settings });
    expectAccepted(response);
    const trusted = trustedOriginsFor(resolveSettings({ secretKey: 'k', ...settings }));
    expect(trusted.exact.size).toBe(0);
    expect(Object.fromEntries(trusted.subdomains)).toEqual({ https: ['.example.com'] });
  });

  // CsrfViewMiddlewareTests' own tests.
  test('test_ensures_csrf_cookie_with_middleware', async () => {
    const response = await csrfRequest({ path: '/ensure_csrf_cookie_view/', cookie: null });
    expect(readCsrfCookie(response)).toBeTruthy();
    expect(response.headers.get('Vary') ?? '').toContain('Cookie');
  });

  const cookieSettings = {
    csrfCookieName: 'csrfcookie',
    csrfCookieDomain: '.example.com',
    csrfCookiePath: '/test/',
    csrfCookieSecure: true,
    csrfCookieHttpOnly: true,
  };

  test('test_csrf_cookie_age', async () => {
    const response = await csrfRequest({ path: '/token_view/', cookie: null, settings: { ...cookieSettings, csrfCookieAge: 123 } });
    expect(response.cookies.get('csrfcookie')!.options.maxAge).toBe(123);
    expect(response.cookies.get('csrfcookie')!.serialized).toContain('; Max-Age=123;');
  });

  test('test_csrf_cookie_age_none', async () => {
    // A CSRF cookie with no max age is a session cookie.
    const response = await csrfRequest({ path: '/token_view/', cookie: null, settings: { ...cookieSettings, csrfCookieAge: null } });
    const cookie = response.cookies.get('csrfcookie')!;
    expect(cookie.options.maxAge ?? null).toBeNull();
    expect(cookie.serialized).not.toContain('Max-Age');
    expect(cookie.serialized).not.toContain('Expires');
  });

  test('test_csrf_cookie_samesite', async () => {
    const response = await csrfRequest({ path: '/token_view/', cookie: null, settings: { csrfCookieName: 'csrfcookie', csrfCookieSameSite: 'Strict' } });
    expect(response.cookies.get('csrfcookie')!.serialized).toMatch(/; SameSite=Strict$/);
  });

  test('test_bad_csrf_cookie_characters', async () => {
    expectRejected(await csrfRequest({ method: 'POST', cookie: '*'.repeat(64) }), 'CSRF cookie has invalid characters.');
  });

  test('test_bad_csrf_cookie_length', async () => {
    expectRejected(await csrfRequest({ method: 'POST', cookie: 'a'.repeat(16) }), 'CSRF cookie has incorrect length.');
  });

  test('test_process_view_token_too_long', async () => {
    // If the token is longer than expected, it is ignored and a new token is created.
    const response = await csrfRequest({ path: '/token_view/', cookie: 'x'.repeat(100000), json: false });
    expect(readCsrfCookie(response)).toHaveLength(CSRF_SECRET_LENGTH);
  });

  test('test_process_view_token_invalid_chars', async () => {
    // If the token contains non-alphanumeric characters, it is ignored and a new token is created.
    const token = ('!@#' + MASKED_TEST_SECRET2).slice(0, CSRF_TOKEN_LENGTH);
    const response = await csrfRequest({ path: '/token_view/', cookie: token, json: false });
    const cookie = readCsrfCookie(response);
    expect(cookie).toHaveLength(CSRF_SECRET_LENGTH);
    expect(cookie).not.toBe(token);
  });

  test('test_masked_unmasked_combinations', async () => {
    // All combinations are allowed of (1) masked and unmasked cookies, (2) masked and unmasked
    // tokens, and (3) tokens provided via POST and the X-CSRFToken header.
    const cases: [string, string | undefined, string | undefined][] = [
      [TEST_SECRET, TEST_SECRET, undefined],
      [TEST_SECRET, MASKED_TEST_SECRET2, undefined],
      [TEST_SECRET, undefined, TEST_SECRET],
      [TEST_SECRET, undefined, MASKED_TEST_SECRET2],
      [MASKED_TEST_SECRET1, TEST_SECRET, undefined],
      [MASKED_TEST_SECRET1, MASKED_TEST_SECRET2, undefined],
      [MASKED_TEST_SECRET1, undefined, TEST_SECRET],
      [MASKED_TEST_SECRET1, undefined, MASKED_TEST_SECRET2],
    ];
    for (const [cookie, postToken, metaToken] of cases) {
      expectAccepted(await csrfRequest({ method: 'POST', path: '/token_view/', cookie, postToken, metaToken }));
    }
  });

  test('test_invalid_cookie_replaced_on_GET', async () => {
    // A CSRF cookie with the wrong format is replaced during a GET request.
    const response = await csrfRequest({ path: '/protected/', cookie: 'badvalue', json: false });
    expect(response.body.toString()).toContain('OK');
    const cookie = readCsrfCookie(response);
    expect(cookie).toBeTruthy();
    expect(cookie).toHaveLength(CSRF_SECRET_LENGTH);
  });

  test('test_valid_secret_not_replaced_on_GET', async () => {
    // Masked and unmasked CSRF cookies are not replaced during a GET request.
    for (const cookie of [TEST_SECRET, MASKED_TEST_SECRET1]) {
      const response = await csrfRequest({ path: '/protected/', cookie, json: false });
      expect(response.body.toString()).toContain('OK');
      expect(readCsrfCookie(response)).toBe(false);
    }
  });

  test('test_masked_secret_accepted_and_replaced', async () => {
    // For a view that uses the csrf_token, the csrf cookie is replaced with the unmasked version
    // if originally masked.
    const response = await postWithToken({ path: '/token_view/', cookie: MASKED_TEST_SECRET1, json: false });
    expectAccepted(response);
    expect(readCsrfCookie(response)).toBe(TEST_SECRET);
    checkTokenPresent(response, TEST_SECRET);
  });

  test('test_bare_secret_accepted_and_not_replaced', async () => {
    // The csrf cookie is left unchanged if originally not masked.
    const response = await postWithToken({ path: '/token_view/', cookie: TEST_SECRET, json: false });
    expectAccepted(response);
    expect(readCsrfCookie(response)).toBe(TEST_SECRET);
    checkTokenPresent(response, TEST_SECRET);
  });

  test('test_https_good_referer_behind_proxy', async () => {
    // A POST HTTPS request is accepted when USE_X_FORWARDED_PORT=True.
    const response = await postWithToken({
      secure: true,
      headers: {
        Host: '10.0.0.2',
        Referer: 'https://www.example.com/somepage',
        'X-Forwarded-Host': 'www.example.com',
        'X-Forwarded-Port': '443',
      },
      settings: { allowedHosts: ['www.example.com'], csrfCookieDomain: '.example.com', useXForwardedPort: true },
    });
    expectAccepted(response);
  });

  test('test_https_good_referer_matches_cookie_domain', async () => {
    // A POST HTTPS request with a good referer should be accepted from a subdomain that's allowed
    // by CSRF_COOKIE_DOMAIN.
    const response = await postWithToken({
      secure: true,
      headers: { Referer: 'https://foo.example.com/' },
      settings: { allowedHosts: ['www.example.com'], csrfCookieDomain: '.example.com' },
    });
    expectAccepted(response);
  });

  test('test_https_good_referer_matches_cookie_domain_with_different_port', async () => {
    // SERVER_PORT 4443: the test Client serves HTTPS on 443, so the port comes from
    // X-Forwarded-Port, which getPort() reads the same way.
    const response = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://foo.example.com:4443/', 'X-Forwarded-Port': '4443' },
      settings: { allowedHosts: ['www.example.com'], csrfCookieDomain: '.example.com', useXForwardedPort: true },
    });
    expectAccepted(response);
    // And the port must match: the same Referer on 443 is refused.
    const other = await postWithToken({
      secure: true,
      headers: { Host: 'www.example.com', Referer: 'https://foo.example.com:4443/' },
      settings: { allowedHosts: ['www.example.com'], csrfCookieDomain: '.example.com' },
    });
    expectRejected(other, 'Referer checking failed - https://foo.example.com:4443/ does not match any trusted origins.');
  });

  test('test_https_reject_insecure_referer', async () => {
    const response = await postWithToken({
      secure: true,
      headers: { Referer: 'http://example.com/' },
      settings: { csrfCookieDomain: '.example.com', debug: true },
    });
    expectRejected(response, 'Referer checking failed - Referer is insecure while host is secure.');
  });
});

describe('CsrfInErrorHandlingViewsTests', () => {
  test('test_csrf_token_on_404_stays_constant', async () => {
    // Django's csrf_token_error_handler_urls: a handler404 that renders the token, status 599.
    const app = createApp({
      controllers: [CsrfTestViews],
      settings: { secretKey: 'k', debug: false },
      container: root.createChildContainer(),
      middleware: [CsrfMiddleware],
      logger: new CapturingLogger(),
      handler404: (request) => new HttpResponse(csrfToken(request), { status: 599 }),
    });
    const client = new Client(app, { enforceCsrfChecks: true });
    const response1 = await client.get('/does not exist/');
    // The error handler returns status code 599.
    expect(response1.statusCode).toBe(599);
    const token1 = response1.body.toString('ascii');
    const response2 = await client.get('/does not exist/');
    expect(response2.statusCode).toBe(599);
    const token2 = response2.body.toString('ascii');
    const secret2 = unmaskCipherToken(token2);
    assertMaskedSecretCorrect(token1, secret2);
  });
});
