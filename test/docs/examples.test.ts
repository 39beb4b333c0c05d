/**
 * Every TypeScript example README.md and the guides in docs/ show (docs/examples/*.ts), run through the test Client:
 * the statuses, headers and bodies asserted here are the ones the docs state.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import * as quickstart from '../../docs/examples/quickstart';
import * as requests from '../../docs/examples/requests';
import * as responses from '../../docs/examples/responses';
import * as routing from '../../docs/examples/routing';
import * as di from '../../docs/examples/di';
import * as middleware from '../../docs/examples/middleware';
import * as uploads from '../../docs/examples/uploads';
import * as validation from '../../docs/examples/validation';
import * as sessions from '../../docs/examples/sessions';
import * as auth from '../../docs/examples/auth';
import * as csrf from '../../docs/examples/csrf';
import * as errors from '../../docs/examples/errors';

const JSON_ACCEPT = { headers: { Accept: 'application/json' } };
const HTML_ACCEPT = { headers: { Accept: 'text/html' } };

describe('quickstart', () => {
  test('GET /hello/ada/?lang=fr answers the JSON the README shows', async () => {
    const response = await new Client(quickstart.app).get('/hello/ada/?lang=fr');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.text).toBe('{"hello":"ada","lang":"fr"}');
    expect(quickstart.app.reverse('hello', { name: 'ada' })).toBe('/hello/ada/');
  });
});

describe('requests', () => {
  const client = new Client(requests.buildApp());

  test('GET: QueryDict values, path, host, headers, META and cookies', async () => {
    const response = await client.get('/inspect/?tag=a&tag=b&q=tea%20time', undefined, {
      headers: { 'User-Agent': 'curl/8.5', Cookie: 'theme=dark' },
    });
    expect(response.json()).toEqual({
      q: 'tea time',
      tags: ['a', 'b'],
      missing: 'default',
      fullPath: '/inspect/?tag=a&tag=b&q=tea%20time',
      host: 'testserver',
      secure: false,
      absolute: 'http://testserver/elsewhere/',
      userAgent: 'curl/8.5',
      meta: 'curl/8.5',
      theme: 'dark',
    });
  });

  test('a form POST fills request.POST; a JSON body is request.data', async () => {
    expect((await client.post('/inspect/', { colour: ['red', 'blue'], name: 'Ada' })).json()).toEqual({
      kind: 'form',
      colours: ['red', 'blue'],
      name: 'Ada',
    });
    expect((await client.post('/inspect/', { a: [1] }, { json: true })).json()).toEqual({ kind: 'json', data: { a: [1] } });
  });

  test('a missing form key read with getItem is a 400 naming it', async () => {
    const response = await client.post('/inspect/', { colour: 'red' }, JSON_ACCEPT);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: "Missing parameter 'name'." });
  });

  test('QueryDict on its own', () => {
    expect(requests.queryDictTour()).toEqual({
      last: '2',
      frozen: ['1', '2'],
      dict: { a: '4', c: 'x y' },
      encoded: 'a=1&a=2&a=4&c=x+y',
    });
  });
});

describe('responses', () => {
  const client = new Client(responses.buildApp());

  test('HttpResponse with a header and a cookie', async () => {
    const response = await client.get('/r/text/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-cache');
    expect(response.text).toBe('<p>Hello</p>');
    expect(response.cookieHeaders()[0]).toMatch(/^theme=dark; Max-Age=3600; Path=\/; Expires=.+ GMT; SameSite=Lax$/);
  });

  test('status subclasses, redirects, JSON', async () => {
    const created = await client.post('/r/items/');
    expect([created.statusCode, created.headers.get('Location'), created.text]).toEqual([201, '/r/items/7/', '{"id":7}']);
    const missing = await client.get('/r/missing/');
    expect([missing.statusCode, missing.text]).toEqual([404, '<h1>No such thing</h1>']);
    const moved = await client.get('/r/moved/');
    expect([moved.statusCode, moved.headers.get('Location')]).toEqual([302, '/r/text/']);
    expect((await client.get('/r/list/')).text).toBe('[1,2,3]');
    expect((await client.get('/r/when/')).text).toBe('{"at":"2024-01-02T00:00:00.000Z","big":"10","tags":["a"]}');
  });

  test('StreamingHttpResponse', async () => {
    const response = await client.get('/r/stream/');
    expect(response.headers.get('Content-Type')).toBe('text/csv');
    expect(response.body.toString()).toBe('id,name\n1,Ada\n');
  });

  test('FileResponse: headers, Range, If-None-Match, unsatisfiable range', async () => {
    const whole = await client.get('/r/report/');
    expect(whole.statusCode).toBe(200);
    expect(whole.body.toString()).toBe('0123456789');
    expect(whole.headers.get('Content-Type')).toBe('text/plain');
    expect(whole.headers.get('Content-Disposition')).toBe('attachment; filename="report.txt"');
    expect(whole.headers.get('Content-Length')).toBe('10');
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    const etag = whole.headers.get('ETag')!;
    expect(etag).toMatch(/^"[0-9a-f]+-a"$/);

    const part = await client.get('/r/report/', undefined, { headers: { Range: 'bytes=2-4' } });
    expect([part.statusCode, part.body.toString(), part.headers.get('Content-Range')]).toEqual([206, '234', 'bytes 2-4/10']);
    const notModified = await client.get('/r/report/', undefined, { headers: { 'If-None-Match': etag } });
    expect([notModified.statusCode, notModified.body.length]).toEqual([304, 0]);
    const unsatisfiable = await client.get('/r/report/', undefined, { headers: { Range: 'bytes=20-' } });
    expect([unsatisfiable.statusCode, unsatisfiable.headers.get('Content-Range')]).toEqual([416, 'bytes */10']);
  });
});

