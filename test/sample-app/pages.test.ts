// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';

/** The tutorial's HTML pages through the test client (whole pipeline, default middleware). */
describe('sample app HTML pages', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-pages-'));
    built = buildApp({ dataDir, secretKey: 'pages-test-secret' });
    client = new Client(built.app);
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('/ redirects (302) to the poll list', async () => {
    const response = await client.get('/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/polls/');
  });

  test('the poll list is 200 HTML with the security headers, newest poll first', async () => {
    const response = await client.get('/polls/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('X-Frame-Options')).toBe('DENY');
    expect(response.headers.get('Referrer-Policy')).toBe('same-origin');
    const links = [...response.text.matchAll(/<li><a href="(\/polls\/\d+\/)">([^<]+)<\/a><\/li>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ['/polls/3/', 'Tabs or spaces?'],
      ['/polls/2/', 'Which request object do you prefer?'],
      ['/polls/1/', 'What&#39;s up?'],
    ]);
  });

  test('/polls without the slash redirects 301 to /polls/ (appendSlash)', async () => {
    const response = await client.get('/polls');
    expect(response.statusCode).toBe(301);
    expect(response.headers.get('Location')).toBe('/polls/');
  });

  test('the detail page has the vote form with the CSRF field and one radio per choice', async () => {
    const response = await client.get('/polls/1/');
    expect(response.statusCode).toBe(200);
    expect(response.text).toContain('<form action="/polls/1/vote/" method="post" id="vote-form">');
    expect(response.text).toMatch(/<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">/);
    expect([...response.text.matchAll(/<label for="choice\d">([^<]+)<\/label>/g)].map((m) => m[1])).toEqual([
      'Not much',
      'The sky',
      'Just hacking again',
    ]);
  });

  test('the results page lists every choice with its votes', async () => {
    const response = await client.get('/polls/2/results/');
    expect(response.statusCode).toBe(200);
    expect(response.text).toContain('HttpRequest -- <span class="votes">0</span> votes');
  });

  test("a missing poll is 404 rendered from the app's own 404.html", async () => {
    const response = await client.get('/polls/999/');
    expect(response.statusCode).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<h1 id="not-found">Page not found</h1>');
    expect(response.text).toContain('Nothing here at <code>/polls/999/</code>.');
  });

  test('a path nothing matches is the same 404 page', async () => {
    const response = await client.get('/nowhere/');
    expect(response.statusCode).toBe(404);
    expect(response.text).toContain('<h1 id="not-found">Page not found</h1>');
  });

  test('a 404 for a client that prefers JSON is {"detail": ...}', async () => {
    const response = await client.get('/polls/999/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ detail: 'No poll matches id 999.' });
  });

  test('a wrong method is 405 with Allow', async () => {
    const response = await client.delete('/polls/1/');
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
  });

  test('GET on the vote URL is 405 allowing only POST', async () => {
    const response = await client.get('/polls/1/vote/');
    expect(response.statusCode).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST, OPTIONS');
  });

  test('with debug on, a missing page shows the technical 404 with the patterns tried', async () => {
    const debugApp = buildApp({ dataDir, debug: true, secretKey: 'pages-test-secret' });
    try {
      const response = await new Client(debugApp.app).get('/nowhere/');
      expect(response.statusCode).toBe(404);
      expect(response.text).toContain('<code>/polls/&#60;int:id&#62;/results/ [GET] [name=&#39;polls:results&#39;]</code>');
      expect(response.text).not.toContain('id="not-found"');
    } finally {
      debugApp.db.close();
    }
  });
});
