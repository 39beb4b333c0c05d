/**
 * Compression is on in the sample app (issue 21 item 6, docs/compression.md): pages and JSON in
 * the coding the client prefers, with `Vary: Accept-Encoding`; static files as their
 * precompressed copies. One check goes over a real socket, as a browser fetches the site.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { rawRequest, type RawResponse } from '../helpers/raw-request';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client } from 'reinhardt';
import type { BuiltApp } from '../../sample-app/app';
import { buildCollectedApp } from './collected-app';

const CHROMIUM = 'gzip, deflate, br, zstd';

describe('sample app compression', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-compression-'));
    built = buildCollectedApp({ dataDir, secretKey: 'compression-test-secret' });
    client = new Client(built.app);
  });
  afterAll(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the poll page is Brotli for Chromium and gzip for a gzip-only client, with Vary', async () => {
    const plain = await client.get('/polls/1/');
    expect(plain.headers.get('Content-Encoding')).toBeUndefined();
    const br = await client.get('/polls/1/', undefined, { headers: { 'Accept-Encoding': CHROMIUM } });
    expect(br.statusCode).toBe(200);
    expect(br.headers.get('Content-Encoding')).toBe('br');
    expect(br.headers.get('Vary')).toBe('Cookie, Accept-Encoding');
    expect(Number(br.headers.get('Content-Length'))).toBe(br.body.length);
    const html = brotliDecompressSync(br.body).toString('utf8');
    expect(html).toContain('<form action="/polls/1/vote/" method="post" id="vote-form">');
    expect(br.body.length).toBeLessThan(Buffer.byteLength(html) / 2);
    const gzip = await client.get('/polls/1/', undefined, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzip.headers.get('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(gzip.body).toString('utf8')).toContain('<form action="/polls/1/vote/" method="post" id="vote-form">');
  });

  test('the JSON API is compressed; a redirect with no body to speak of is not', async () => {
    const api = await client.get('/api/polls/', undefined, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(api.headers.get('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(api.body).toString('utf8')).polls).toHaveLength(3);
    const redirect = await client.get('/', undefined, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.get('Content-Encoding')).toBeUndefined();
  });

  describe('over a real socket', () => {
    let server: Server;
    beforeAll(async () => {
      server = await built.app.listen(0, '127.0.0.1');
    });
    afterAll(async () => {
      await new Promise<void>((done) => server.close(() => done()));
    });

    /** One HTTP/1.1 request written by hand (test/helpers/raw-request.ts); the raw head and body bytes of the answer. */
    function fetchRaw(path: string, acceptEncoding: string): Promise<RawResponse> {
      const { port } = server.address() as AddressInfo;
      return rawRequest(port, 'GET', path, { Host: 'localhost', 'Accept-Encoding': acceptEncoding });
    }

    function header(head: string, name: string): string | undefined {
      return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
    }

    test('a page and its hashed CSS arrive compressed, with exact lengths, as Chromium asks for them', async () => {
      const page = await fetchRaw('/polls/', CHROMIUM);
      expect(page.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(header(page.head, 'Content-Encoding')).toBe('br');
      expect(header(page.head, 'Vary')).toBe('Cookie, Accept-Encoding');
      expect(Number(header(page.head, 'Content-Length'))).toBe(page.body.length);
      const html = brotliDecompressSync(page.body).toString('utf8');
      const cssUrl = /<link rel="stylesheet" href="(\/static\/css\/site\.[0-9a-f]{12}\.css)">/.exec(html)?.[1];
      expect(cssUrl).toBeDefined();

      const css = await fetchRaw(cssUrl!, 'gzip');
      expect(css.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(header(css.head, 'Content-Encoding')).toBe('gzip');
      expect(header(css.head, 'Cache-Control')).toBe('max-age=31536000, immutable');
      expect(header(css.head, 'Vary')).toBe('Accept-Encoding');
      expect(Number(header(css.head, 'Content-Length'))).toBe(css.body.length);
      expect(gunzipSync(css.body).toString('utf8')).toContain('header a.brand');
    });
  });
});