describe('routing', () => {
  // The global reverse() uses the app created last, so each test builds its app right before use.
  let app: ReturnType<typeof routing.buildApp>;
  let client: Client;
  beforeEach(() => {
    app = routing.buildApp();
    client = new Client(app);
  });

  test('converters, the custom one included, and reverse()', async () => {
    expect((await client.get('/articles/2024/')).json()).toEqual({ year: 2024, next: '/articles/2025/' });
    expect((await client.get('/articles/0999/')).json()).toEqual({ year: 999, next: '/articles/1000/' });
    expect((await client.get('/articles/2024/hello-world/')).json()).toEqual({
      year: 2024,
      slug: 'hello-world',
      route: 'article',
      params: { year: 2024, slug: 'hello-world' },
    });
    expect((await client.get('/articles/files/a/b/c.txt')).json()).toEqual({ rest: 'a/b/c.txt' });
    expect(app.reverse('articles-by-year', { year: 7 })).toBe('/articles/0007/');
    expect(app.reverse('article', { year: 2024, slug: 'hello-world' }, { page: 2 })).toBe('/articles/2024/hello-world/?page=2');
  });

  test('one handler for several methods', async () => {
    expect((await client.get('/articles/search/', { q: 'tea' })).json()).toEqual({ method: 'GET', q: 'tea' });
    expect((await client.post('/articles/search/', { q: 'tea' })).json()).toEqual({ method: 'POST', q: 'tea' });
  });

  test('404, 405 with Allow, HEAD, OPTIONS, append-slash', async () => {
    expect((await client.get('/articles/24/')).statusCode).toBe(404);
    const notAllowed = await client.delete('/articles/2024/hello-world/');
    expect([notAllowed.statusCode, notAllowed.headers.get('Allow')]).toEqual([405, 'GET, POST, HEAD, OPTIONS']);
    const head = await client.head('/articles/2024/');
    expect([head.statusCode, head.body.length, head.headers.get('Content-Type')]).toEqual([200, 0, 'application/json']);
    const options = await client.options('/articles/2024/hello-world/');
    expect([options.statusCode, options.headers.get('Allow')]).toEqual([204, 'GET, POST, HEAD, OPTIONS']);
    const slash = await client.get('/articles/2024?page=2');
    expect([slash.statusCode, slash.headers.get('Location')]).toEqual([301, '/articles/2024/?page=2']);
    expect((await client.post('/articles/2024/hello-world/')).statusCode).toBe(204);
  });
});

describe('dependency injection', () => {
  test('a singleton controller keeps its state; currentRequest() reaches the request', async () => {
    const client = new Client(di.buildApp());
    expect((await client.get('/stats/')).json()).toEqual({ visits: 1, audit: 'count by testserver' });
    expect((await client.get('/stats/')).json()).toEqual({ visits: 2, audit: 'count by testserver' });
  });

  test('a request-scoped controller gets the HttpRequest in its constructor', async () => {
    const client = new Client(di.buildApp());
    expect((await client.get('/whoami/', { lang: 'de' })).json()).toEqual({ path: '/whoami/', lang: 'de' });
  });
});

