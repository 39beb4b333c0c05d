/**
 * The debug 500 page (debug: true) shows the request and the settings with their secrets masked,
 * as Django's SafeExceptionReporterFilter does (django/views/debug.py; issue 19 item 13).
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { cleanseSetting } from '../../src/core/safe-exception-reporter-filter';
import type { Middleware } from '../../src/core/middleware';
import type { Settings } from '../../src/core/settings';
import { Client } from '../../src/testing/client';

const MASK = '********************';

@Controller('')
class CrashController {
  @Post('/crash/')
  crashPost(): never {
    throw new Error('boom');
  }

  @Get('/crash/')
  crashGet(): never {
    throw new Error('boom');
  }
}

function client(settings: Partial<Settings> = {}, middleware?: Middleware[]) {
  const app = createApp({
    controllers: [CrashController],
    settings: { debug: true, secretKey: 'sk-settings-secret-0001', ...settings },
    container: root.createChildContainer(),
    middleware,
    logger: new CapturingLogger(),
  });
  return new Client(app);
}

/** The value the page shows for `name` in a request table (`<tr><td>name</td><td class="code"><pre>value</pre></td></tr>`), or null. */
function row(page: string, name: string): string | null {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`<tr><td>${escaped}</td><td class="code"><pre>(.*?)</pre></td></tr>`).exec(page);
  return match === null ? null : match[1];
}

/** The section titled `title` of "Request information" (its `<h3>`, up to the next one). */
function section(page: string, title: string): string {
  const start = page.search(new RegExp(`<h3 id="[a-z-]+">${title}</h3>`));
  expect(start).toBeGreaterThan(-1);
  const end = page.indexOf('<h3', start + 1);
  return page.slice(start, end === -1 ? undefined : end);
}

/**
 * The page without its traceback: the frames show this file's own source lines, which hold the
 * secrets below as literals. Everything the request sent is shown outside it.
 */
function withoutSource(page: string): string {
  const start = page.indexOf('<div id="traceback">');
  const end = page.indexOf('<div id="requestinfo">');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return page.slice(0, start) + page.slice(end);
}

async function crashWithSecrets(settings: Partial<Settings> = {}) {
  const response = await client(settings).post(
    '/crash/',
    'username=alice&password=hunter2&api_key=ak-post-secret-0002&csrfmiddlewaretoken=tok-post-secret-0003',
    {
      contentType: 'application/x-www-form-urlencoded',
      headers: {
        Authorization: 'Bearer bearer-secret-0004',
        Cookie: 'sessionid=sess-secret-0005; csrftoken=csrf-secret-0006; theme=dark',
        'X-Api-Key': 'xapikey-secret-0007',
        'X-Auth-User': 'authuser-secret-0008',
        'X-Signature': 'signature-secret-0009',
        'X-Request-Color': 'blue',
      },
    },
  );
  expect(response.statusCode).toBe(500);
  return withoutSource(response.body.toString());
}

const SECRETS = [
  'hunter2',
  'ak-post-secret-0002',
  'tok-post-secret-0003',
  'bearer-secret-0004',
  'sess-secret-0005',
  'csrf-secret-0006',
  'xapikey-secret-0007',
  'authuser-secret-0008',
  'signature-secret-0009',
  'sk-settings-secret-0001',
  'fallback-secret-0010',
];

