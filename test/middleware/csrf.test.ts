import { setup } from '../auth/fixtures';

const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEF'; // 32 allowed characters

async function tokenFor(client: ReturnType<typeof setup>['client']): Promise<string> {
  return (await client.get('/auth/token/')).json<{ token: string }>().token;
}

describe('CsrfMiddleware (Django CsrfViewMiddleware)', () => {
  test('csrfToken(request) sets the csrftoken cookie (32-char secret, SameSite=Lax, a year) and Vary: Cookie', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const response = await client.get('/auth/token/');
    const cookie = response.cookies.get('csrftoken')!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(cookie.serialized).toMatch(/^csrftoken=[A-Za-z0-9]{32}; Max-Age=31449600; Path=\/; Expires=.+ GMT; SameSite=Lax$/);
    expect(response.headers.get('Vary')).toBe('Cookie');
    const token = response.json<{ token: string }>().token;
    expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  test('tokens are masked afresh every time, yet all stand for the same secret', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const first = await tokenFor(client);
    const second = await tokenFor(client);
    expect(first).not.toBe(second);
    for (const token of [first, second]) {
      expect((await client.post('/auth/form/', { csrfmiddlewaretoken: token })).statusCode).toBe(200);
    }
  });

  test('a safe method needs no token', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    expect((await client.get('/auth/me/')).statusCode).toBe(200);
  });

  test('POST without the cookie: 403 "CSRF cookie not set." (HTML page with the reason)', async () => {
    const { client, logger } = setup({}, { enforceCsrfChecks: true });
    const response = await client.post('/auth/form/', { a: '1' });
    expect(response.statusCode).toBe(403);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.body.toString()).toContain('<p>CSRF verification failed. Request aborted.</p>');
    expect(response.body.toString()).toContain('CSRF cookie not set.');
    // Django's CsrfViewMiddleware._reject: django.security.csrf, WARNING, status_code 403.
    expect(logger.records).toEqual([
      { level: 'warn', requestId: response.headers.get('X-Request-ID'), name: 'reinhardt.security.csrf', status: 403, msg: 'Forbidden (CSRF cookie not set.): /auth/form/' },
    ]);
  });

  test('JSON clients get {"detail": "CSRF Failed: <reason>"}', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const response = await client.post('/auth/form/', { a: 1 }, { json: true });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' });
  });

  test('cookie but no token: "CSRF token missing."', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    client.cookies.set('csrftoken', SECRET);
    const response = await client.post('/auth/form/', { a: 1 }, { json: true });
    expect(response.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing.' });
  });

  test('a wrong token is refused, naming where it came from', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    client.cookies.set('csrftoken', SECRET);
    const other = 'Z'.repeat(32);
    const form = await client.post('/auth/form/', { csrfmiddlewaretoken: other }, { headers: { Accept: 'application/json' } });
    expect(form.json()).toEqual({ detail: 'CSRF Failed: CSRF token from POST incorrect.' });
    const header = await client.post('/auth/form/', { a: 1 }, { json: true, headers: { 'X-CSRFToken': other } });
    expect(header.json()).toEqual({ detail: "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect." });
    const short = await client.post('/auth/form/', { a: 1 }, { json: true, headers: { 'X-CSRFToken': 'abc' } });
    expect(short.json()).toEqual({ detail: "CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header has incorrect length." });
    const bad = await client.post('/auth/form/', { csrfmiddlewaretoken: '!'.repeat(32) }, { headers: { Accept: 'application/json' } });
    expect(bad.json()).toEqual({ detail: 'CSRF Failed: CSRF token from POST has invalid characters.' });
  });

  test('the right token is accepted: masked in the form, masked or bare in the X-CSRFToken header', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const token = await tokenFor(client);
    expect((await client.post('/auth/form/', { csrfmiddlewaretoken: token })).statusCode).toBe(200);
    expect((await client.post('/auth/form/', { a: 1 }, { json: true, headers: { 'X-CSRFToken': token } })).statusCode).toBe(200);
    const secret = client.cookies.get('csrftoken')!;
    expect((await client.post('/auth/form/', { a: 1 }, { json: true, headers: { 'X-CSRFToken': secret } })).statusCode).toBe(200);
  });

  test("Django's own masked tokens unmask to Django's secret (tests/csrf_tests: MASKED_TEST_SECRET1/2)", async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    client.cookies.set('csrftoken', 'lcccccccX2kcccccccY2jcccccccssIC');
    for (const masked of ['1bcdefghij2bcdefghij3bcdefghij4bcdefghij5bcdefghij6bcdefghijABCD', '2JgchWvM1tpxT2lfz9aydoXW9yT1DN3NdLiejYxOOlzzV4nhBbYqmqZYbAV3V5Bf']) {
      expect((await client.post('/auth/form/', { csrfmiddlewaretoken: masked })).statusCode).toBe(200);
    }
  });

  test('a malformed csrftoken cookie is replaced, and a POST with it is refused', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    client.cookies.set('csrftoken', 'short');
    const post = await client.post('/auth/form/', { csrfmiddlewaretoken: 'x' }, { headers: { Accept: 'application/json' } });
    expect(post.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie has incorrect length.' });
    expect(post.cookies.get('csrftoken')!.value).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  test('a foreign Origin is refused with Django\'s reason; this host\'s origin is accepted', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const token = await tokenFor(client);
    const foreign = await client.post('/auth/form/', { csrfmiddlewaretoken: token }, { headers: { Origin: 'https://evil.example', Accept: 'application/json' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json()).toEqual({ detail: 'CSRF Failed: Origin checking failed - https://evil.example does not match any trusted origins.' });
    const same = await client.post('/auth/form/', { csrfmiddlewaretoken: token }, { headers: { Origin: 'http://testserver' } });
    expect(same.statusCode).toBe(200);
    const wrongScheme = await client.post('/auth/form/', { csrfmiddlewaretoken: token }, { headers: { Origin: 'https://testserver' } });
    expect(wrongScheme.statusCode).toBe(403);
  });

  test('csrfTrustedOrigins: exact entries and *.domain wildcards (scheme must match)', async () => {
    const { client } = setup({ csrfTrustedOrigins: ['https://app.example.org', 'https://*.example.com'] }, { enforceCsrfChecks: true });
    const token = await tokenFor(client);
    const post = (origin: string) => client.post('/auth/form/', { csrfmiddlewaretoken: token }, { headers: { Origin: origin } });
    expect((await post('https://app.example.org')).statusCode).toBe(200);
    expect((await post('https://a.b.example.com')).statusCode).toBe(200);
    expect((await post('https://example.com')).statusCode).toBe(200);
    expect((await post('http://a.example.com')).statusCode).toBe(403);
    expect((await post('https://badexample.com')).statusCode).toBe(403);
    expect((await post('null')).statusCode).toBe(403);
  });

  test('HTTPS without Origin: strict Referer checking', async () => {
    const { client } = setup({}, { enforceCsrfChecks: true });
    const token = await tokenFor(client);
    const post = (headers: Record<string, string>) =>
      client.post('/auth/form/', { csrfmiddlewaretoken: token }, { secure: true, headers: { Accept: 'application/json', ...headers } });
    expect((await post({})).json()).toEqual({ detail: 'CSRF Failed: Referer checking failed - no Referer.' });
    expect((await post({ Referer: 'not a url' })).json()).toEqual({ detail: 'CSRF Failed: Referer checking failed - Referer is malformed.' });
    expect((await post({ Referer: 'http://testserver/form/' })).json()).toEqual({
      detail: 'CSRF Failed: Referer checking failed - Referer is insecure while host is secure.',
    });
    expect((await post({ Referer: 'https://evil.example/page' })).json()).toEqual({
      detail: 'CSRF Failed: Referer checking failed - https://evil.example/page does not match any trusted origins.',
    });
    expect((await post({ Referer: 'https://testserver/form/' })).statusCode).toBe(200);
  });

  test('@CsrfExempt() routes and the non-enforcing test Client skip the checks', async () => {
    const enforcing = setup({}, { enforceCsrfChecks: true }).client;
    expect((await enforcing.post('/auth/hook/', { a: 1 })).statusCode).toBe(200);
    const relaxed = setup().client;
    expect((await relaxed.post('/auth/form/', { a: 1 })).statusCode).toBe(200);
  });
});
