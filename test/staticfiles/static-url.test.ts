/**
 * staticUrl() and the `static` Nunjucks global (Django's `static()` / `{% static %}`), and the
 * static settings' start-up checks.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import 'reflect-metadata';
import { container } from 'tsyringe';
import { Client, Controller, Get, HttpRequest, createApp, render, resolveSettings, staticUrl } from '../../src';
import { collectStatic } from '../../src/staticfiles/collect';
import { makeStaticProject, staticApp, type StaticProject } from './static-fixture';

const md5 = (content: string | Buffer) => createHash('md5').update(content).digest('hex').slice(0, 12);

let project: StaticProject;
beforeAll(() => {
  project = makeStaticProject();
  collectStatic(resolveSettings({ secretKey: 'x', staticDirs: [project.staticDir], staticRoot: project.staticRoot }));
});
afterAll(() => project.remove());

describe('staticUrl', () => {
  test('with a manifest and without debug: the hashed name under staticUrl', () => {
    const settings = resolveSettings({ secretKey: 'x', staticRoot: project.staticRoot });
    expect(staticUrl('img/logo.png', settings)).toMatch(/^\/static\/img\/logo\.[0-9a-f]{12}\.png$/);
    expect(staticUrl('/img/logo.png', { settings })).toBe(staticUrl('img/logo.png', settings));
  });

  test("a name the manifest lacks throws (Django's manifest_strict), so a typo fails loudly", () => {
    const settings = resolveSettings({ secretKey: 'x', staticRoot: project.staticRoot });
    expect(() => staticUrl('img/logo.jpg', settings)).toThrow("Missing staticfiles manifest entry for 'img/logo.jpg'");
  });

  test('with debug, or with no manifest: staticUrl + the name, percent-encoded as filepath_to_uri', () => {
    const debug = resolveSettings({ debug: true, staticRoot: project.staticRoot });
    expect(staticUrl('img/logo.png', debug)).toBe('/static/img/logo.png');
    const none = resolveSettings({ secretKey: 'x', staticUrl: 'https://cdn.example.com/assets/' });
    expect(staticUrl('a b/c#d?.css', none)).toBe('https://cdn.example.com/assets/a%20b/c%23d%3F.css');
    expect(staticUrl("x/~!*()'.css", none)).toBe("https://cdn.example.com/assets/x/~!*()'.css");
  });
});

describe('the `static` Nunjucks global', () => {
  test("{{ static('css/site.css') }} renders the hashed URL with the request's settings", async () => {
    const templates = join(project.dir, 'templates');
    mkdirSync(templates, { recursive: true });
    writeFileSync(join(templates, 'page.html'), `<link rel="stylesheet" href="{{ static('css/base.css') }}">`);
    @Controller()
    class PageController {
      @Get('/page/')
      page(request: HttpRequest) {
        return render(request, 'page.html');
      }
    }
    const app = createApp({
      controllers: [PageController],
      middleware: [],
      settings: { secretKey: 'x', templatesDir: templates, staticRoot: project.staticRoot },
      container: container.createChildContainer(),
    });
    const response = await new Client(app).get('/page/');
    expect(response.body.toString()).toBe(`<link rel="stylesheet" href="/static/css/base.${md5('h1 { color: red; }\n')}.css">`);
  });
});

describe('static settings', () => {
  test('defaults: staticUrl /static/, no folders', () => {
    const settings = resolveSettings({ debug: true });
    expect([settings.staticUrl, settings.staticDirs, settings.staticRoot]).toEqual(['/static/', [], null]);
  });

  test.each([
    [{ staticUrl: 'static' }, "The staticUrl setting must be a path or an http(s) URL ending in a slash, such as '/static/'."],
    [{ staticUrl: '/static' }, "The staticUrl setting must be a path or an http(s) URL ending in a slash, such as '/static/'."],
    [{ staticUrl: 'javascript:alert(1)/' }, "The staticUrl setting must be a path or an http(s) URL ending in a slash, such as '/static/'."],
    [{ staticDirs: 'static' as unknown as string[] }, 'The staticDirs setting must be an array of folder paths.'],
    [{ staticDirs: [''] }, 'The staticDirs setting must be an array of folder paths.'],
    [{ staticRoot: '' }, 'The staticRoot setting must be a folder path or null.'],
    [{ staticDirs: ['/srv/static'], staticRoot: '/srv/static/' }, 'The staticDirs setting should not contain the staticRoot setting.'],
  ])('%j is refused at start-up: %s', (partial, message) => {
    expect(() => resolveSettings({ debug: true, ...partial })).toThrow(message);
  });

  test('the middleware serves the path of an absolute staticUrl (a CDN pulling from the app)', async () => {
    const client = new Client(staticApp({ staticUrl: 'https://cdn.example.com/assets/', staticDirs: [project.staticDir] }));
    const response = await client.get('/assets/css/base.css');
    expect([response.statusCode, response.body.toString()]).toEqual([200, 'h1 { color: red; }\n']);
  });
});
