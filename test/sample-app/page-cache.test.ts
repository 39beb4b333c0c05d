/**
 * The poll lists are kept by `@CachePage` in the 'pages' cache and dropped when a vote or a new
 * poll changes them (issue 21 item 6, docs/cache.md). The database is changed behind the app's
 * back to see which answers come from the cache: a cached list does not show the change.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { PollRepository } from '../../sample-app/repositories/poll-repository';
import { UserRepository } from '../../sample-app/repositories/user-repository';

/** `Age` of a page stored a moment ago: 0, or 1 when a second ended in between. */
const FRESH_AGE = /^[01]$/;

interface ListedPoll {
  id: number;
  choices: Array<{ id: number; votes: number }>;
}

describe('sample app page cache', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-page-cache-'));
    built = buildApp({ dataDir, secretKey: 'page-cache-test-secret' });
    client = new Client(built.app);
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Votes for choice 1 of poll 1 in the listed JSON. */
  async function listedVotes(): Promise<{ votes: number; age: string | undefined; cacheControl: string | undefined }> {
    const response = await client.get('/api/polls/');
    expect(response.statusCode).toBe(200);
    const poll = response.json<{ polls: ListedPoll[] }>().polls.find((p) => p.id === 1)!;
    return { votes: poll.choices.find((c) => c.id === 1)!.votes, age: response.headers.get('Age'), cacheControl: response.headers.get('Cache-Control') };
  }

  /** Counts votes the way a second process, or a script, would: past the app. */
  function addVotesBehindTheApp(votes: number): void {
    built.db.sqlite.prepare('UPDATE polls_choice SET votes = votes + ? WHERE id = 1').run(votes);
  }

  async function signIn(username: string): Promise<Client> {
    const signedIn = new Client(built.app);
    await signedIn.forceLogin(await built.container.resolve(UserRepository).create(username, '', `${username}-password-1`));
    return signedIn;
  }

  test('the JSON list is served from the cache (with Age) until a vote, then fresh', async () => {
    expect(await listedVotes()).toEqual({ votes: 0, age: undefined, cacheControl: 'max-age=60' });
    addVotesBehindTheApp(7);
    // The handler did not run: the stored page, with the 7 votes missing.
    expect(await listedVotes()).toEqual({ votes: 0, age: expect.stringMatching(FRESH_AGE), cacheControl: 'max-age=60' });

    const voter = await signIn('grace');
    const vote = await voter.post('/polls/1/vote/', { choice: '1' });
    expect(vote.statusCode).toBe(302);
    expect(await listedVotes()).toEqual({ votes: 8, age: undefined, cacheControl: 'max-age=60' });
  });

  test('a vote that is not counted (no choice) leaves the cached list alone', async () => {
    await listedVotes();
    addVotesBehindTheApp(3);
    const voter = await signIn('grace');
    expect((await voter.post('/polls/1/vote/', {})).statusCode).toBe(200);
    expect((await listedVotes()).votes).toBe(0);
  });

  test('each ?n= is its own page', async () => {
    const three = await client.get('/api/polls/', { n: '1' });
    expect(three.json<{ polls: unknown[] }>().polls).toHaveLength(1);
    expect((await client.get('/api/polls/', { n: '2' })).json<{ polls: unknown[] }>().polls).toHaveLength(2);
  });

  test('the HTML list is cached too, per cookie header; a new poll from the API shows at once', async () => {
    // The first visit is stored under "no cookies". The anonymous list shows no form, so it makes
    // no CSRF token and sets no cookie (Django sets it only for a page that uses the token): the
    // visitor's second visit is that same stored page.
    const first = await client.get('/polls/');
    expect(first.headers.get('Cache-Control')).toBe('max-age=60');
    expect(first.headers.get('Vary')).toBe('Cookie, Accept-Encoding');
    expect(first.cookies.has('csrftoken')).toBe(false);
    expect((await client.get('/polls/')).headers.get('Age')).toMatch(FRESH_AGE);
    built.container.resolve(PollRepository).create({ questionText: 'Added behind the app?', choices: ['Yes', 'No'] });
    const cached = await client.get('/polls/');
    expect(cached.headers.get('Age')).toMatch(FRESH_AGE);
    expect(cached.text).not.toContain('Added behind the app?');
    expect((await new Client(built.app).get('/polls/')).text).not.toContain('Added behind the app?');

    const author = await signIn('linus');
    const created = await author.post('/api/polls/', { questionText: 'Cached or fresh?', choices: ['Cached', 'Fresh'] }, { headers: { Accept: 'application/json' } });
    expect(created.statusCode).toBe(201);
    const after = await client.get('/polls/');
    expect(after.headers.get('Age')).toBeUndefined();
    expect(after.text).toContain('Cached or fresh?');
    expect(after.text).toContain('Added behind the app?');
  });

  test('the HTML list names the signed-in user, so it is kept per cookie: nobody sees another\'s page', async () => {
    const ada = await signIn('ada');
    const bob = await signIn('bob');
    // Twice each: the first visit also gives each client its CSRF cookie.
    for (let visit = 0; visit < 2; visit++) {
      expect((await ada.get('/polls/')).text).toContain('Signed in as <strong>ada</strong>');
      expect((await bob.get('/polls/')).text).toContain('Signed in as <strong>bob</strong>');
      const anonymous = await client.get('/polls/');
      expect(anonymous.text).not.toContain('Signed in as');
      expect(anonymous.text).toContain('id="login-link"');
    }
    // Each one's next visit is their own page, from the cache.
    const again = await ada.get('/polls/');
    expect(again.headers.get('Age')).toMatch(FRESH_AGE);
    expect(again.text).toContain('Signed in as <strong>ada</strong>');
    const bobAgain = await bob.get('/polls/');
    expect(bobAgain.headers.get('Age')).toMatch(FRESH_AGE);
    expect(bobAgain.text).toContain('Signed in as <strong>bob</strong>');
  });
});
