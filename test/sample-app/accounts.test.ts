// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachesFor, checkPassword, Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';

/** The CSRF field the page rendered: what a browser would post back. */
function csrfFrom(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no CSRF field');
  return match[1];
}

/** Sign-up, login, logout and voting, with CSRF checks on as in a browser. */
describe('sample app accounts and voting', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-accounts-'));
    built = buildApp({ dataDir, secretKey: 'accounts-test-secret' });
    client = new Client(built.app, { enforceCsrfChecks: true });
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signUp(username = 'grace', password = 'hopper-1906'): Promise<void> {
    const form = await client.get('/accounts/signup/');
    const response = await client.post('/accounts/signup/', {
      csrfmiddlewaretoken: csrfFrom(form.text),
      username,
      email: `${username}@example.com`,
      password1: password,
      password2: password,
    });
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/polls/');
  }

  test('sign-up stores a Django pbkdf2_sha256 hash, logs in and sets an HttpOnly session cookie', async () => {
    await signUp();
    const row = built.db.sqlite.prepare('SELECT password FROM auth_user WHERE username = ?').get('grace') as { password: string };
    expect(row.password).toMatch(/^pbkdf2_sha256\$\d+\$[A-Za-z0-9]+\$[A-Za-z0-9+/]+=*$/);
    expect(await checkPassword('hopper-1906', row.password)).toBe(true);
    const page = await client.get('/polls/');
    expect(page.text).toContain('Signed in as <strong>grace</strong>');
  });

  test('sign-up shows the form again with the errors: mismatch, short password, taken name', async () => {
    await signUp('linus');
    await client.logout();
    const form = await client.get('/accounts/signup/');
    const token = csrfFrom(form.text);
    const mismatch = await client.post('/accounts/signup/', { csrfmiddlewaretoken: token, username: 'x', email: '', password1: 'long enough 1', password2: 'long enough 2' });
    expect(mismatch.statusCode).toBe(200);
    expect(mismatch.text).toContain('The two password fields didn’t match.');
    const short = await client.post('/accounts/signup/', { csrfmiddlewaretoken: token, username: 'x', email: '', password1: 'short', password2: 'short' });
    expect(short.text).toContain('This password is too short. It must contain at least 8 characters.');
    const taken = await client.post('/accounts/signup/', { csrfmiddlewaretoken: token, username: 'LINUS', email: '', password1: 'long enough 1', password2: 'long enough 1' });
    expect(taken.text).toContain('A user with that username already exists.');
  });

  test('simultaneous sign-ups as racer and RACER: one account, the other gets the form error, never a 500', async () => {
    const signup = (username: string) => ({ username, email: '', password1: 'photo finish 1', password2: 'photo finish 1' });
    // Two browsers at once: both pass the early "is the name taken?" check while the other hashes.
    const responses = await Promise.all([
      new Client(built.app).post('/accounts/signup/', signup('racer')),
      new Client(built.app).post('/accounts/signup/', signup('RACER')),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 302]);
    const refused = responses.find((response) => response.statusCode === 200)!;
    expect(refused.text).toContain('A user with that username already exists.');
    expect(refused.cookies.has('sessionid')).toBe(false);
    const rows = built.db.sqlite.prepare("SELECT username FROM auth_user WHERE username = 'racer' COLLATE NOCASE").pluck().all();
    expect(rows).toHaveLength(1);
  });

  test('the database refuses a second username that differs only in case', () => {
    const insert = built.db.sqlite.prepare("INSERT INTO auth_user (username, password, date_joined) VALUES (?, '!', '2026-01-01')");
    insert.run('racer');
    expect(() => insert.run('Racer')).toThrow('UNIQUE constraint failed: auth_user.username');
  });

  test('login with a wrong password shows the form again and no session', async () => {
    await signUp();
    await client.logout();
    const form = await client.get('/accounts/login/');
    const response = await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(form.text), username: 'grace', password: 'wrong', next: '' });
    expect(response.statusCode).toBe(200);
    expect(response.text).toContain('Please enter a correct username and password.');
    expect(response.cookies.has('sessionid')).toBe(false);
    expect(client.cookies.has('sessionid')).toBe(false);
  });

  test('login goes to a local next, never to another host', async () => {
    await signUp();
    await client.logout();
    let form = await client.get('/accounts/login/', { next: '/polls/2/' });
    expect(form.text).toContain('<input type="hidden" name="next" value="/polls/2/">');
    let response = await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(form.text), username: 'grace', password: 'hopper-1906', next: '/polls/2/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/polls/2/');
    await client.logout();
    form = await client.get('/accounts/login/');
    response = await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(form.text), username: 'grace', password: 'hopper-1906', next: '//evil.example/' });
    expect(response.headers.get('Location')).toBe('/polls/');
  });

  test('login checks next as Django\'s LoginView: this host in any form is followed, other hosts and tricks are not', async () => {
    await signUp();
    const cases = [
      ['//evil.example/', '/polls/'],
      ['https://evil.example/', '/polls/'],
      ['/\\evil.example/', '/polls/'],
      ['\x08//evil.example/', '/polls/'],
      ['https://testserver/polls/2/', 'https://testserver/polls/2/'],
      ['http://testserver/polls/2/', 'http://testserver/polls/2/'],
      ['/polls/3/', '/polls/3/'],
    ];
    for (const [next, location] of cases) {
      // Nine logins from one address within the minute: forget the count each time, or the
      // 6th would be the rate limit's 429 (tested in rate-limits.test.ts), not this check.
      await cachesFor(built.app.settings).get().clear();
      await client.logout();
      const form = await client.get('/accounts/login/');
      const response = await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(form.text), username: 'grace', password: 'hopper-1906', next });
      expect([next, response.statusCode, response.headers.get('Location')]).toEqual([next, 302, location]);
    }
    // From an https page, an http next would downgrade the connection: refused (requireHttps).
    await cachesFor(built.app.settings).get().clear();
    const secure = new Client(built.app);
    const credentials = { username: 'grace', password: 'hopper-1906' };
    const downgrade = await secure.post('/accounts/login/', { ...credentials, next: 'http://testserver/polls/2/' }, { secure: true });
    expect(downgrade.headers.get('Location')).toBe('/polls/');
    const upgrade = await secure.post('/accounts/login/', { ...credentials, next: 'https://testserver/polls/2/' }, { secure: true });
    expect(upgrade.headers.get('Location')).toBe('https://testserver/polls/2/');
  });

  test('the login form does not carry an unsafe next into its hidden field', async () => {
    const unsafe = await client.get('/accounts/login/', { next: '//evil.example/' });
    expect(unsafe.text).toContain('<input type="hidden" name="next" value="">');
    const local = await client.get('/accounts/login/', { next: '/polls/2/' });
    expect(local.text).toContain('<input type="hidden" name="next" value="/polls/2/">');
  });

  test('an anonymous vote goes to the login page and back to the poll (GET), not to the POST-only vote URL', async () => {
    await signUp();
    await client.post('/accounts/logout/', { csrfmiddlewaretoken: csrfFrom((await client.get('/polls/1/')).text) });
    const form = await client.get('/polls/1/');
    const anonymous = await client.post('/polls/1/vote/', { csrfmiddlewaretoken: csrfFrom(form.text), choice: '2' });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.get('Location')).toBe('/accounts/login/?next=/polls/1/');
    expect(built.db.sqlite.prepare('SELECT SUM(votes) FROM polls_choice').pluck().get()).toBe(0);

    const login = await client.get('/accounts/login/', { next: '/polls/1/' });
    expect(login.text).toContain('<li class="info">Log in to vote.</li>');
    expect(login.text).toContain('<input type="hidden" name="next" value="/polls/1/">');
    const loggedIn = await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(login.text), username: 'grace', password: 'hopper-1906', next: '/polls/1/' });
    expect(loggedIn.headers.get('Location')).toBe('/polls/1/');
    const poll = await client.get('/polls/1/');
    expect(poll.statusCode).toBe(200);
    expect(poll.text).toContain('<li class="success">You are signed in as grace.</li>');
    const voted = await client.post('/polls/1/vote/', { csrfmiddlewaretoken: csrfFrom(poll.text), choice: '2' });
    expect(voted.headers.get('Location')).toBe('/polls/1/results/');
    const results = await client.get('/polls/1/results/');
    expect(results.text).toContain('<li class="success">Your vote was recorded.</li>');
    expect(results.text).toContain('The sky -- <span class="votes">1</span> vote</li>');
    // Shown once: the next page has no message.
    expect((await client.get('/polls/1/results/')).text).not.toContain('class="messages"');
  });

  test('sign-up, logout and login each leave a message for the page they redirect to', async () => {
    await signUp();
    const welcome = await client.get('/polls/');
    expect(welcome.text).toContain('<li class="success">Welcome, grace! Your account was created and you are signed in.</li>');
    await client.post('/accounts/logout/', { csrfmiddlewaretoken: csrfFrom(welcome.text) });
    const loggedOut = await client.get('/polls/');
    expect(loggedOut.text).toContain('<li class="info">You have been logged out.</li>');
    expect(loggedOut.text).toContain('id="login-link"');
    const login = await client.get('/accounts/login/');
    await client.post('/accounts/login/', { csrfmiddlewaretoken: csrfFrom(login.text), username: 'grace', password: 'hopper-1906' });
    expect((await client.get('/polls/')).text).toContain('<li class="success">You are signed in as grace.</li>');
  });

  test('a vote without the CSRF token is 403; with the form token it is counted (302 to results)', async () => {
    await signUp();
    const rejected = await client.post('/polls/1/vote/', { choice: '2' });
    expect(rejected.statusCode).toBe(403);
    const form = await client.get('/polls/1/');
    const accepted = await client.post('/polls/1/vote/', { csrfmiddlewaretoken: csrfFrom(form.text), choice: '2' });
    expect(accepted.statusCode).toBe(302);
    expect(accepted.headers.get('Location')).toBe('/polls/1/results/');
    const results = await client.get('/polls/1/results/');
    expect(results.text).toContain('The sky -- <span class="votes">1</span> vote</li>');
    expect(results.text).toContain('Not much -- <span class="votes">0</span> votes</li>');
  });

  test('a vote without a choice, or for another poll\'s choice, shows the form with the message', async () => {
    await signUp();
    const form = await client.get('/polls/1/');
    const token = csrfFrom(form.text);
    for (const data of [{ csrfmiddlewaretoken: token }, { csrfmiddlewaretoken: token, choice: '5' }]) {
      const response = await client.post('/polls/1/vote/', data);
      expect(response.statusCode).toBe(200);
      expect(response.text).toContain('<p class="error"><strong>You didn&#39;t select a choice.</strong></p>');
    }
    expect(built.db.sqlite.prepare('SELECT SUM(votes) FROM polls_choice').pluck().get()).toBe(0);
  });

  test('logout is POST with the token; afterwards the page shows the login link and voting redirects', async () => {
    await signUp();
    const page = await client.get('/polls/');
    const response = await client.post('/accounts/logout/', { csrfmiddlewaretoken: csrfFrom(page.text) });
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/polls/');
    const after = await client.get('/polls/');
    expect(after.text).toContain('id="login-link"');
    expect(after.text).not.toContain('Signed in as');
    expect((await client.get('/accounts/logout/')).statusCode).toBe(405);
  });

  test('the session survives an app restart (sessions live in SQLite)', async () => {
    await signUp();
    built.db.close();
    built = buildApp({ dataDir, secretKey: 'accounts-test-secret' });
    const restarted = new Client(built.app);
    const page = await restarted.get('/polls/', undefined, {
      headers: { Cookie: `sessionid=${client.cookies.get('sessionid')}` },
    });
    expect(page.text).toContain('Signed in as <strong>grace</strong>');
  });
});

