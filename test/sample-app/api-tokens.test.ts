/**
 * The sample app's JSON API with API tokens (issue 22, "Done when"): a token issued once from the
 * account page creates a poll with no CSRF token; reads stay public; and every error under /api/
 * is JSON with `Content-Type: application/json` whatever the client's `Accept` (a bad token: 401
 * with `WWW-Authenticate: Token`, DRF's TokenAuthentication).
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type TestResponse } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import type { PollPayload } from '../../sample-app/controllers/poll-api.controller';

/** The CSRF field the page rendered: what a browser would post back. */
function csrfFrom(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF field');
  return match[1];
}

/** The token the account page shows after "Create API token", or null when it shows none. */
function tokenShownIn(html: string): string | null {
  return /<code id="new-token-value">([^<]*)<\/code>/.exec(html)?.[1] ?? null;
}

const NEW_POLL = { questionText: 'Tokens or sessions?', choices: ['Tokens', 'Sessions'] };

describe('sample app API tokens', () => {
  let dataDir: string;
  let built: BuiltApp;
  /** A browser: the session cookie, and CSRF checked as a browser's requests are. */
  let browser: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-api-tokens-'));
    built = buildApp({ dataDir, secretKey: 'api-tokens-test-secret' });
    browser = new Client(built.app, { enforceCsrfChecks: true });
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sign up through the form (which logs in), as a visitor would. */
  async function signUp(username: string): Promise<void> {
    const form = await browser.get('/accounts/signup/');
    const response = await browser.post('/accounts/signup/', {
      csrfmiddlewaretoken: csrfFrom(form.text),
      username,
      email: '',
      password1: 'token-pass-1',
      password2: 'token-pass-1',
    });
    expect(response.statusCode).toBe(302);
  }

  /** "Create API token" on the account page: the answer shows the token. */
  async function createToken(): Promise<{ response: TestResponse; token: string }> {
    const page = await browser.get('/accounts/profile/');
    expect(page.statusCode).toBe(200);
    const response = await browser.post('/accounts/tokens/', { csrfmiddlewaretoken: csrfFrom(page.text) });
    expect(response.statusCode).toBe(200);
    const token = tokenShownIn(response.text);
    expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
    return { response, token: token! };
  }

  function expectJsonError(response: TestResponse, status: number, detail: string): void {
    expect({ status: response.statusCode, contentType: response.headers.get('Content-Type'), body: response.json() }).toEqual({
      status,
      contentType: 'application/json',
      body: { detail },
    });
  }

  test('a token from the account page creates a poll with no CSRF token: 201, the poll, by that user', async () => {
    await signUp('ada');
    const { token } = await createToken();
    // A script: no cookies, no CSRF token, only the header.
    const script = new Client(built.app, { enforceCsrfChecks: true, token });
    const response = await script.post('/api/polls/', NEW_POLL, { json: true });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('Location')).toBe('http://testserver/api/polls/4/');
    expect(response.json<PollPayload>()).toMatchObject({ id: 4, questionText: 'Tokens or sessions?', url: '/api/polls/4/' });
    expect((await new Client(built.app).get('/api/polls/4/')).json<PollPayload>().choices.map((c) => c.choiceText)).toEqual(['Tokens', 'Sessions']);
  });

  test('the account page shows the new token once: a reload lists its first characters only', async () => {
    await signUp('ada');
    const { token } = await createToken();
    const reload = await browser.get('/accounts/profile/');
    expect(reload.statusCode).toBe(200);
    expect(tokenShownIn(reload.text)).toBeNull();
    expect(reload.text).not.toContain(token);
    expect(reload.text).toContain(`<code>${token.slice(0, 8)}…</code>`);
    // The database holds the prefix and a digest, never the token.
    const rows = built.db.sqlite.prepare('SELECT * FROM authtoken_token').all() as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.values(rows[0])).not.toContain(token);
    expect(rows[0]).toMatchObject({ prefix: token.slice(0, 8), digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test('the account page needs a login; creating a token needs the CSRF token', async () => {
    const anonymous = await browser.get('/accounts/profile/');
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.get('Location')).toBe('/accounts/login/?next=/accounts/profile/');
    await signUp('ada');
    const forged = await browser.post('/accounts/tokens/', {});
    expect(forged.statusCode).toBe(403);
    expect(built.db.sqlite.prepare('SELECT COUNT(*) FROM authtoken_token').pluck().get()).toBe(0);
  });

  test('a revoked token no longer authenticates; another user cannot revoke it by its prefix', async () => {
    await signUp('ada');
    const { token } = await createToken();
    const prefix = token.slice(0, 8);

    const mallory = new Client(built.app, { enforceCsrfChecks: true });
    const signup = await mallory.get('/accounts/signup/');
    await mallory.post('/accounts/signup/', { csrfmiddlewaretoken: csrfFrom(signup.text), username: 'mallory', email: '', password1: 'token-pass-2', password2: 'token-pass-2' });
    const malloryPage = await mallory.get('/accounts/profile/');
    const theft = await mallory.post(`/accounts/tokens/${prefix}/revoke/`, { csrfmiddlewaretoken: csrfFrom(malloryPage.text) });
    expect(theft.statusCode).toBe(404);
    expect((await new Client(built.app, { token }).post('/api/polls/', NEW_POLL, { json: true })).statusCode).toBe(201);

    const page = await browser.get('/accounts/profile/');
    const revoked = await browser.post(`/accounts/tokens/${prefix}/revoke/`, { csrfmiddlewaretoken: csrfFrom(page.text) });
    expect(revoked.statusCode).toBe(302);
    expect(revoked.headers.get('Location')).toBe('/accounts/profile/');
    expect((await browser.get('/accounts/profile/')).text).toContain('You have no API tokens.');
    const refused = await new Client(built.app, { token }).post('/api/polls/', NEW_POLL, { json: true });
    expectJsonError(refused, 401, 'Invalid token.');
    expect(refused.headers.get('WWW-Authenticate')).toBe('Token');
  });

  test('a bad token is 401 JSON with WWW-Authenticate: Token, even to a client asking for HTML', async () => {
    const unknown = 'A'.repeat(40);
    for (const path of ['/api/polls/', '/api/polls/1/']) {
      const response = await new Client(built.app, { token: unknown }).get(path, undefined, { headers: { Accept: 'text/html' } });
      expectJsonError(response, 401, 'Invalid token.');
      expect(response.headers.get('WWW-Authenticate')).toBe('Token');
    }
    const spaced = await new Client(built.app).post('/api/polls/', NEW_POLL, { json: true, headers: { Authorization: 'Token two parts', Accept: 'text/html' } });
    expectJsonError(spaced, 401, 'Invalid token header. Token string should not contain spaces.');
    expect(spaced.headers.get('WWW-Authenticate')).toBe('Token');
    expect(built.db.sqlite.prepare('SELECT COUNT(*) FROM polls_question').pluck().get()).toBe(3);
  });

  test('reads stay public; an anonymous POST with the CSRF token is 401 JSON with WWW-Authenticate: Token (the class guard)', async () => {
    const read = await new Client(built.app, { enforceCsrfChecks: true }).get('/api/polls/1/', undefined, { headers: { Accept: 'text/html' } });
    expect(read.statusCode).toBe(200);
    // A visitor who is not logged in, on a page of the site: the CSRF check passes, the guard refuses.
    const page = await browser.get('/accounts/login/');
    const anonymous = await browser.post('/api/polls/', NEW_POLL, { json: true, headers: { 'X-CSRFToken': csrfFrom(page.text), Accept: 'text/html' } });
    expectJsonError(anonymous, 401, 'Authentication credentials were not provided.');
    expect(anonymous.headers.get('WWW-Authenticate')).toBe('Token');
    // A script with neither a token nor cookies: the session route's CSRF check answers first.
    const script = await new Client(built.app, { enforceCsrfChecks: true }).post('/api/polls/', NEW_POLL, { json: true, headers: { Accept: 'text/html' } });
    expectJsonError(script, 403, 'CSRF Failed: CSRF cookie not set.');
    expect(built.db.sqlite.prepare('SELECT COUNT(*) FROM polls_question').pluck().get()).toBe(3);
  });

  test('a session user still needs the CSRF token to POST, as in DRF; with it, 201', async () => {
    await signUp('ada');
    const refused = await browser.post('/api/polls/', NEW_POLL, { json: true, headers: { Accept: 'text/html' } });
    expectJsonError(refused, 403, 'CSRF Failed: CSRF token missing.');
    const page = await browser.get('/accounts/profile/');
    const created = await browser.post('/api/polls/', NEW_POLL, { json: true, headers: { 'X-CSRFToken': csrfFrom(page.text) } });
    expect(created.statusCode).toBe(201);
  });

  test('a malformed JSON body is 400 JSON, even to a client asking for HTML', async () => {
    await signUp('ada');
    const { token } = await createToken();
    const response = await new Client(built.app, { token }).post('/api/polls/', '{"questionText": ', {
      contentType: 'application/json',
      headers: { Accept: 'text/html' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json<{ detail: string }>().detail).toMatch(/^JSON parse error - /);
  });

  test('an unknown path under /api/ is 404 JSON with Content-Type application/json, even with Accept: text/html', async () => {
    const cases = [
      ['/api/polls/nothing/here/', 'Not found.'],
      ['/api/polls/999/', 'No poll matches id 999.'],
    ];
    for (const [path, detail] of cases) {
      const response = await new Client(built.app).get(path, undefined, { headers: { Accept: 'text/html' } });
      expect({ path, status: response.statusCode, contentType: response.headers.get('Content-Type'), body: response.json() }).toEqual({
        path,
        status: 404,
        contentType: 'application/json',
        body: { detail },
      });
    }
    // Outside the API the site's HTML 404 page stays.
    const page = await new Client(built.app).get('/polls/nothing/here/', undefined, { headers: { Accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
  });
});