describe('middleware', () => {
  test('the function and class forms around the default stack', async () => {
    const client = new Client(middleware.buildApp());
    const response = await client.get('/ping/');
    expect(response.text).toBe('pong');
    expect(response.headers.get('Server-Timing')).toMatch(/^app;dur=\d+\.\d$/);
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    const blocked = await client.get('/ping/', undefined, { headers: { 'X-Real-IP': '10.0.0.66' } });
    expect([blocked.statusCode, blocked.text]).toEqual([403, 'Go away']);
  });

  test('the bare pipeline adds no security headers', async () => {
    const response = await new Client(middleware.buildBareApp()).get('/ping/');
    expect(response.text).toBe('pong');
    expect(response.headers.has('X-Frame-Options')).toBe(false);
  });
});

describe('uploads', () => {
  const client = new Client(uploads.buildApp());
  afterAll(() => rmSync(uploads.MEDIA_DIR, { recursive: true, force: true }));

  test('a small file stays in memory; a big one spills to disk; both are saved', async () => {
    const small = await client.post('/upload/', { title: 'Q3', document: Client.file('report.txt', 'hello', 'text/plain') });
    expect(small.json()).toEqual({
      name: 'report.txt',
      size: 5,
      contentType: 'text/plain',
      onDisk: false,
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      title: 'Q3',
    });
    expect(readFileSync(join(uploads.MEDIA_DIR, 'report.txt'), 'utf8')).toBe('hello');
    const big = await client.post('/upload/', { document: Client.file('../../etc/big.bin', Buffer.alloc(2 * 1024 * 1024, 1)) });
    const content = Buffer.alloc(2 * 1024 * 1024, 1);
    expect(big.json()).toEqual({
      name: 'big.bin',
      size: content.length,
      contentType: 'application/octet-stream',
      onDisk: true,
      sha256: createHash('sha256').update(content).digest('hex'),
    });
    expect(existsSync(join(uploads.MEDIA_DIR, 'big.bin'))).toBe(true);
  });

  test('no file: 400; too many files: 400', async () => {
    expect((await client.post('/upload/', { title: 'x' })).statusCode).toBe(400);
    const files = Array.from({ length: 11 }, (_, i) => Client.file(`f${i}.txt`, 'x'));
    const response = await client.post('/upload/', { document: files }, JSON_ACCEPT);
    expect(response.statusCode).toBe(400);
  });
});

describe('validation', () => {
  const client = new Client(validation.buildApp());

  test('a valid body becomes the DTO; unknown fields are dropped', async () => {
    const response = await client.post('/polls/', { question: 'Tabs?', choices: [{ text: 'Tabs' }, { text: 'Spaces' }], admin: true }, { json: true });
    expect(response.json()).toEqual({ question: 'Tabs?', choices: ['Tabs', 'Spaces'] });
  });

  test('errors by field, nested paths dotted', async () => {
    const response = await client.post('/polls/', { question: '', choices: [{ text: '' }] }, { json: true });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      errors: {
        question: ['question must be longer than or equal to 1 characters'],
        choices: ['choices must contain at least 2 elements'],
        'choices.0.text': ['text must be longer than or equal to 1 characters'],
      },
    });
    const notAnObject = await client.post('/polls/', [1], { json: true });
    expect(notAnObject.json()).toEqual({ errors: { __all__: ['Invalid data. Expected an object, but got array.'] } });
  });

  test('query strings: numbers and booleans converted as Django\'s form fields do', async () => {
    expect((await client.get('/polls/', { page: '2', open: 'false' })).json()).toEqual({ page: 2, open: false });
    expect((await client.get('/polls/')).json()).toEqual({ page: 1 });
    const bad = await client.get('/polls/', { page: '0', size: '500' });
    expect([bad.statusCode, bad.json()]).toEqual([400, { errors: { page: ['page must not be less than 1'], size: ['size must not be greater than 100'] } }]);
  });

  test('validationErrorStatus: 422', async () => {
    const response = await new Client(validation.buildApp(422)).get('/polls/', { page: 'x' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ errors: { page: ['Enter a number.'] } });
  });
});

