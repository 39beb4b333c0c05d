/**
 * Error and failure pages from the app's templates (issue 26 item 3): the 400/403/404/500 pages
 * and the CSRF failure page get the context every page gets (request, user, csrf_input,
 * cspNonce), fall back to the built-in page only when the template itself fails, and the
 * `csrfFailureView` setting (Django's CSRF_FAILURE_VIEW; tests/csrf_tests and
 * tests/view_tests/tests/test_csrf.py: `403_csrf.html` is used when it exists).
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { BUILTIN_500 } from '../../src/core/error-views';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import { render } from '../../src/core/templates';
import { BadRequest, PermissionDenied } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { CsrfMiddleware } from '../../src/middleware/csrf';
import { defaultCsrfFailureView } from '../../src/templates/csrf-failure-view';
import { Client } from '../../src/testing/client';

const HEADER = '{{ request.path }}|{{ user.username }}|{% if user.isAuthenticated %}{{ csrf_input }}{% endif %}';

function templatesWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-error-pages-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

@Controller('/e')
class FailingController {
  @Get('/400/')
  badRequest(): never {
    throw new BadRequest('bad input');
  }

  @Get('/403/')
  forbidden(): never {
    throw new PermissionDenied('not yours');
  }

  @Get('/500/')
  broken(): never {
    throw new Error('database on fire');
  }

  @Post('/form/')
  form() {
    return 'accepted';
  }
}

/** request.user for the templates, from a header, without the auth machinery. */
function userFromHeader(request: HttpRequest, next: (r: HttpRequest) => unknown) {
  const name = request.headers.get('X-User');
  request.user = { isAuthenticated: name != null, isAnonymous: name == null, username: name ?? '' };
  return next(request) as never;
}

const logger = new CapturingLogger();
/** The template failures logged (reinhardt.template), as `message: the error's message`. */
const logged = (): string[] => logger.named('reinhardt.template', 'error').map((record) => `${record.msg}: ${(record.err as Error).message}`);
beforeEach(() => logger.clear());

function clientFor(templatesDir: string, settings: Partial<Settings> = {}): Client {
  const app = createApp({
    controllers: [FailingController],
    settings: { secretKey: 'k', templatesDir, ...settings },
    container: root.createChildContainer(),
    middleware: [userFromHeader, CsrfMiddleware],
    logger,
  });
  return new Client(app, { enforceCsrfChecks: true });
}

const ADA = { headers: { 'X-User': 'ada', Accept: 'text/html' } };
const INPUT = /<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">/;