describe('the debug 500 page masks secrets (Django SafeExceptionReporterFilter)', () => {
  test('no secret from the headers, cookies, POST or settings appears anywhere on the page', async () => {
    const page = await crashWithSecrets({ secretKeyFallbacks: ['fallback-secret-0010'] });
    expect(page).toContain(MASK);
    for (const secret of SECRETS) expect({ secret, shown: page.includes(secret) }).toEqual({ secret, shown: false });
  });

  test("META: names matching API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE are masked, others shown", async () => {
    const meta = section(await crashWithSecrets(), 'META');
    expect(row(meta, 'HTTP_AUTHORIZATION')).toBe(MASK);
    expect(row(meta, 'HTTP_COOKIE')).toBe(MASK);
    expect(row(meta, 'HTTP_X_API_KEY')).toBe(MASK);
    expect(row(meta, 'HTTP_X_AUTH_USER')).toBe(MASK);
    expect(row(meta, 'HTTP_X_SIGNATURE')).toBe(MASK);
    expect(row(meta, 'HTTP_X_REQUEST_COLOR')).toBe('blue');
    expect(row(meta, 'REQUEST_METHOD')).toBe('POST');
  });

  test('POST: sensitive field names are masked, the others shown', async () => {
    const post = section(await crashWithSecrets(), 'POST');
    expect(row(post, 'password')).toBe(MASK);
    expect(row(post, 'api_key')).toBe(MASK);
    expect(row(post, 'csrfmiddlewaretoken')).toBe(MASK);
    expect(row(post, 'username')).toBe('[&#34;alice&#34;]');
  });

  test('COOKIES: the session cookie and sensitive names are masked, the others shown', async () => {
    const cookies = section(await crashWithSecrets(), 'COOKIES');
    expect(row(cookies, 'sessionid')).toBe(MASK);
    expect(row(cookies, 'csrftoken')).toBe(MASK);
    expect(row(cookies, 'theme')).toBe('dark');
  });

  test('the session cookie is masked under its configured name', async () => {
    const response = await client({ sessionCookieName: 'app_sess' }).get('/crash/', undefined, {
      headers: { Cookie: 'app_sess=renamed-session-secret; theme=dark' },
    });
    const page = withoutSource(response.body.toString());
    expect(page).not.toContain('renamed-session-secret');
    expect(row(section(page, 'COOKIES'), 'app_sess')).toBe(MASK);
  });

  test('Settings: secretKey is masked, harmless settings are shown', async () => {
    const settings = section(await crashWithSecrets(), 'Settings');
    expect(row(settings, 'secretKey')).toBe(MASK);
    expect(row(settings, 'debug')).toBe('true');
    expect(row(settings, 'sessionCookieName')).toBe('&#34;sessionid&#34;');
  });

  test('a multipart POST: fields masked by name, FILES listed by name, type and size', async () => {
    const response = await client().post('/crash/', { password: 'hunter2', note: 'hi', avatar: Client.file('me.png', 'png!', 'image/png') });
    const page = withoutSource(response.body.toString());
    expect(page).not.toContain('hunter2');
    expect(row(section(page, 'POST'), 'password')).toBe(MASK);
    expect(row(section(page, 'POST'), 'note')).toBe('[&#34;hi&#34;]');
    expect(row(section(page, 'FILES'), 'avatar')).toBe('me.png (image/png, 4 bytes)');
  });

  test('a GET shows no POST data', async () => {
    const page = (await client().get('/crash/')).body.toString();
    expect(section(page, 'POST')).toContain('<p>No POST data</p>');
  });

  test('an error before the body was read: the page does not read it, and still shows the rest', async () => {
    const failing: Middleware = async () => {
      throw new Error('middleware failed');
    };
    const response = await client({}, [failing]).post('/crash/', 'password=hunter2', { contentType: 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(500);
    const page = withoutSource(response.body.toString());
    expect(page).toContain('Error at /crash/');
    expect(section(page, 'POST')).toContain('<p>No POST data</p>');
    expect(row(section(page, 'META'), 'CONTENT_TYPE')).toBe('application/x-www-form-urlencoded');
    expect(page).not.toContain('hunter2');
  });

  test('a query the page cannot parse (too many fields) still gives the page, with its other sections', async () => {
    const response = await client({ dataUploadMaxNumberFields: 2 }).get('/crash/?a=1&b=2&c=3', undefined, {
      headers: { Authorization: 'Bearer bearer-secret-0004' },
    });
    expect(response.statusCode).toBe(500);
    const page = response.body.toString();
    expect(section(page, 'GET')).toContain('<p>No GET data</p>');
    expect(row(section(page, 'META'), 'HTTP_AUTHORIZATION')).toBe(MASK);
    expect(row(section(page, 'Settings'), 'secretKey')).toBe(MASK);
  });
});

describe('cleanseSetting (Django ExceptionReporterFilterTests)', () => {
  test('test_cleanse_setting_basic', () => {
    expect(cleanseSetting('TEST', 'TEST')).toBe('TEST');
    expect(cleanseSetting('PASSWORD', 'super_secret')).toBe(MASK);
  });

  test('test_cleanse_setting_ignore_case', () => {
    expect(cleanseSetting('password', 'super_secret')).toBe(MASK);
    expect(cleanseSetting('secretKeyFallbacks', ['old'])).toBe(MASK);
  });

  test('test_cleanse_setting_recurses_in_dictionary', () => {
    expect(cleanseSetting('SETTING_NAME', { login: 'cooper', password: 'secret' })).toEqual({ login: 'cooper', password: MASK });
  });

  test('test_cleanse_setting_recurses_in_dictionary_with_non_string_key', () => {
    expect(cleanseSetting('SETTING_NAME', { 1: 'one', password: 'secret' })).toEqual({ 1: 'one', password: MASK });
  });

  test('test_cleanse_setting_recurses_in_list_tuples', () => {
    const initial = [{ login: 'cooper', password: 'secret', apiKey: 'a_key' }, { login: 'dale', password: 'secret' }];
    expect(cleanseSetting('SETTING_NAME', initial)).toEqual([
      { login: 'cooper', password: MASK, apiKey: MASK },
      { login: 'dale', password: MASK },
    ]);
    expect(cleanseSetting('SETTING_NAME', new Set(['a']))).toEqual(['a']);
  });

  test('the whole list of names Django hides', () => {
    for (const name of ['API_URL', 'AUTH_BACKEND', 'accessToken', 'KEY', 'SECRET', 'PASS', 'SIGNATURE', 'HTTP_COOKIE']) {
      expect({ name, value: cleanseSetting(name, 'x') }).toEqual({ name, value: MASK });
    }
    expect(cleanseSetting('sessionCookieName', 'sessionid')).toBe('sessionid');
  });
});
