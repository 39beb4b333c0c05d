/**
 * Login and sign-up posts are limited to 5 a minute per client address (issue 21 item 6,
 * docs/rate-limiting.md): the 6th is a 429 with Retry-After, before the password is checked.
 * The clock is frozen inside one window so that the count cannot roll over mid-test, and the
 * expected Retry-After is then exact.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachesFor, Client, SessionStore, type RedisSessionStore } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { UserRepository } from '../../sample-app/repositories/user-repository';
import { windowEnd } from '../../src/ratelimit/rate-limiter';
import { startRedisServer } from '../helpers/redis-server';

/** The test client's address, what `key: 'ip'` counts by. */
const CLIENT_IP = '127.0.0.1';

function csrfFrom(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF field');
  return match[1];
}

describe('sample app login and sign-up rate limits', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;
  let now: number;

  beforeEach(async () => {
    // A moment with at least 20 s left in the client's minute window (else the next window's start).
    now = Date.now();
    const end = windowEnd(CLIENT_IP, 60, now);
    if (end - Math.floor(now / 1000) < 20) now = (end + 1) * 1000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-rate-limits-'));
    built = buildApp({ dataDir, secretKey: 'rate-limit-test-secret' });
    await built.container.resolve(UserRepository).create('grace', '', 'hopper-1906');
    client = new Client(built.app, { enforceCsrfChecks: true });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function expectedRetryAfter(): number {
    return windowEnd(CLIENT_IP, 60, now) - Math.floor(now / 1000);
  }

  async function loginForm(): Promise<string> {
    const form = await client.get('/accounts/login/');
    expect(form.statusCode).toBe(200);
    return csrfFrom(form.text);
  }

  test('five wrong passwords get the form again; the 6th post, even with the right one, is a 429', async () => {
    const token = await loginForm();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'grace', password: `guess-${attempt}`, next: '' });
      expect([attempt, response.statusCode]).toEqual([attempt, 200]);
      expect(response.text).toContain('Please enter a correct username and password.');
    }
    const refused = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'grace', password: 'hopper-1906', next: '' });
    const wait = expectedRetryAfter();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe(String(wait));
    expect(refused.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(refused.text).toContain('<h1 id="too-many-requests">Too many attempts (429)</h1>');
    expect(refused.text).toContain(`<p>Request was throttled. Expected available in ${wait} seconds.</p>`);
    // Not logged in: the right password did not get through.
    expect(refused.cookies.has('sessionid')).toBe(false);
    expect((await client.get('/polls/')).text).not.toContain('Signed in as');
  });

  test('a JSON client gets the JSON 429; showing the form (GET) is never counted', async () => {
    for (let i = 0; i < 10; i++) await loginForm();
    const token = await loginForm();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'grace', password: 'wrong', next: '' })).statusCode).toBe(200);
    }
    const refused = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'grace', password: 'wrong', next: '' }, { headers: { Accept: 'application/json' } });
    const wait = expectedRetryAfter();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers.get('Retry-After')).toBe(String(wait));
    expect(refused.json()).toEqual({ detail: `Request was throttled. Expected available in ${wait} seconds.` });
  });

  test('sign-up has its own count of 5; the next window lets the client in again', async () => {
    let token = csrfFrom((await client.get('/accounts/signup/')).text);
    const attempt = (username: string) =>
      client.post('/accounts/signup/', { csrfmiddlewaretoken: token, username, email: '', password1: 'long enough 1', password2: 'does not match' });
    for (let i = 1; i <= 5; i++) expect((await attempt(`user${i}`)).statusCode).toBe(200);
    expect((await attempt('user6')).statusCode).toBe(429);
    // Login is counted apart from sign-up.
    const login = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'grace', password: 'hopper-1906', next: '' });
    expect(login.statusCode).toBe(302);
    await client.logout();
    token = csrfFrom((await client.get('/accounts/signup/')).text);

    now = (windowEnd(CLIENT_IP, 60, now) + 1) * 1000;
    expect((await attempt('user7')).statusCode).toBe(200);
  });

  test('with REDIS_URL, two instances of the site (each its own Redis client, as two processes) share one count', async () => {
    const redis = await startRedisServer();
    const dirs = [0, 1].map((i) => mkdtempSync(join(tmpdir(), `reinhardt-rate-limits-${i}-`)));
    const apps = dirs.map((dir) => buildApp({ dataDir: dir, secretKey: 'rate-limit-test-secret', redisUrl: redis.url }));
    try {
      const [first, second] = apps.map((app) => new Client(app.app));
      const post = (site: Client) => site.post('/accounts/login/', { username: 'nobody', password: 'wrong', next: '' });
      for (const site of [first, second, first, second, first]) expect((await post(site)).statusCode).toBe(200);
      const refused = await post(second);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers.get('Retry-After')).toBe(String(expectedRetryAfter()));
      expect((await post(first)).statusCode).toBe(429);
    } finally {
      for (const app of apps) {
        await cachesFor(app.app.settings).close();
        await (app.container.resolve(SessionStore) as RedisSessionStore).close();
        app.db.close();
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
      await redis.stop();
    }
  });
});
