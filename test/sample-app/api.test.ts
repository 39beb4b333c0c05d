// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import type { PollListPayload, PollPayload } from '../../sample-app/controllers/poll-api.controller';
import { UserRepository } from '../../sample-app/repositories/user-repository';

/** The JSON API at /api/polls/: typed JsonResponses, a validated DTO, 201 with Location (tokens: api-tokens.test.ts). */
describe('sample app JSON API', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-api-'));
    built = buildApp({ dataDir, secretKey: 'api-test-secret' });
    client = new Client(built.app);
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function signedIn(): Promise<void> {
    const user = await built.container.resolve(UserRepository).create('ada', 'ada@example.com', 'correct horse battery');
    await client.forceLogin(user);
  }

  test('GET /api/polls/ lists the latest polls as JSON, with the security headers', async () => {
    const response = await client.get('/api/polls/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const body = response.json<PollListPayload>();
    expect(body.polls.map((p) => [p.id, p.questionText, p.url])).toEqual([
      [3, 'Tabs or spaces?', '/api/polls/3/'],
      [2, 'Which request object do you prefer?', '/api/polls/2/'],
      [1, "What's up?", '/api/polls/1/'],
    ]);
    expect(body.polls[0].pubDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  test('?n= limits the list', async () => {
    const response = await client.get('/api/polls/', { n: '1' });
    expect(response.json<PollListPayload>().polls.map((p) => p.id)).toEqual([3]);
  });

  test('GET /api/polls/1/ is the poll with its choices and votes', async () => {
    const response = await client.get('/api/polls/1/');
    expect(response.statusCode).toBe(200);
    const poll = response.json<PollPayload>();
    expect(poll.choices).toEqual([
      { id: 1, choiceText: 'Not much', votes: 0 },
      { id: 2, choiceText: 'The sky', votes: 0 },
      { id: 3, choiceText: 'Just hacking again', votes: 0 },
    ]);
  });

  test('a missing poll is a JSON 404 when JSON is asked for', async () => {
    const response = await client.get('/api/polls/42/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: 'No poll matches id 42.' });
  });

  test('POST creates a poll: 201, Location of the new poll, the poll as JSON', async () => {
    await signedIn();
    const response = await client.post('/api/polls/', { questionText: 'Best converter?', choices: ['int', 'slug'] }, { json: true });
    expect(response.statusCode).toBe(201);
    expect(response.headers.get('Location')).toBe('http://testserver/api/polls/4/');
    expect(response.headers.get('Content-Type')).toBe('application/json');
    const created = response.json<PollPayload>();
    expect(created).toMatchObject({ id: 4, questionText: 'Best converter?', url: '/api/polls/4/' });
    expect(created.choices.map((c) => c.choiceText)).toEqual(['int', 'slug']);
    const fetched = await client.get('/api/polls/4/');
    expect(fetched.json<PollPayload>().questionText).toBe('Best converter?');
  });

  test('POST with an invalid body is 400 with the field errors in the API error shape, and creates nothing', async () => {
    await signedIn();
    const response = await client.post('/api/polls/', { questionText: '', choices: ['only one'] }, { json: true });
    expect(response.statusCode).toBe(400);
    // An api: true controller's validation error: {"detail": ..., "errors": ...} (docs/routing.md).
    expect(response.json()).toEqual({
      detail: 'Validation failed',
      errors: {
        questionText: ['questionText must be longer than or equal to 1 characters'],
        choices: ['choices must contain at least 2 elements'],
      },
    });
    expect((await client.get('/api/polls/4/', undefined, { headers: { Accept: 'application/json' } })).statusCode).toBe(404);
  });

  test('POST without a session is 401 for a JSON client', async () => {
    const response = await client.post('/api/polls/', { questionText: 'Anyone?', choices: ['a', 'b'] }, {
      json: true,
      headers: { Accept: 'application/json' },
    });
    expect(response.statusCode).toBe(401);
  });

  test('PUT on the list is 405 with Allow', async () => {
    const response = await client.put('/api/polls/', { questionText: 'x' }, { json: true });
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, POST, HEAD, OPTIONS');
  });
});
