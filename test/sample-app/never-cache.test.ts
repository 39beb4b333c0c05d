/**
 * `@NeverCache()` on the account pages (issue 21 item 6, docs/http-caching.md): as Django's
 * LoginView and LogoutView, no browser or proxy may keep them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';

const NEVER_CACHE = 'max-age=0, no-cache, no-store, must-revalidate, private';
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

describe('sample app account pages are never cached', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-never-cache-'));
    built = buildApp({ dataDir, secretKey: 'never-cache-test-secret' });
    client = new Client(built.app);
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function expectNeverCached(response: { statusCode: number; headers: { get(name: string): string | undefined } }, label: string): void {
    expect([label, response.headers.get('Cache-Control')]).toEqual([label, NEVER_CACHE]);
    const expires = response.headers.get('Expires');
    expect(expires).toMatch(HTTP_DATE);
    // Already expired: no later than the moment the answer arrived.
    expect(Date.parse(expires!)).toBeLessThanOrEqual(Date.now());
  }

  test('the login and sign-up forms, a failed login, a sign-up and a logout', async () => {
    expectNeverCached(await client.get('/accounts/login/'), 'login form');
    expectNeverCached(await client.get('/accounts/signup/'), 'sign-up form');
    const failed = await client.post('/accounts/login/', { username: 'nobody', password: 'wrong', next: '' });
    expect(failed.statusCode).toBe(200);
    expectNeverCached(failed, 'failed login');
    const signup = await client.post('/accounts/signup/', { username: 'grace', email: '', password1: 'hopper-1906', password2: 'hopper-1906' });
    expect(signup.statusCode).toBe(302);
    expectNeverCached(signup, 'sign-up redirect');
    const logout = await client.post('/accounts/logout/');
    expect(logout.statusCode).toBe(302);
    expectNeverCached(logout, 'logout redirect');
  });

  test('other pages keep their own caching: the poll detail says nothing, the list may be kept for 60 s', async () => {
    expect((await client.get('/polls/1/')).headers.get('Cache-Control')).toBeUndefined();
    expect((await client.get('/polls/')).headers.get('Cache-Control')).toBe('max-age=60');
  });
});
