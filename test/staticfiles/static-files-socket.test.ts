/**
 * StaticFilesMiddleware over a real socket (issue 21: "static Range/304 and traversal attempts
 * over a real socket"): request targets are written byte for byte, so nothing between the test
 * and the server normalises `..`, `%2e%2e`, `%2F`, `%5C` or `%00` first.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rawRequest, type RawResponse } from '../helpers/raw-request';
import { MTIME, SITE_CSS, makeStaticProject, staticApp, type StaticProject } from './static-fixture';

let project: StaticProject;
let server: Server;
let port: number;

beforeAll(async () => {
  project = makeStaticProject();
  server = await staticApp({ staticDirs: [project.staticDir] }).listen(0, '127.0.0.1', { handleSignals: false });
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  project.remove();
});

/** One request written by hand (test/helpers/raw-request.ts), read until the server closes. */
function send(target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return rawRequest(port, method, target, { Host: '127.0.0.1', ...headers });
}

describe('static files over a socket', () => {
  test('GET: 200 with the file', async () => {
    const response = await send('/static/css/site.css');
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe(SITE_CSS);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(SITE_CSS)));
  });

  test('If-None-Match with the ETag: 304, no body', async () => {
    const etag = (await send('/static/css/site.css')).headers.etag;
    expect(etag).toBe(`"${MTIME.getTime().toString(16)}-${Buffer.byteLength(SITE_CSS).toString(16)}"`);
    const response = await send('/static/css/site.css', { 'If-None-Match': etag });
    expect(response.status).toBe(304);
    expect(response.body.length).toBe(0);
    expect(response.headers.etag).toBe(etag);
  });

  test('If-Modified-Since equal to Last-Modified: 304', async () => {
    const response = await send('/static/css/site.css', { 'If-Modified-Since': MTIME.toUTCString() });
    expect(response.status).toBe(304);
  });

  test('Range: 206 with exactly those bytes; a suffix range; an unsatisfiable one 416', async () => {
    const middle = await send('/static/css/site.css', { Range: 'bytes=8-17' });
    expect(middle.status).toBe(206);
    expect(middle.headers['content-range']).toBe(`bytes 8-17/${Buffer.byteLength(SITE_CSS)}`);
    expect(middle.body.toString()).toBe(SITE_CSS.slice(8, 18));
    const suffix = await send('/static/css/site.css', { Range: 'bytes=-5' });
    expect([suffix.status, suffix.body.toString()]).toEqual([206, SITE_CSS.slice(-5)]);
    const past = await send('/static/css/site.css', { Range: 'bytes=100000-' });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe(`bytes */${Buffer.byteLength(SITE_CSS)}`);
  });

  test('HEAD: headers and no body', async () => {
    const response = await send('/static/css/site.css', {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(SITE_CSS)));
    expect(response.body.length).toBe(0);
  });

  // Each names package.json (or private/key.txt) beside the static folder, or a file inside it
  // spelt so a naive join would read something else; none may be served.
  test.each([
    '/static/../package.json',
    '/static/css/../../package.json',
    '/static/%2e%2e/package.json',
    '/static/%2E%2E/package.json',
    '/static/..%2Fpackage.json',
    '/static/..%2fpackage.json',
    '/static/..%5Cpackage.json',
    '/static/css%2F..%2F..%2Fpackage.json',
    '/static/css/..%5C..%5Cpackage.json',
    '/static/a%00.css',
    '/static/css/site.css%00',
    '/static/css/site.css%00.png',
    '/static/leak.json',
    '/static/private/key.txt',
    '/static/.env',
    '/static//css/site.css',
    '/static/./css/site.css',
    '/static/css\\site.css',
  ])('%s: 404, never the file', async (target) => {
    const response = await send(target, { Accept: 'application/json' });
    expect(response.status).toBe(404);
    expect(response.body.toString()).not.toContain('must never be served');
    expect(response.body.toString()).not.toContain('dot-files-are-never-static');
  });

  test('an undecodable escape: 400, never a 500', async () => {
    const response = await send('/static/%ZZ.css');
    expect(response.status).toBe(400);
  });
});
