/**
 * docs/examples/static-files.ts (docs/static-files.md), run through the test Client after
 * collectstatic: the statuses, headers and bodies asserted here are the ones the guide states.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, collectStatic } from 'reinhardt';
import { buildApp } from '../../docs/examples/static-files';

let staticRoot: string;
let client: Client;
let paths: ReadonlyMap<string, string>;

beforeAll(() => {
  staticRoot = mkdtempSync(join(tmpdir(), 'reinhardt-static-example-'));
  // As in production: collectstatic first, then the app starts (and reads the manifest once).
  paths = collectStatic(buildApp({ staticRoot }).settings).paths;
  client = new Client(buildApp({ staticRoot }));
});
afterAll(() => rmSync(staticRoot, { recursive: true, force: true }));

describe('docs/examples/static-files.ts', () => {
  test('the page links the hashed CSS and logo', async () => {
    const response = await client.get('/');
    expect(response.statusCode).toBe(200);
    expect(response.text).toContain(`<link rel="stylesheet" href="/static/${paths.get('css/site.css')}">`);
    expect(response.text).toContain(`<img src="/static/${paths.get('img/logo.svg')}" alt="">`);
    expect((await client.get('/logo-url/')).json()).toEqual({ logo: `/static/${paths.get('img/logo.svg')}` });
  });

  test('the hashed CSS: immutable, its url() pointing at the hashed logo', async () => {
    const response = await client.get(`/static/${paths.get('css/site.css')}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=31536000, immutable');
    expect(response.body.toString()).toContain(`url("../img/${paths.get('img/logo.svg')!.slice('img/'.length)}")`);
  });

  test('docs/static-files.md shows the manifest and the hashed name collectstatic makes for the example', () => {
    const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'static-files.md'), 'utf8');
    expect(guide).toContain(`\n${readFileSync(join(staticRoot, 'staticfiles.json'), 'utf8')}\n`);
    expect(guide).toContain(`\`css/site.css\` →\n  \`${paths.get('css/site.css')}\``);
  });

  test('the plain name: max-age=60, public', async () => {
    const response = await client.get('/static/css/site.css');
    expect(response.headers.get('cache-control')).toBe('max-age=60, public');
  });

  test('a report: the file as an attachment; a missing one 404; a way out 400', async () => {
    const report = await client.get('/reports/q3.txt');
    expect([report.statusCode, report.body.toString(), report.headers.get('content-disposition')]).toEqual([200, 'Q3: revenue up.\n', 'attachment; filename="q3.txt"']);
    const missing = await client.get('/reports/q4.txt', undefined, { headers: { Accept: 'application/json' } });
    expect([missing.statusCode, missing.json()]).toEqual([404, { detail: '"q4.txt" does not exist.' }]);
    const out = await client.get('/reports/..%2F..%2Fstatic-files.ts', undefined, { headers: { Accept: 'application/json' } });
    expect([out.statusCode, out.json()]).toEqual([400, { detail: 'Bad Request' }]);
  });
});
