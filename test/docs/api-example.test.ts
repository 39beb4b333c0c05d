/**
 * The API examples of docs/authentication.md (api-tokens.ts), docs/routing.md (api-controller.ts)
 * and docs/testing.md (typed-client.ts), run through the test Client: the statuses, headers and
 * bodies asserted here are the ones the guides state.
 */
import { rootLogger } from '../logging/root-logger';
import { Client } from 'reinhardt';
import * as apiController from '../../docs/examples/api-controller';
import * as apiTokens from '../../docs/examples/api-tokens';
import * as typedClient from '../../docs/examples/typed-client';

const HTML = { headers: { Accept: 'text/html' } };
beforeEach(() => rootLogger.clear());

describe('api-tokens (docs/authentication.md)', () => {
  test('a logged-in user gets a token; with it a POST needs no CSRF token; revoked, it is refused', async () => {
    const { app, tokens } = apiTokens.buildApp();
    const session = new Client(app, { enforceCsrfChecks: true });
    await session.forceLogin({ id: 1 });
    session.cookies.set('csrftoken', 'k'.repeat(32));
    const issued = await session.post<{ token: string }>('/accounts/token/', undefined, { headers: { 'X-CSRFToken': 'k'.repeat(32) } });
    expect(issued.statusCode).toBe(200);
    const { token } = issued.json();
    expect(token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(await tokens.find(token.slice(0, 8))).toEqual(expect.objectContaining({ userId: '1' }));

    const api = new Client(app, { token, enforceCsrfChecks: true });
    const created = await api.post('/api/polls/', { question: 'Tea?' }, { json: true });
    expect([created.statusCode, created.json()]).toEqual([201, { id: 1, question: 'Tea?', author: 'ada' }]);

    expect((await api.post('/accounts/token/revoke/')).json()).toEqual({ revoked: true });
    const refused = await api.post('/api/polls/', { question: 'Again?' }, { json: true, ...HTML });
    expect([refused.statusCode, refused.headers.get('WWW-Authenticate'), refused.json()]).toEqual([401, 'Token', { detail: 'Invalid token.' }]);
  });

  test('anonymous: 401 with WWW-Authenticate: Token; a session POST without its CSRF token: 403', async () => {
    const { app } = apiTokens.buildApp();
    const anonymous = await new Client(app).post('/api/polls/', { question: 'Tea?' }, { json: true, ...HTML });
    expect([anonymous.statusCode, anonymous.headers.get('WWW-Authenticate'), anonymous.json()]).toEqual([
      401,
      'Token',
      { detail: 'Authentication credentials were not provided.' },
    ]);
    const session = new Client(app, { enforceCsrfChecks: true });
    await session.forceLogin({ id: 1 });
    const forged = await session.post('/api/polls/', { question: 'Tea?' }, { json: true });
    expect([forged.statusCode, forged.json()]).toEqual([403, { detail: 'CSRF Failed: CSRF cookie not set.' }]);
  });
});

describe('api-controller (docs/routing.md)', () => {
  const client = new Client(apiController.app);

  test.each([
    ['GET', '/api/books/7/', 404, undefined, { detail: 'No book 7.' }],
    ['GET', '/api/books/nothing/here/', 404, undefined, { detail: 'Not found.' }],
    ['POST', '/api/books/', 400, '{"title": ', { detail: expect.stringMatching(/^JSON parse error - /) }],
    ['DELETE', '/api/books/1/', 405, undefined, { detail: 'Method "DELETE" not allowed.' }],
  ])('%s %s answers %d JSON to an HTML client', async (method, path, status, body, json) => {
    const response =
      method === 'GET'
        ? await client.get(path, undefined, HTML)
        : method === 'POST'
          ? await client.post(path, body, { contentType: 'application/json', ...HTML })
          : await client.delete(path, undefined, HTML);
    expect(response.statusCode).toBe(status);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual(json);
  });

  test('the 405 names the methods the path has', async () => {
    expect((await client.delete('/api/books/1/')).headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });

  test('a book that exists is served', async () => {
    expect((await client.get('/api/books/1/')).json()).toEqual({ id: 1, title: 'Emma' });
  });
});

describe('typed-client (docs/testing.md)', () => {
  test('the token issued on the account page creates a poll; without it, 401', async () => {
    expect(await typedClient.createPollWithToken()).toEqual({
      status: 201,
      poll: { id: 1, question: 'Tea or coffee?', author: 'ada' },
      polls: [{ id: 1, question: 'Tea or coffee?', author: 'ada' }],
      withoutToken: 401,
    });
  });
});
