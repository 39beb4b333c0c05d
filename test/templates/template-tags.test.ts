/**
 * The tags and globals of Reinhardt's Nunjucks environment (issue 26 item 1), each with its exact
 * output: `{% url %}` / `url()` (Django's tests/template_tests/syntax_tests/test_url.py),
 * `{% static %}` / `static()`, `{% csrf_token %}` with `csrf_token` / `csrf_input`, and the
 * `request`, `user` and `cspNonce` every context holds.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import { render } from '../../src/core/templates';
import type { HttpRequest } from '../../src/http/http-request';
import { CsrfMiddleware } from '../../src/middleware/csrf';
import { Client } from '../../src/testing/client';

const dir = mkdtempSync(join(tmpdir(), 'reinhardt-tags-'));
const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

write('url-kwargs.html', "{% url 'poll-detail' id=poll.id %}");
write('url-positional.html', "{% url 'poll-detail' poll.id %}");
write('url-no-args.html', "{% url 'poll-index' %}");
write('url-escaped.html', "{% url 'search' q=term %}|{{ url('search', { q: term }) }}");
write('url-global.html', "{{ url('poll-detail', { id: 8 }) }}|{{ url('poll-detail', id=9) }}|{{ url('poll-detail', [10]) }}|{{ url('poll-index', {}, { page: 2 }) }}");
write('url-mixed.html', "{% url 'poll-detail' 1 id=2 %}");
write('url-unknown.html', "{% url 'no-such-route' %}");
write('static.html', "{% static 'css/site.css' %}|{{ static('css/site.css') }}|{% static name %}");
write('form.html', '<form method="post">{% csrf_token %}</form>');
write('both.html', '{{ csrf_token }}|{{ csrf_input }}|{% csrf_token %}');
write('plain.html', '<p>{{ request.path }}|{{ user.username }}|{{ cspNonce }}|{% if csrf_input %}form ready{% endif %}</p>');

@Controller('/polls')
class PollController {
  @Get('/', { name: 'poll-index' })
  index(request: HttpRequest) {
    return render(request, request.GET.get('t') + '.html', { poll: { id: 7 }, term: 'a b&<"', name: 'img/a b.png' });
  }

  @Get('/<int:id>/', { name: 'poll-detail' })
  detail() {
    return '';
  }

  @Get('/search/<str:q>/', { name: 'search' })
  search() {
    return '';
  }

  @Post('/vote/')
  vote() {
    return 'voted';
  }
}

/** request.user for the templates, from a header, without the auth machinery. */
function userFromHeader(request: HttpRequest, next: (r: HttpRequest) => unknown) {
  const name = request.headers.get('X-User');
  request.user = { isAuthenticated: name != null, isAnonymous: name == null, username: name ?? '' };
  return next(request) as never;
}

function appWith(settings: Partial<Settings> = {}) {
  return createApp({
    controllers: [PollController],
    settings: { secretKey: 'k', templatesDir: dir, ...settings },
    container: root.createChildContainer(),
    middleware: [CsrfMiddleware, userFromHeader],
    logger,
  });
}

const logger = new CapturingLogger();
const logged = { join: (separator: string) => logger.records.map((record) => `${record.msg} ${(record.err as Error | undefined)?.message ?? ''}`).join(separator) };
beforeEach(() => logger.clear());

const client = new Client(appWith());
const page = async (name: string) => {
  const response = await client.get(`/polls/?t=${name}`);
  expect(response.statusCode).toBe(200);
  return response.text;
};

describe('{% url %} and url()', () => {
  test("{% url 'poll-detail' id=poll.id %} reverses with keyword arguments", async () => {
    expect(await page('url-kwargs')).toBe('/polls/7/');
  });

  test('positional arguments fill the pattern in order; no arguments for a route without parameters', async () => {
    expect(await page('url-positional')).toBe('/polls/7/');
    expect(await page('url-no-args')).toBe('/polls/');
  });

  test('url() takes an object, keyword arguments, an array, and a query', async () => {
    expect(await page('url-global')).toBe('/polls/8/|/polls/9/|/polls/10/|/polls/?page=2');
  });

  test('the URL is percent-quoted by reverse() and then HTML-escaped by autoescape', async () => {
    // reverse() leaves `&` in a path (Python's quote safe set); autoescape then writes &amp;.
    expect(await page('url-escaped')).toBe('/polls/search/a%20b&amp;%3C%22/|/polls/search/a%20b&amp;%3C%22/');
  });

  test("mixing positional and keyword arguments is refused, as Django's url tag does: a 500 that names the tag", async () => {
    const response = await client.get('/polls/?t=url-mixed');
    expect(response.statusCode).toBe(500);
    expect(logged.join('\n')).toContain("url 'poll-detail': don't mix positional and keyword arguments.");
  });

  test('a keyword argument before a positional one is a template syntax error', async () => {
    write('url-kw-first.html', "{% url 'poll-detail' id=2 1 %}");
    const response = await client.get('/polls/?t=url-kw-first');
    expect(response.statusCode).toBe(500);
    expect(logged.join('\n')).toContain('url: a positional argument after a keyword argument');
  });

  test('an unknown route name fails the render with NoReverseMatch', async () => {
    const response = await client.get('/polls/?t=url-unknown');
    expect(response.statusCode).toBe(500);
    expect(logged.join('\n')).toContain("Reverse for 'no-such-route' not found.");
  });
});

