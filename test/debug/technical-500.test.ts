/**
 * The debug 500 page (Django's technical 500, django/views/debug.py and technical_500.html; its
 * tests in tests/view_tests/tests/test_debug.py): the exception and where it happened, the frames
 * with their source lines, the copy-and-paste view, the request's GET, POST, FILES, COOKIES,
 * session, resolver match, META and settings, every value HTML-escaped (issue 23 item 6).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import type { Settings } from '../../src/core/settings';
import type { HttpRequest } from '../../src/http/http-request';
import { SessionMiddleware } from '../../src/sessions/session-middleware';
import { AuthenticationMiddleware } from '../../src/auth/authentication-middleware';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client } from '../../src/testing/client';

const MASK = '********************';

@Controller('')
class CrashController {
  @Get('/crash/')
  crash(): never {
    throw new TypeError('Cannot read the poll: <b>bold</b>'); // the line the page must show
  }

  @Get('/polls/<int:id>/crash/', { name: 'poll-crash' })
  pollCrash(): never {
    throw new Error('poll crashed');
  }

  @Get('/session-crash/')
  sessionCrash(request: HttpRequest): never {
    request.session.set('cart', [1, 2]);
    request.session.set('apiToken', 'session-token-secret-0011');
    throw new Error('after the session');
  }

  @Get('/chained/')
  chained(): never {
    try {
      JSON.parse('{oops');
    } catch (cause) {
      throw new Error('The poll file is not JSON', { cause });
    }
    return undefined as never;
  }
}

const SOURCE = readFileSync(__filename, 'utf8').split('\n');
/** The 1-based line of this file that holds `text`. */
function lineOf(text: string): number {
  const index = SOURCE.findIndex((line) => line.includes(text));
  expect(index).toBeGreaterThan(-1);
  return index + 1;
}
const THROW_LINE = lineOf("throw new TypeError('Cannot read the poll");

