/**
 * A missing template says where it was looked for (Django's TemplateDoesNotExist `tried` and the
 * technical 500's "Template-loader postmortem"; test_debug.py DebugViewTests
 * test_template_loader_postmortem): the error's message names every path, with or without
 * debug, and the debug page lists them, for `render` and for an `{% include %}` alike.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { render } from '../../src/core/templates';
import type { HttpRequest } from '../../src/http/http-request';
import type { HttpResponse } from '../../src/http/http-response';
import { TemplateDoesNotExist } from '../../src/templates/template-does-not-exist';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client } from '../../src/testing/client';

let dir: string;
let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reinhardt-postmortem-'));
  first = join(dir, 'templates');
  second = join(dir, 'shared');
  mkdirSync(first);
  mkdirSync(second);
  writeFileSync(join(first, 'page.html'), '<main>{% include "parts/missing-part.html" %}</main>');
  writeFileSync(join(second, 'optional.html'), '<main>{% include "parts/missing-part.html" ignore missing %}ok</main>');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

@Controller('')
class PageController {
  @Get('/login/')
  login(request: HttpRequest): HttpResponse {
    return render(request, 'login.html');
  }

  @Get('/page/')
  page(request: HttpRequest): HttpResponse {
    return render(request, 'page.html');
  }

  @Get('/optional/')
  optional(request: HttpRequest): HttpResponse {
    return render(request, 'optional.html');
  }

  @Get('/escape/')
  escape(request: HttpRequest): HttpResponse {
    return render(request, '../secrets.html');
  }
}

function app(debug: boolean, logger = new CapturingLogger()) {
  return createApp({
    controllers: [PageController],
    settings: { debug, secretKey: 'postmortem-test-secret', templatesDir: first, templateDirs: [second] },
    container: root.createChildContainer(),
    middleware: [],
    logger,
  });
}

/** What `render` throws for `path`'s handler, called directly (no error view in between). */
function renderError(debug: boolean, template: string): unknown {
  const request = { settings: app(debug).settings } as HttpRequest;
  try {
    render(request, template);
  } catch (error) {
    return error;
  }
  throw new Error(`${template} rendered`);
}

describe('TemplateDoesNotExist', () => {
  test.each([true, false])('render: the message names every path tried (debug %s), and `tried` lists them', (debug) => {
    const error = renderError(debug, 'login.html');
    expect(error).toBeInstanceOf(TemplateDoesNotExist);
    expect((error as Error).message).toBe(`template not found: login.html (looked in: ${join(first, 'login.html')}, ${join(second, 'login.html')})`);
    expect((error as TemplateDoesNotExist).tried).toEqual([
      { loader: 'nunjucks.FileSystemLoader', path: join(first, 'login.html'), reason: 'Source does not exist' },
      { loader: 'nunjucks.FileSystemLoader', path: join(second, 'login.html'), reason: 'Source does not exist' },
    ]);
  });

  test('an {% include %} of a missing template: the render error names the paths too, in production logs', () => {
    const error = renderError(false, 'page.html') as Error;
    expect(error.message).toContain(`TemplateDoesNotExist: template not found: parts/missing-part.html (looked in: ${join(first, 'parts', 'missing-part.html')}, ${join(second, 'parts', 'missing-part.html')})`);
  });

  test('{% include ... ignore missing %} still renders without it', async () => {
    const response = await new Client(app(true)).get('/optional/');
    expect(response.statusCode).toBe(200);
    expect(response.body.toString()).toBe('<main>ok</main>');
  });

  test('a name that leads out of the folders is reported as such', () => {
    const error = renderError(true, '../secrets.html') as TemplateDoesNotExist;
    expect(error.tried.map((attempt) => attempt.reason)).toEqual(['Outside the template folder', 'Outside the template folder']);
  });
});

describe('the debug 500 page: Template-loader postmortem', () => {
  test('test_template_loader_postmortem: every path tried, in order, with its reason', async () => {
    const response = await new Client(app(true)).get('/login/');
    expect(response.statusCode).toBe(500);
    const html = response.body.toString();
    expect(html).toContain('<h1>TemplateDoesNotExist at /login/</h1>');
    expect(html).toContain(
      '<div id="template-not-exist">\n<h2>Template-loader postmortem</h2>\n' +
        '<p class="append-bottom">Reinhardt tried loading these templates, in this order:</p>\n' +
        '<p class="postmortem-section">Using engine <code>nunjucks</code>:</p>\n<ul>\n' +
        `<li><code>nunjucks.FileSystemLoader</code>: ${join(first, 'login.html')} (Source does not exist)</li>\n` +
        `<li><code>nunjucks.FileSystemLoader</code>: ${join(second, 'login.html')} (Source does not exist)</li>\n</ul>\n</div>`,
    );
  });

  test('a missing include: the postmortem of the included template', async () => {
    const html = (await new Client(app(true)).get('/page/')).body.toString();
    expect(html).toContain(`<li><code>nunjucks.FileSystemLoader</code>: ${join(first, 'parts', 'missing-part.html')} (Source does not exist)</li>`);
  });

  test('the copy-and-paste view has the postmortem too', async () => {
    const html = (await new Client(app(true)).get('/login/')).body.toString();
    expect(html).toContain(
      'Template loader postmortem\nReinhardt tried loading these templates, in this order:\n\nUsing engine nunjucks:\n' +
        `    * nunjucks.FileSystemLoader: ${join(first, 'login.html')} (Source does not exist)\n` +
        `    * nunjucks.FileSystemLoader: ${join(second, 'login.html')} (Source does not exist)\n`,
    );
  });

  test('without debug: the standard 500, and the log record names the paths', async () => {
    const logger = new CapturingLogger();
    const response = await new Client(app(false, logger)).get('/login/');
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).not.toContain('postmortem');
    const logged = logger.records.find((record) => record.level === 'error');
    expect((logged?.err as Error).message).toBe(`template not found: login.html (looked in: ${join(first, 'login.html')}, ${join(second, 'login.html')})`);
  });
});
