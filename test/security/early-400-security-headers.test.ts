/**
 * Issue 19 item 6: every response of the default stack carries the security headers. A Host
 * outside `allowedHosts` and an undecodable path (`/%ZZ/`) used to be answered before
 * SecurityMiddleware could add its headers. As in Django (CommonMiddleware raises DisallowedHost
 * inside SecurityMiddleware; response_for_exception converts it there), they now go through the
 * same error view and the same middleware as any other 400. Raw sockets: a client library would
 * refuse to send `/%ZZ/` or fix up the Host.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, createApp, Get, HttpResponseBadRequest, type HttpRequest } from '../../src';
import { sendRaw, type ParsedResponse } from '../robustness/helpers';

@Controller()
class PageController {
  @Get('/page/')
  page() {
    return { ok: true };
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

const PLAIN_400 = '<!doctype html>\n<title>Bad Request (400)</title>\n<h1>Bad Request (400)</h1>\n<p>Bad Request</p>\n';
const BAD_PATH_400 =
  "<!doctype html>\n<title>Bad Request (400)</title>\n<h1>Bad Request (400)</h1>\n<p>The request path &#39;/%ZZ/&#39; has an invalid percent-escape.</p>\n";

const servers: Server[] = [];
const logger = new CapturingLogger();

interface StartOptions {
  handler400?: (request: HttpRequest, error: unknown) => HttpResponseBadRequest;
  bare?: boolean;
  secureSslRedirect?: boolean;
}

async function start(options: StartOptions = {}): Promise<number> {
  const app = createApp({
    controllers: [PageController],
    ...(options.bare ? { middleware: [] } : {}),
    settings: { secretKey: 'early-400', allowedHosts: ['testserver'], secureSslRedirect: options.secureSslRedirect ?? false },
    handler400: options.handler400,
    logger,
  });
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function get(port: number, target: string, host: string): Promise<ParsedResponse> {
  const outcome = await sendRaw(port, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  expect(outcome.responses).toHaveLength(1);
  return outcome.responses[0];
}

describe('early 400s on the default stack carry the security headers', () => {
  let port: number;
  beforeAll(async () => {
    port = await start();
  });

  test('a Host outside allowedHosts: 400, handler400 plain page, every security header, a warning logged', async () => {
    logger.clear();
    const response = await get(port, '/page/', 'evil.com');
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
    expect(response.body.toString()).toBe(PLAIN_400);
    expect(logger.records).toEqual([
      {
        level: 'error',
        name: 'reinhardt.security.DisallowedHost',
        requestId: response.headers['x-request-id'],
        status: 400,
        msg: "Invalid HTTP_HOST header: 'evil.com'. You may need to add 'evil.com' to allowedHosts.",
      },
    ]);
  });

  test('an undecodable path (/%ZZ/): 400 from handler400 with every security header', async () => {
    const response = await get(port, '/%ZZ/', 'testserver');
    expect(response.status).toBe(400);
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
    expect(response.body.toString()).toBe(BAD_PATH_400);
  });

  test('a path that is not UTF-8 (/%FF/) stays percent-encoded as in Django (issue 25 item 5): no route, a 404 with the headers', async () => {
    const response = await get(port, '/%FF/', 'testserver');
    expect(response.status).toBe(404);
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
  });

  test('a valid request is unchanged', async () => {
    const response = await get(port, '/page/', 'testserver');
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject(SECURITY_HEADERS);
    expect(JSON.parse(response.body.toString())).toEqual({ ok: true });
  });
});

test("the app's own handler400 answers both, and the middleware still adds the headers", async () => {
  const port = await start({ handler400: (request, error) => new HttpResponseBadRequest(`custom: ${(error as Error).name}`) });
  const badHost = await get(port, '/page/', 'evil.com');
  expect([badHost.status, badHost.body.toString()]).toEqual([400, 'custom: DisallowedHost']);
  expect(badHost.headers).toMatchObject(SECURITY_HEADERS);
  const badPath = await get(port, '/%ZZ/', 'testserver');
  expect([badPath.status, badPath.body.toString()]).toEqual([400, 'custom: BadRequest']);
  expect(badPath.headers).toMatchObject(SECURITY_HEADERS);
});

test('with secureSslRedirect, an undecodable path is the same 400 with the headers, not a redirect', async () => {
  const port = await start({ secureSslRedirect: true });
  const response = await get(port, '/%ZZ/', 'testserver');
  expect(response.status).toBe(400);
  expect(response.headers).toMatchObject(SECURITY_HEADERS);
  expect(response.body.toString()).toBe(BAD_PATH_400);
  const redirect = await get(port, '/page/', 'testserver');
  expect([redirect.status, redirect.headers['location']]).toEqual([301, 'https://testserver/page/']);
});

test('the bare pipeline (no middleware) still answers an undecodable path 400, without headers to add', async () => {
  const port = await start({ bare: true });
  const response = await get(port, '/%ZZ/', 'testserver');
  expect(response.status).toBe(400);
  expect(response.body.toString()).toBe(BAD_PATH_400);
  expect(response.headers['x-content-type-options']).toBeUndefined();
});