function client(settings: Partial<Settings> = {}, middleware: Middleware[] = []) {
  const app = createApp({
    controllers: [CrashController],
    settings: { debug: true, secretKey: 'sk-settings-secret-0001', ...settings },
    container: root.createChildContainer(),
    middleware,
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

async function page(path: string, settings: Partial<Settings> = {}, middleware: Middleware[] = [], headers: Record<string, string> = {}): Promise<string> {
  const response = await client(settings, middleware).get(path, undefined, { headers });
  expect(response.statusCode).toBe(500);
  return response.body.toString();
}

/** The text of the copy-and-paste view, unescaped as the browser shows it in the textarea. */
function pasteView(html: string): string {
  const match = /<textarea id="traceback_area"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(html);
  expect(match).not.toBeNull();
  return match![1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** "Request information", where the request's own data is shown. */
function requestPart(html: string): string {
  const start = html.indexOf('<div id="requestinfo">');
  expect(start).toBeGreaterThan(-1);
  return html.slice(start);
}

/** The value a request table shows for `name` in the section with heading id `id`. */
function row(html: string, id: string, name: string): string | null {
  const start = html.indexOf(`<h3 id="${id}">`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<h3', start + 1);
  const section = html.slice(start, end === -1 ? undefined : end);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<tr><td>${escaped}</td><td class="code"><pre>(.*?)</pre></td></tr>`).exec(section);
  return match === null ? null : match[1];
}

describe('the summary (Django: test_debug.ExceptionReporterTests)', () => {
  test('the exception type and message, the request, and where it was raised', async () => {
    const html = await page('/crash/?q=1');
    expect(html).toContain('<title>TypeError at /crash/</title>');
    expect(html).toContain('<h1>TypeError at /crash/</h1>');
    expect(html).toContain('<pre class="exception_value">Cannot read the poll: &#60;b&#62;bold&#60;/b&#62;</pre>');
    expect(html).toContain('<tr><th scope="row">Request Method:</th><td>GET</td></tr>');
    expect(html).toContain('<tr><th scope="row">Request URL:</th><td>http://testserver/crash/?q=1</td></tr>');
    expect(html).toContain('<tr><th scope="row">Exception Type:</th><td>TypeError</td></tr>');
    expect(html).toContain(`<tr><th scope="row">Exception Location:</th><td>${__filename}, line ${THROW_LINE}, in CrashController.crash</td></tr>`);
    expect(html).toContain('<tr><th scope="row">Raised during:</th><td>CrashController.crash</td></tr>');
  });

  test('a thrown non-Error is named by its type', async () => {
    @Controller('')
    class StringThrower {
      @Get('/')
      index(): never {
        throw 'a bare string';
      }
    }
    const app = createApp({ controllers: [StringThrower], settings: { debug: true }, container: root.createChildContainer(), middleware: [], logger: new CapturingLogger() });
    const html = (await new Client(app).get('/')).body.toString();
    expect(html).toContain('<h1>string at /</h1>');
    expect(html).toContain('<pre class="exception_value">a bare string</pre>');
  });
});

describe('the traceback', () => {
  test("the handler's frame shows its file, line, function and the source lines around it", async () => {
    const html = await page('/crash/');
    expect(html).toContain(`<li class="frame user"><code class="fname">${__filename}</code>, line ${THROW_LINE}, in CrashController.crash\n`);
    expect(html).toContain(
      `<ol start="${THROW_LINE}" class="context-line"><li><pre>    throw new TypeError(&#39;Cannot read the poll: &#60;b&#62;bold&#60;/b&#62;&#39;); // the line the page must show</pre></li></ol>`,
    );
    // Five lines before and after (Django shows seven), starting where they start.
    expect(html).toContain(`<ol start="${THROW_LINE - 5}" class="pre-context" id="pre`);
    expect(html).toContain(`<li><pre>  @Get(&#39;/crash/&#39;)</pre></li>`);
    expect(html).toContain(`<ol start="${THROW_LINE + 1}" class="post-context" id="post`);
  });

  test("Reinhardt's own frames and Node's are folded as library frames (Django's django frames)", async () => {
    const html = await page('/crash/');
    expect(html).toMatch(/<li><details class="library"><summary>\d+ library frames?<\/summary>/);
    const library = html.slice(html.indexOf('<details class="library">'));
    expect(library).toContain('<li class="frame library"><code class="fname">');
    expect(library).toMatch(/src\/core\/invoke\.ts<\/code>, line \d+/);
    // The app's frame is not folded.
    expect(html.indexOf(`<li class="frame user"><code class="fname">${__filename}`)).toBeGreaterThan(-1);
  });

  test('a chained cause comes first, then "The above exception ... was the direct cause"', async () => {
    const html = await page('/chained/');
    const cause = html.indexOf('<li class="cause"><h3>The above exception (');
    expect(cause).toBeGreaterThan(-1);
    expect(html.slice(cause)).toMatch(/^<li class="cause"><h3>The above exception \([^)]*JSON[^)]*\) was the direct cause of the following exception:<\/h3><\/li>/);
    expect(html.indexOf(`in JSON.parse`)).toBeLessThan(cause);
    expect(html.slice(cause)).toContain(`line ${lineOf("throw new Error('The poll file is not JSON'")}, in CrashController.chained`);
  });

  test('the copy-and-paste view: the whole report as plain text (Django: Switch to copy-and-paste view)', async () => {
    const html = await page('/crash/');
    expect(html).toContain('<a href="#" role="button" onclick="return switchPastebinFriendly(this);">Switch to copy-and-paste view</a>');
    const text = pasteView(html);
    expect(text).toMatch(/^Environment:\n\n\nRequest Method: GET\nRequest URL: http:\/\/testserver\/crash\/\n\nReinhardt Version: \d+\.\d+\.\d+\nNode Version: v\d+/);
    expect(text).toContain('\nTraceback (most recent call last):\n');
    expect(text).toContain(`  File "${__filename}", line ${THROW_LINE}, in CrashController.crash\n    throw new TypeError('Cannot read the poll: <b>bold</b>'); // the line the page must show\n`);
    expect(text.endsWith('\n\nException Type: TypeError at /crash/\nException Value: Cannot read the poll: <b>bold</b>\n')).toBe(true);
  });
});

describe('the request information', () => {
  test('attacker-controlled text is escaped everywhere: a GET parameter, a cookie, a header', async () => {
    const html = await page('/crash/?next=%3Cscript%3Ealert(1)%3C/script%3E', {}, [], {
      Cookie: 'theme=<script>alert(2)</script>',
      'X-Forwarded-Note': '<script>alert(3)</script>',
    });
    expect(html).not.toMatch(/<script>alert/);
    expect(row(html, 'get-info', 'next')).toBe('[&#34;&#60;script&#62;alert(1)&#60;/script&#62;&#34;]');
    expect(row(html, 'cookie-info', 'theme')).toBe('&#60;script&#62;alert(2)&#60;/script&#62;');
    expect(row(html, 'meta-info', 'HTTP_X_FORWARDED_NOTE')).toBe('&#60;script&#62;alert(3)&#60;/script&#62;');
    // The page's own script is the only one.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  test('the resolver match: route, name, controller#method and params', async () => {
    const html = await page('/polls/7/crash/');
    expect(row(html, 'resolver-info', 'route')).toBe('/polls/&#60;int:id&#62;/crash/');
    expect(row(html, 'resolver-info', 'name')).toBe('poll-crash');
    expect(row(html, 'resolver-info', 'view')).toBe('CrashController#pollCrash');
    expect(row(html, 'resolver-info', 'params.id')).toBe('7');
    expect(html).toContain('<tr><th scope="row">Raised during:</th><td>CrashController.pollCrash</td></tr>');
  });

  test('the session: its data, secrets masked by key, once the session middleware loaded it', async () => {
    const html = await page('/session-crash/', {}, [SessionMiddleware]);
    expect(row(html, 'session-info', 'cart')).toBe('[1,2]');
    expect(row(html, 'session-info', 'apiToken')).toBe(MASK);
    // (The traceback shows this file's source, which holds the literal.)
    expect(requestPart(html)).not.toContain('session-token-secret-0011');
  });

  test('no session middleware: "No session data", and no user', async () => {
    const html = await page('/crash/');
    expect(html).toContain('<h3 id="session-info">SESSION</h3>\n<p>No session data</p>');
    expect(html).not.toContain('<h3 id="user-info">');
  });

  test('with authentication: the user (Django USER)', async () => {
    const html = await page('/crash/', {}, [SessionMiddleware, AuthenticationMiddleware]);
    expect(html).toContain('<h3 id="user-info">USER</h3>\n<p>AnonymousUser</p>');
  });

  test('the settings, with the secret key masked', async () => {
    const html = await page('/crash/');
    expect(row(html, 'settings-info', 'secretKey')).toBe(MASK);
    expect(row(html, 'settings-info', 'debug')).toBe('true');
    expect(requestPart(html)).not.toContain('sk-settings-secret-0001');
  });
});

describe('without debug', () => {
  test('the standard 500 page: no traceback, no source, no request', async () => {
    const response = await client({ debug: false }).get('/crash/');
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).toBe('<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n');
  });
});
