/**
 * The sample app's JSON API is open by CORS to the origins of CORS_ALLOWED_ORIGINS (default a
 * Vite dev server's, http://localhost:5173), with credentials; the HTML pages are not (issue 21
 * item 6, docs/cors.md).
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { buildFromEnvironment } from '../../sample-app/main';
import { UserRepository } from '../../sample-app/repositories/user-repository';

const VITE = 'http://localhost:5173';

/** A preflight as Chromium sends it before a JSON POST carrying the CSRF header. */
function preflight(client: Client, path: string, origin: string) {
  return client.options(path, undefined, {
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-csrftoken' },
  });
}

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-headers',
  'access-control-allow-methods',
  'access-control-max-age',
  'access-control-expose-headers',
];

function corsHeadersOf(response: { headers: { get(name: string): string | undefined } }): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of CORS_HEADERS) {
    const value = response.headers.get(name);
    if (value !== undefined) found[name] = value;
  }
  return found;
}

describe('sample app CORS', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-cors-'));
    built = buildApp({ dataDir, secretKey: 'cors-test-secret' });
    client = new Client(built.app);
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a preflight from the Vite dev server is answered 200 with its origin and credentials', async () => {
    const response = await preflight(client, '/api/polls/', VITE);
    expect(response.statusCode).toBe(200);
    expect(response.body.length).toBe(0);
    expect(response.headers.get('Vary')).toBe('Origin');
    expect(corsHeadersOf(response)).toEqual({
      'access-control-allow-origin': VITE,
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
      'access-control-allow-methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
      'access-control-max-age': '86400',
    });
  });

  test('a credentialed GET from the Vite dev server may read the list; never `*` with credentials', async () => {
    await client.forceLogin(await built.container.resolve(UserRepository).create('ada', '', 'lovelace-1815'));
    const response = await client.get('/api/polls/', undefined, { headers: { Origin: VITE } });
    expect(response.statusCode).toBe(200);
    expect(response.json<{ polls: unknown[] }>().polls).toHaveLength(3);
    // Vary: the session middleware's Cookie (authentication read the session), GZipMiddleware's
    // Accept-Encoding, then CORS's Origin, added on the way out in the reverse of their order.
    expect(response.headers.get('Vary')).toBe('Cookie, Accept-Encoding, Origin');
    expect(corsHeadersOf(response)).toEqual({ 'access-control-allow-origin': VITE, 'access-control-allow-credentials': 'true' });
  });

  test('another origin gets no Access-Control header: its preflight is refused by the browser', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:5174', 'http://localhost:5173.evil.example', 'null']) {
      const response = await preflight(client, '/api/polls/', origin);
      expect([origin, response.statusCode, response.headers.get('Vary'), corsHeadersOf(response)]).toEqual([origin, 200, 'Origin', {}]);
    }
    const read = await client.get('/api/polls/', undefined, { headers: { Origin: 'https://evil.example' } });
    expect(read.statusCode).toBe(200);
    expect(corsHeadersOf(read)).toEqual({});
  });

  test('the HTML pages are outside corsUrlsRegex: no CORS headers even for the allowed origin', async () => {
    const page = await client.get('/polls/', undefined, { headers: { Origin: VITE } });
    expect(page.statusCode).toBe(200);
    expect(corsHeadersOf(page)).toEqual({});
    expect(page.headers.get('Vary')).not.toContain('Origin');
    // The preflight goes on to the app: the vote URL allows only POST.
    const vote = await preflight(client, '/polls/1/vote/', VITE);
    expect(corsHeadersOf(vote)).toEqual({});
  });

  test('a cross-origin POST with the session cookie still needs CSRF: the Vite origin is not CSRF-trusted', async () => {
    const browser = new Client(built.app, { enforceCsrfChecks: true });
    await browser.forceLogin(await built.container.resolve(UserRepository).create('ada', '', 'lovelace-1815'));
    const response = await browser.post('/api/polls/', { questionText: 'Cross-site?', choices: ['Yes', 'No'] }, {
      headers: { Origin: VITE, Accept: 'application/json' },
    });
    // CORS headers are sent so the page can read why it failed.
    expect(corsHeadersOf(response)).toEqual({ 'access-control-allow-origin': VITE, 'access-control-allow-credentials': 'true' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'CSRF Failed: Origin checking failed - http://localhost:5173 does not match any trusted origins.' });
  });
});

describe('sample app CORS from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('CORS_ALLOWED_ORIGINS replaces the default origin', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-cors-'));
    Object.assign(process.env, {
      SECRET_KEY: 'cors-test-secret',
      REINHARDT_SAMPLE_DATA: dataDir,
      CORS_ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000',
    });
    const built = buildFromEnvironment();
    try {
      expect(built.app.settings.corsAllowedOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
      const client = new Client(built.app);
      expect(corsHeadersOf(await preflight(client, '/api/polls/', 'http://localhost:3000'))['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(corsHeadersOf(await preflight(client, '/api/polls/', VITE))).toEqual({});
    } finally {
      built.db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
