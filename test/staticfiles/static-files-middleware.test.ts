/**
 * StaticFilesMiddleware through the test Client (issue 21 item 1; whitenoise's behaviour):
 * headers, conditional GET, Range, HEAD, 405, encoded copies, and what is never served.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client } from '../../src';
import { collectStatic } from '../../src/staticfiles/collect';
import { APP_JS, BASE_CSS, LOGO_PNG, MTIME, SITE_CSS, makeStaticProject, staticApp, type StaticProject } from './static-fixture';

let project: StaticProject;
beforeAll(() => {
  project = makeStaticProject();
});
afterAll(() => project.remove());

const ETAG_SITE_CSS = `"${MTIME.getTime().toString(16)}-${Buffer.byteLength(SITE_CSS).toString(16)}"`;

describe('StaticFilesMiddleware serving staticDirs (no staticRoot)', () => {
  let client: Client;
  beforeAll(() => {
    client = new Client(staticApp({ staticDirs: [project.staticDir] }));
  });

  test('a file: 200, its bytes, its type, validators, a short public max-age and no Content-Disposition', async () => {
    const response = await client.get('/static/css/site.css');
    expect(response.statusCode).toBe(200);
    expect(response.body.toString()).toBe(SITE_CSS);
    expect(response.headers.toObject()).toMatchObject({
      'Content-Type': 'text/css; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(SITE_CSS)),
      'Last-Modified': 'Mon, 06 May 2024 07:08:09 GMT',
      ETag: ETAG_SITE_CSS,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'max-age=60, public',
      'Access-Control-Allow-Origin': '*',
      // SecurityMiddleware, outside it, still adds its headers.
      'X-Content-Type-Options': 'nosniff',
    });
    expect(response.hasHeader('Content-Disposition')).toBe(false);
    expect(response.hasHeader('Vary')).toBe(false); // no compressed copy beside it
  });

  test('binary files and names with spaces (percent-encoded in the URL)', async () => {
    const png = await client.get('/static/img/logo.png');
    expect(png.statusCode).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.body.equals(LOGO_PNG)).toBe(true);
    const spaced = await client.get('/static/a%20b.txt');
    expect([spaced.statusCode, spaced.body.toString()]).toEqual([200, 'a space in the name']);
  });

  test('If-None-Match with the ETag, or If-Modified-Since not older: 304 with the validators and Cache-Control, no body', async () => {
    const conditions: Record<string, string>[] = [{ 'If-None-Match': ETAG_SITE_CSS }, { 'If-None-Match': `W/${ETAG_SITE_CSS}` }, { 'If-Modified-Since': 'Mon, 06 May 2024 07:08:09 GMT' }];
    for (const headers of conditions) {
      const response = await client.get('/static/css/site.css', undefined, { headers });
      expect(response.statusCode).toBe(304);
      expect(response.body.length).toBe(0);
      expect(response.headers.get('etag')).toBe(ETAG_SITE_CSS);
      expect(response.headers.get('cache-control')).toBe('max-age=60, public');
    }
    const stale = await client.get('/static/css/site.css', undefined, { headers: { 'If-Modified-Since': 'Sun, 05 May 2024 07:08:09 GMT' } });
    expect(stale.statusCode).toBe(200);
    const other = await client.get('/static/css/site.css', undefined, { headers: { 'If-None-Match': '"other"' } });
    expect(other.statusCode).toBe(200);
  });

  test('Range: 206 with Content-Range; past the end 416; If-Range with another ETag: the whole file', async () => {
    const part = await client.get('/static/css/site.css', undefined, { headers: { Range: 'bytes=0-6' } });
    expect(part.statusCode).toBe(206);
    expect(part.body.toString()).toBe('@import');
    expect(part.headers.get('content-range')).toBe(`bytes 0-6/${Buffer.byteLength(SITE_CSS)}`);
    expect(part.headers.get('content-length')).toBe('7');
    const past = await client.get('/static/css/site.css', undefined, { headers: { Range: 'bytes=9999-' } });
    expect(past.statusCode).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${Buffer.byteLength(SITE_CSS)}`);
    const changed = await client.get('/static/css/site.css', undefined, { headers: { Range: 'bytes=0-6', 'If-Range': '"old"' } });
    expect([changed.statusCode, changed.body.toString()]).toEqual([200, SITE_CSS]);
  });

  test('HEAD: the GET headers, no body', async () => {
    const response = await client.head('/static/css/base.css');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(BASE_CSS.length));
    expect(response.body.length).toBe(0);
  });

  test('another method on a file: 405 with Allow: GET, HEAD (whitenoise)', async () => {
    for (const send of [() => client.post('/static/css/site.css'), () => client.put('/static/css/site.css'), () => client.delete('/static/css/site.css')]) {
      const response = await send();
      expect(response.statusCode).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  test('a URL under staticUrl that names no file goes on to the app: its route answers, else its 404', async () => {
    const routed = await client.get('/static/generated.txt');
    expect([routed.statusCode, routed.body.toString()]).toEqual([200, 'from the app']);
    for (const path of ['/static/missing.css', '/static/css/', '/static/css', '/static/', '/static/.env', '/static/leak.json', '/static/private/key.txt']) {
      const response = await client.get(path, undefined, { headers: { Accept: 'application/json' } });
      expect([path, response.statusCode]).toEqual([path, 404]);
      expect(response.json()).toEqual({ detail: 'Not found.' });
    }
  });

  test('a link that stays inside the folder is served', async () => {
    const response = await client.get('/static/base-link.css');
    expect([response.statusCode, response.body.toString()]).toEqual([200, BASE_CSS]);
  });

  test('paths outside staticUrl are not looked at', async () => {
    const response = await client.get('/css/site.css');
    expect(response.statusCode).toBe(404);
  });
});

describe('StaticFilesMiddleware serving staticRoot after collectstatic', () => {
  let client: Client;
  let paths: ReadonlyMap<string, string>;
  beforeAll(() => {
    const settings = { staticDirs: [project.staticDir], staticRoot: project.staticRoot };
    paths = collectStatic({ ...staticApp(settings).settings }).paths;
    client = new Client(staticApp(settings));
  });

  test('a hashed name the manifest maps its plain name to: Cache-Control max-age=31536000, immutable', async () => {
    const hashed = paths.get('img/logo.png')!;
    expect(hashed).toMatch(/^img\/logo\.[0-9a-f]{12}\.png$/);
    const response = await client.get(`/static/${hashed}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=31536000, immutable');
    const plain = await client.get('/static/img/logo.png');
    expect(plain.headers.get('cache-control')).toBe('max-age=60, public');
  });

  test('a name that only looks hashed is not immutable', async () => {
    writeFileSync(join(project.staticRoot, 'fake.0123456789ab.txt'), 'not in the manifest');
    const fresh = new Client(staticApp({ staticDirs: [project.staticDir], staticRoot: project.staticRoot }));
    const response = await fresh.get('/static/fake.0123456789ab.txt');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('cache-control')).toBe('max-age=60, public');
  });

  test('Accept-Encoding picks the smallest accepted copy, with Content-Encoding and Vary; identity without it', async () => {
    const url = `/static/${paths.get('js/app.js')!}`;
    const br = await client.get(url, undefined, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toBe('Accept-Encoding');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8') // RFC 9239;
    expect(Number(br.headers.get('content-length'))).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).toString()).toBe(APP_JS);

    const gz = await client.get(url, undefined, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(APP_JS);
    expect(gz.headers.get('etag')).not.toBe(br.headers.get('etag'));

    const refused = await client.get(url, undefined, { headers: { 'Accept-Encoding': 'br;q=0, gzip;q=0' } });
    const none = await client.get(url);
    for (const response of [refused, none]) {
      expect(response.hasHeader('content-encoding')).toBe(false);
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(response.body.toString()).toBe(APP_JS);
    }
    // A Range counts bytes of the file itself, whatever the client accepts.
    const part = await client.get(url, undefined, { headers: { 'Accept-Encoding': 'br', Range: 'bytes=0-6' } });
    expect([part.statusCode, part.hasHeader('content-encoding'), part.body.toString()]).toEqual([206, false, 'console']);
  });

  test('a PNG gets no compressed copy and no Vary', async () => {
    const response = await client.get(`/static/${paths.get('img/logo.png')!}`, undefined, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(response.hasHeader('content-encoding')).toBe(false);
    expect(response.hasHeader('vary')).toBe(false);
    expect(existsSync(join(project.staticRoot, 'img/logo.png.gz'))).toBe(false);
    expect(existsSync(join(project.staticRoot, 'img/logo.png.br'))).toBe(false);
  });

  test('without debug, staticDirs are not served: only what was collected', async () => {
    writeFileSync(join(project.staticDir, 'late.css'), 'added after collectstatic');
    try {
      const prod = new Client(staticApp({ staticDirs: [project.staticDir], staticRoot: project.staticRoot }));
      expect((await prod.get('/static/late.css')).statusCode).toBe(404);
      const dev = new Client(staticApp({ debug: true, staticDirs: [project.staticDir], staticRoot: project.staticRoot }));
      const served = await dev.get('/static/late.css');
      expect([served.statusCode, served.body.toString()]).toEqual([200, 'added after collectstatic']);
    } finally {
      rmSync(join(project.staticDir, 'late.css'));
    }
  });
});