describe('{% static %} and static()', () => {
  test('both give staticUrl() of the name, quoted', async () => {
    expect(await page('static')).toBe('/static/css/site.css|/static/css/site.css|/static/img/a%20b.png');
  });
});

describe('request, user, cspNonce and csrf_input in every context', () => {
  test('request.path, the user, an empty nonce without the CSP middleware, and csrf_input truthy', async () => {
    const response = await client.get('/polls/?t=plain', undefined, { headers: { 'X-User': 'ada' } });
    expect(response.text).toBe('<p>/polls/|ada||form ready</p>');
  });
});

describe('{% csrf_token %}: only a page that uses the token sets the CSRF cookie (Django)', () => {
  test('a page without the token sets no csrftoken cookie and no Vary: Cookie', async () => {
    const response = await new Client(appWith()).get('/polls/?t=plain');
    expect(response.text).toBe('<p>/polls/|||form ready</p>');
    expect([...response.cookies.keys()]).toEqual([]);
    expect(response.headers.get('Vary')).toBeUndefined();
  });

  test('a page with {% csrf_token %} prints the hidden input and sets the cookie (exact Set-Cookie)', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 0, 1));
    try {
      const response = await new Client(appWith()).get('/polls/?t=form');
      const secret = response.cookies.get('csrftoken')!.value;
      // The Set-Cookie line as written to the socket.
      expect(response.cookies.get('csrftoken')!.serialized).toBe(`csrftoken=${secret}; Max-Age=31449600; Path=/; Expires=Thu, 31 Dec 2026 00:00:00 GMT; SameSite=Lax`);
      expect(response.headers.get('Vary')).toBe('Cookie');
      expect(response.text).toMatch(/^<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"><\/form>$/);
    } finally {
      now.mockRestore();
    }
  });

  test('the printed token passes CsrfMiddleware on the next POST', async () => {
    const browser = new Client(appWith(), { enforceCsrfChecks: true });
    const form = await browser.get('/polls/?t=form');
    const token = /value="([A-Za-z0-9]{64})"/.exec(form.text)![1]!;
    const response = await browser.post('/polls/vote/', { csrfmiddlewaretoken: token });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('voted');
  });

  test('csrf_token, csrf_input and the tag show one token per render (Django evaluates the lazy token once)', async () => {
    const text = await page('both');
    const [token, input, tag] = text.split('|');
    expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(input).toBe(`<input type="hidden" name="csrfmiddlewaretoken" value="${token}">`);
    expect(tag).toBe(input);
  });
});

describe('configuring the environment: templateDirs and configureTemplates', () => {
  const extra = mkdtempSync(join(tmpdir(), 'reinhardt-tags-extra-'));
  afterAll(() => rmSync(extra, { recursive: true, force: true }));
  mkdirSync(join(extra, 'more'));
  writeFileSync(join(extra, 'more', 'shout.html'), '{{ "hi" | shout }} {{ siteName }} {% include "plain.html" %}');
  writeFileSync(join(extra, 'plain.html'), 'shadowed: templatesDir comes first');

  test('a later folder is searched after templatesDir, and the filter and global configureTemplates added are there', async () => {
    let built = 0;
    const app = appWith({
      templateDirs: [extra],
      configureTemplates: (env) => {
        built += 1;
        env.addFilter('shout', (text: string) => `${text.toUpperCase()}!`);
        env.addGlobal('siteName', 'Polls & more');
      },
    });
    const browser = new Client(app);
    const response = await browser.get('/polls/?t=more/shout');
    expect(response.text).toBe('HI! Polls &amp; more <p>/polls/|||form ready</p>');
    await browser.get('/polls/?t=more/shout');
    // The environment is built once per app, on the first render.
    expect(built).toBe(1);
  });

  test('a templateDirs entry that is not a path is refused at start, naming the setting', () => {
    expect(() => appWith({ templateDirs: [''] })).toThrow('The templateDirs setting must be an array of folder paths.');
    expect(() => appWith({ configureTemplates: 'env' as never })).toThrow('The configureTemplates setting must be a function or null.');
  });
});