describe('the 400/403/404/500 pages render with the context of every page', () => {
  const client = clientFor(
    templatesWith({
      '400.html': `400 ${HEADER}|{{ exception }}`,
      '403.html': `403 ${HEADER}|{{ exception }}`,
      '404.html': `404 ${HEADER}|{{ request_path }}`,
      '500.html': `500 ${HEADER}`,
    }),
  );

  test.each([
    ['/e/400/', 400, '400 /e/400/|ada|INPUT|bad input'],
    ['/e/403/', 403, '403 /e/403/|ada|INPUT|not yours'],
    ['/e/nowhere/', 404, '404 /e/nowhere/|ada|INPUT|/e/nowhere/'],
    ['/e/500/', 500, '500 /e/500/|ada|INPUT'],
  ])('%s: status %d, the signed-in user and a working csrf_input', async (path, status, expected) => {
    const response = await client.get(path, undefined, ADA);
    expect(response.statusCode).toBe(status);
    expect(response.text.replace(INPUT, 'INPUT')).toBe(expected);
    // Printing csrf_input made the token, so this page sets the cookie the form's token matches.
    expect(response.cookies.get('csrftoken')?.value).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  test('an anonymous visitor gets the same page without the form, and no CSRF cookie', async () => {
    const response = await client.get('/e/nowhere/', undefined, { headers: { Accept: 'text/html' } });
    expect(response.statusCode).toBe(404);
    expect(response.text).toBe('404 /e/nowhere/|||/e/nowhere/');
    expect([...response.cookies.keys()]).toEqual([]);
  });
});

describe('an error template that fails falls back to the built-in page', () => {
  const client = clientFor(
    templatesWith({
      '404.html': "{% extends 'missing-base.html' %}",
      '500.html': "{{ url('no-such-route') }}",
    }),
  );

  test('a 404.html that cannot render: the built-in 404, and the failure logged with the template name', async () => {
    const response = await client.get('/e/nowhere/', undefined, ADA);
    expect(response.statusCode).toBe(404);
    expect(response.text).toBe('<!doctype html>\n<title>Not Found</title>\n<h1>Not Found</h1>\n<p>The requested resource was not found on this server.</p>\n');
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatch(/^Error rendering 404\.html \(the built-in 404 page was sent\): .*template not found: missing-base\.html/s);
  });

  test('a 500.html that throws: the built-in 500, not a crash', async () => {
    const response = await client.get('/e/500/', undefined, ADA);
    expect(response.statusCode).toBe(500);
    expect(response.text).toBe(BUILTIN_500);
    expect(logged()[0]).toContain("Error rendering 500.html (the built-in 500 page was sent): ");
    expect(logged()[0]).toContain("Reverse for 'no-such-route' not found.");
  });
});

describe('the CSRF failure page', () => {
  const FORGED = { headers: { 'X-User': 'ada', Accept: 'text/html', Cookie: 'csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF' } };

  test("by default, the app's 403_csrf.html with Django's context names and the page context", async () => {
    const client = clientFor(
      templatesWith({ '403_csrf.html': `csrf ${HEADER}|{{ reason }}|{{ no_cookie }}|{{ no_referer }}|{{ DEBUG }}` }),
    );
    const response = await client.post('/e/form/', { a: '1' }, { headers: { 'X-User': 'ada', Accept: 'text/html' } });
    expect(response.statusCode).toBe(403);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text.replace(INPUT, 'INPUT')).toBe('csrf /e/form/|ada|INPUT|CSRF cookie not set.|true|false|false');
  });

  test('the reason is escaped in 403_csrf.html (it carries the Origin header, which the attacker writes)', async () => {
    const client = clientFor(templatesWith({ '403_csrf.html': '{{ reason }}' }));
    const response = await client.post('/e/form/', { a: '1' }, { headers: { Origin: 'https://evil.example/<script>' } });
    expect(response.statusCode).toBe(403);
    expect(response.text).toBe('Origin checking failed - https://evil.example/&lt;script&gt; does not match any trusted origins.');
  });

  test('without 403_csrf.html, the built-in page; a JSON client gets JSON either way', async () => {
    const client = clientFor(templatesWith({ '403.html': 'not used for CSRF' }));
    const page = await client.post('/e/form/', { a: '1' }, FORGED);
    expect(page.statusCode).toBe(403);
    expect(page.text).toBe(
      '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>403 Forbidden</title></head>\n<body>\n' +
        '<h1>Forbidden <span>(403)</span></h1>\n<p>CSRF verification failed. Request aborted.</p>\n' +
        '<p>Reason given for failure:</p>\n<pre>\n    CSRF token missing.\n</pre>\n</body>\n</html>\n',
    );
    const json = await clientFor(templatesWith({ '403_csrf.html': 'html' })).post('/e/form/', { a: 1 }, { json: true });
    expect(json.statusCode).toBe(403);
    expect(json.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' });
  });

  test('a 403_csrf.html that fails falls back to the built-in page', async () => {
    const client = clientFor(templatesWith({ '403_csrf.html': '{% include "nope.html" %}' }));
    const response = await client.post('/e/form/', { a: '1' }, FORGED);
    expect(response.statusCode).toBe(403);
    expect(response.text).toContain('<p>CSRF verification failed. Request aborted.</p>');
    expect(logged()[0]).toMatch(/^Error rendering 403_csrf\.html \(the built-in 403 page was sent\)/);
  });

  test('csrfFailureView answers instead, with the reason, and may be async', async () => {
    const seen: string[] = [];
    const client = clientFor(templatesWith({ 'csrf-custom.html': 'custom: {{ reason }} for {{ user.username }}' }), {
      csrfFailureView: async (request, reason) => {
        seen.push(reason);
        return render(request, 'csrf-custom.html', { reason }, { status: 419 });
      },
    });
    const response = await client.post('/e/form/', { a: '1' }, FORGED);
    expect(response.statusCode).toBe(419);
    expect(response.text).toBe('custom: CSRF token missing. for ada');
    expect(seen).toEqual(['CSRF token missing.']);
  });

  test('a custom view may hand some requests to defaultCsrfFailureView', async () => {
    const client = clientFor(templatesWith({}), {
      csrfFailureView: (request, reason) => (request.path === '/e/form/' ? defaultCsrfFailureView(request, reason) : new HttpResponse('other', { status: 403 })),
    });
    const response = await client.post('/e/form/', { a: '1' }, FORGED);
    expect(response.statusCode).toBe(403);
    expect(response.text).toContain('<pre>\n    CSRF token missing.\n</pre>');
  });

  test('csrfFailureView must be a function or null', () => {
    expect(() => clientFor(templatesWith({}), { csrfFailureView: 'myapp.views.csrf_failure' as never })).toThrow(
      'The csrfFailureView setting must be a function or null.',
    );
  });
});
