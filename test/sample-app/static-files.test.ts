/**
 * The sample app's CSS and logo as static files (issue 21 item 6, docs/static-files.md): linked
 * by `{{ static(...) }}` under their hashed names once collected, served by StaticFilesMiddleware
 * with a year of caching and their Brotli/gzip copies, and collected by the same command line
 * `npm start` runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { callCommand, Client } from 'reinhardt';
import { buildApp, SAMPLE_APP_DIR, type BuiltApp } from '../../sample-app/app';
import { buildCollectedApp } from './collected-app';

const SOURCE_CSS = readFileSync(join(SAMPLE_APP_DIR, 'static', 'css', 'site.css'));
const SOURCE_LOGO = readFileSync(join(SAMPLE_APP_DIR, 'static', 'img', 'logo.svg'));

/** Django's hashed name: the first 12 hex digits of the content's MD5 before the extension. */
function md5Name(name: string, content: Buffer | string): string {
  const hash = createHash('md5').update(content).digest('hex').slice(0, 12);
  return name.replace(/(\.[^.]+)$/, `.${hash}$1`);
}

const LOGO_NAME = md5Name('img/logo.svg', SOURCE_LOGO);
const LOGO_URL = `/static/${LOGO_NAME}`;
// collectstatic rewrites the CSS's url() to the logo's hashed name (still relative, written
// url("...")) and hashes the rewritten text.
const COLLECTED_CSS = SOURCE_CSS.toString('utf8').replace('url("../img/logo.svg")', `url("../${LOGO_NAME}")`);
const CSS_URL = `/static/${md5Name('css/site.css', COLLECTED_CSS)}`;

describe('sample app static files, collected', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-static-'));
    built = buildCollectedApp({ dataDir, secretKey: 'static-test-secret' });
    client = new Client(built.app);
  });
  afterAll(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the page links the hashed CSS and icon, with no inline style left', async () => {
    const page = await client.get('/polls/');
    expect(page.statusCode).toBe(200);
    expect(page.text).toContain(`<link rel="stylesheet" href="${CSS_URL}">`);
    expect(page.text).toContain(`<link rel="icon" href="${LOGO_URL}" type="image/svg+xml">`);
    expect(page.text).not.toContain('<style>');
  });

  test('the hashed CSS answers 200, cached for a year, its url() pointing at the hashed logo', async () => {
    const css = await client.get(CSS_URL);
    expect(css.statusCode).toBe(200);
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('Cache-Control')).toBe('max-age=31536000, immutable');
    expect(css.headers.get('Content-Encoding')).toBeUndefined();
    expect(css.body.toString('utf8')).toBe(COLLECTED_CSS);
    expect(COLLECTED_CSS).toMatch(/url\("\.\.\/img\/logo\.[0-9a-f]{12}\.svg"\)/);
    const logo = await client.get(LOGO_URL);
    expect(logo.statusCode).toBe(200);
    expect(logo.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(logo.headers.get('Cache-Control')).toBe('max-age=31536000, immutable');
    expect(logo.body.equals(SOURCE_LOGO)).toBe(true);
  });

  test('Brotli to Chromium, gzip to a gzip-only client: the precompressed copies, with Vary', async () => {
    const br = await client.get(CSS_URL, undefined, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(br.headers.get('Vary')).toBe('Accept-Encoding');
    expect(br.headers.get('Cache-Control')).toBe('max-age=31536000, immutable');
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(COLLECTED_CSS);
    const gzip = await client.get(CSS_URL, undefined, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('Content-Encoding')).toBe('gzip');
    expect(gzip.headers.get('Vary')).toBe('Accept-Encoding');
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(COLLECTED_CSS);
    // The copy collectstatic wrote, byte for byte: GZipMiddleware did not compress it again.
    expect(gzip.body.equals(readFileSync(join(dataDir, 'staticfiles', `${CSS_URL.slice('/static/'.length)}.gz`)))).toBe(true);
  });

  test('the plain name is still served, for a minute only; a name never collected is the 404 page', async () => {
    const plain = await client.get('/static/css/site.css');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers.get('Cache-Control')).toBe('max-age=60, public');
    const missing = await client.get('/static/css/missing.css');
    expect(missing.statusCode).toBe(404);
    expect(missing.text).toContain('<h1 id="not-found">Page not found</h1>');
    const outside = await client.get('/static/..%2F..%2Fapp.ts');
    expect(outside.statusCode).toBe(404);
  });
});

describe('sample app static files, before collectstatic', () => {
  test('with debug on, static/ itself is served under the plain names', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-static-'));
    const built = buildApp({ dataDir, secretKey: 'static-test-secret', debug: true });
    try {
      const client = new Client(built.app);
      expect((await client.get('/polls/')).text).toContain('<link rel="stylesheet" href="/static/css/site.css">');
      const css = await client.get('/static/css/site.css');
      expect(css.statusCode).toBe(200);
      expect(css.body.equals(SOURCE_CSS)).toBe(true);
    } finally {
      built.db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('`reinhardt collectstatic --app sample-app/cli-app.ts` (what npm start runs) collects into REINHARDT_SAMPLE_DATA', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-static-'));
    const saved = { ...process.env };
    process.env.REINHARDT_SAMPLE_DATA = dataDir;
    process.env.SECRET_KEY = 'static-test-secret';
    const out: string[] = [];
    const err: string[] = [];
    try {
      const code = await callCommand(['collectstatic', '--app', 'sample-app/cli-app.ts'], {
        cwd: join(SAMPLE_APP_DIR, '..'),
        stdout: { write: (text: string) => out.push(text) },
        stderr: { write: (text: string) => err.push(text) },
      });
      expect([code, err.join('')]).toEqual([0, '']);
      expect(out.join('')).toBe(`\n2 static files copied to '${join(dataDir, 'staticfiles')}', 2 post-processed.\n`);
      const manifest = JSON.parse(readFileSync(join(dataDir, 'staticfiles', 'staticfiles.json'), 'utf8')) as { paths: Record<string, string> };
      expect(manifest.paths).toEqual({ 'css/site.css': CSS_URL.slice('/static/'.length), 'img/logo.svg': LOGO_NAME });
      expect(existsSync(join(dataDir, 'staticfiles', `${LOGO_NAME}.br`))).toBe(true);
    } finally {
      process.env = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