describe('sessions', () => {
  test('the session survives between requests through the sessionid cookie', async () => {
    const client = new Client(sessions.buildApp());
    const first = await client.post('/cart/add/', { item: 'tea' });
    expect(first.json()).toEqual({ items: ['tea'] });
    expect(first.cookieHeaders()[0]).toMatch(/^sessionid=[a-z0-9]{32}; Max-Age=1209600; Path=\/; Expires=.+ GMT; HttpOnly; SameSite=Lax$/);
    await client.post('/cart/add/', { item: 'milk' });
    const shown = await client.get('/cart/');
    expect(shown.json()).toEqual({ items: ['tea', 'milk'] });
    expect(shown.cookieHeaders()).toEqual([]);
    const cleared = await client.post('/cart/clear/');
    expect(cleared.statusCode).toBe(204);
    expect(cleared.cookieHeaders()).toEqual(['sessionid=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax']);
    expect((await client.get('/cart/')).json()).toEqual({ items: [] });
  });

  test('SignedCookieSessionStore keeps the data in the cookie itself', async () => {
    const client = new Client(sessions.buildCookieSessionApp());
    const headers = { headers: { Host: 'localhost' } };
    const first = await client.post('/cart/add/', { item: 'tea' }, headers);
    expect(first.cookies.get('sessionid')!.value).toMatch(/^eyJpdGVtcyI6WyJ0ZWEiXX0:/); // base64 of {"items":["tea"]}
    expect((await client.get('/cart/', undefined, headers)).json()).toEqual({ items: ['tea'] });
  });
});

describe('auth', () => {
  test('login, LoginRequired, PermissionRequired, logout', async () => {
    const { app } = await auth.buildApp();
    const client = new Client(app);
    const anonymous = await client.get('/accounts/profile/');
    expect([anonymous.statusCode, anonymous.headers.get('Location')]).toEqual([302, '/accounts/login/?next=/accounts/profile/']);
    const anonymousJson = await client.get('/accounts/profile/', undefined, JSON_ACCEPT);
    expect([anonymousJson.statusCode, anonymousJson.json()]).toEqual([401, { detail: 'Authentication credentials were not provided.' }]);

    expect((await client.post('/accounts/login/', { username: 'bob', password: 'wrong' })).statusCode).toBe(403);
    const loggedIn = await client.post('/accounts/login/', { username: 'bob', password: 'hunter2 hunter2' });
    expect([loggedIn.statusCode, loggedIn.headers.get('Location')]).toEqual([302, '/accounts/profile/']);
    expect((await client.get('/accounts/profile/')).json()).toEqual({ username: 'bob' });
    const denied = await client.post('/accounts/polls/', {}, JSON_ACCEPT);
    expect([denied.statusCode, denied.json()]).toEqual([403, { detail: 'You do not have permission to perform this action.' }]);

    const loggedOut = await client.post('/accounts/logout/');
    expect([loggedOut.statusCode, loggedOut.headers.get('Location')]).toEqual([302, '/accounts/login/']);
    expect((await client.get('/accounts/profile/')).statusCode).toBe(302);
  });

  test('a user with the permission passes; hashes are Django pbkdf2_sha256', async () => {
    const { app, members } = await auth.buildApp();
    const ada = members.members.get(1)!;
    expect(ada.passwordHash).toMatch(/^pbkdf2_sha256\$1200000\$[A-Za-z0-9]{22}\$[A-Za-z0-9+/]{43}=$/);
    const client = new Client(app);
    await client.forceLogin(ada);
    expect((await client.post('/accounts/polls/')).json()).toEqual({ created: true });
  });

  test('login follows `next` only on this site: //evil.com, https://evil.com and /\\evil.com go to the profile', async () => {
    const { app } = await auth.buildApp();
    const client = new Client(app);
    const cases = [
      ['//evil.com', '/accounts/profile/'],
      ['https://evil.com', '/accounts/profile/'],
      ['/\\evil.com', '/accounts/profile/'],
      ['/polls/', '/polls/'],
      ['http://testserver/polls/', 'http://testserver/polls/'],
    ];
    for (const [next, location] of cases) {
      const response = await client.post('/accounts/login/', { username: 'bob', password: 'hunter2 hunter2', next });
      expect([next, response.statusCode, response.headers.get('Location')]).toEqual([next, 302, location]);
    }
  });

  test('an unknown username costs a password hash too, so timing does not tell which accounts exist', async () => {
    const { app } = await auth.buildApp();
    const client = new Client(app);
    async function timedFailure(username: string): Promise<number> {
      const start = process.hrtime.bigint();
      const response = await client.post('/accounts/login/', { username, password: 'wrong password' });
      expect(response.statusCode).toBe(403);
      return Number(process.hrtime.bigint() - start);
    }
    await timedFailure('bob'); // warm-up
    const knownUser = Math.min(await timedFailure('bob'), await timedFailure('bob'));
    const unknownUser = Math.min(await timedFailure('nobody'), await timedFailure('nobody'));
    // Without the dummy hash an unknown name answers in a few milliseconds against ~one PBKDF2 run.
    expect(unknownUser / knownUser).toBeGreaterThan(0.5);
  });
});

describe('csrf', () => {
  test('the form carries the token; a POST without it is refused; the header works for JSON', async () => {
    const client = new Client(csrf.buildApp(), { enforceCsrfChecks: true });
    const form = await client.get('/comments/');
    const token = /<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">/.exec(form.text)![1];
    expect(form.cookies.get('csrftoken')!.value).toMatch(/^[A-Za-z0-9]{32}$/);

    const refused = await client.post('/comments/', { text: 'hi' }, JSON_ACCEPT);
    expect([refused.statusCode, refused.json()]).toEqual([403, { detail: 'CSRF Failed: CSRF token missing.' }]);
    expect((await client.post('/comments/', { text: 'hi', csrfmiddlewaretoken: token })).json()).toEqual({ text: 'hi' });

    const headerToken = (await client.get('/csrf/')).json().csrfToken;
    const api = await client.post('/api/comments/', { text: 'json' }, { json: true, headers: { 'X-CSRFToken': headerToken } });
    expect(api.json()).toEqual({ text: 'json' });

    const foreign = await client.post('/api/comments/', { text: 'x' }, { json: true, headers: { 'X-CSRFToken': headerToken, Origin: 'https://evil.example' } });
    expect(foreign.json()).toEqual({ detail: 'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.' });
    const trusted = await client.post('/api/comments/', { text: 'x' }, { json: true, headers: { 'X-CSRFToken': headerToken, Origin: 'https://shop.example.org' } });
    expect(trusted.statusCode).toBe(200);
  });

  test('@CsrfExempt() routes take no token', async () => {
    const client = new Client(csrf.buildApp(), { enforceCsrfChecks: true });
    expect((await client.post('/hooks/payment/', { id: 1 }, { json: true })).json()).toEqual({ received: true });
  });
});

describe('error views', () => {
  test('defaults: JSON for JSON clients, plain HTML otherwise; a 500 tells nothing', async () => {
    const client = new Client(errors.buildApp());
    const notFound = await client.get('/books/2/', undefined, JSON_ACCEPT);
    expect([notFound.statusCode, notFound.json()]).toEqual([404, { detail: 'No book 2.' }]);
    const forbidden = await client.get('/books/1/edit/', undefined, JSON_ACCEPT);
    expect([forbidden.statusCode, forbidden.json()]).toEqual([403, { detail: 'Only editors may edit books.' }]);
    const crash = await client.get('/books/crash/', undefined, JSON_ACCEPT);
    expect([crash.statusCode, crash.json()]).toEqual([500, { detail: 'Server Error' }]);
    const html = await client.get('/books/crash/', undefined, HTML_ACCEPT);
    expect(html.text).toBe('<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n');
    const html404 = await client.get('/nowhere/', undefined, HTML_ACCEPT);
    expect(html404.text).toContain('<h1>Not Found</h1>');
  });

  test('debug: the technical pages', async () => {
    const client = new Client(errors.buildApp({ debug: true }));
    const notFound = await client.get('/nowhere/', undefined, JSON_ACCEPT);
    expect(notFound.json()).toEqual({
      detail: "The current path, /nowhere/, didn't match any of these.",
      patterns: ['/books/<int:id>/ [GET]', '/books/<int:id>/edit/ [GET]', '/books/crash/ [GET]'],
    });
    const crash = await client.get('/books/crash/', undefined, HTML_ACCEPT);
    expect(crash.text).toContain('database password is hunter2');
    expect(crash.text).toContain('Traceback');
  });

  test('a custom handler404', async () => {
    const client = new Client(errors.buildApp({ custom404: true }));
    expect((await client.get('/books/2/', undefined, HTML_ACCEPT)).text).toBe('<h1>Nothing at /books/2/</h1>');
    expect((await client.get('/books/2/', undefined, JSON_ACCEPT)).json()).toEqual({ error: 'not_found', detail: 'No book 2.' });
  });
});
