/**
 * Issue 19 item 2: append-slash never redirects off-site (CVE-2018-14574). A request path that
 * starts with `//` and falls to a root-level `<path:…>` route gets a 301 whose Location would be
 * `//evil.com/` — a scheme-relative URL a browser follows to evil.com. Django escapes the second
 * slash (`escape_leading_slashes` in CommonMiddleware.get_full_path_with_slash), and so do we.
 * Raw sockets: an HTTP client would normalise `//evil.com` before sending it.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, createApp, escapeLeadingSlashes, Get, LoginRequired, type HttpRequest } from '../../src';
import { sendRaw } from '../robustness/helpers';

@Controller()
class CatchAllController {
  @Get('/<path:rest>/')
  page(request: HttpRequest, rest: string) {
    return { rest, path: request.path };
  }
}

@Controller('/members')
class MembersController {
  @Get('/<path:rest>/')
  @LoginRequired()
  page(_request: HttpRequest, rest: string) {
    return { rest };
  }
}

const servers: Server[] = [];
let port: number;

async function start(settings: Record<string, unknown> = {}): Promise<number> {
  const app = createApp({
    controllers: [MembersController, CatchAllController],
    settings: { secretKey: 'append-slash-redirect', allowedHosts: ['testserver'], appendSlash: true, ...settings },
    logger: new CapturingLogger(),
  });
  const server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  port = await start();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function location(target: string, on = port): Promise<{ status: number | null; location: string | undefined }> {
  const outcome = await sendRaw(on, `GET ${target} HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n`);
  return { status: outcome.status, location: outcome.responses[0]?.headers['location'] };
}

describe('append-slash redirect (CVE-2018-14574)', () => {
  test.each([
    ['//evil.com', '/%2Fevil.com/'],
    ['///evil.com', '/%2F/evil.com/'],
    ['/%2Fevil.com', '/%2Fevil.com/'],
    ['//evil.com?next=1', '/%2Fevil.com/?next=1'],
    ['/%2F%2Fevil.com', '/%2F/evil.com/'],
  ])('GET %s answers 301 to %s, a path on this site', async (target, expected) => {
    expect(await location(target)).toEqual({ status: 301, location: expected });
  });

  test('an ordinary path still gets its slash', async () => {
    expect(await location('/docs/intro?x=1')).toEqual({ status: 301, location: '/docs/intro/?x=1' });
  });

  test('the escaped Location leads back to the same route, not to another host', async () => {
    const outcome = await sendRaw(port, `GET /%2Fevil.com/ HTTP/1.1\r\nHost: testserver\r\nConnection: close\r\n\r\n`);
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.responses[0].body.toString())).toEqual({ rest: '/evil.com', path: '//evil.com/' });
  });
});

describe('the other Locations built from the request path stay on this site', () => {
  test('the HTTPS redirect keeps the host in front of the path (Django: "https://%s%s" % (host, path))', async () => {
    const secure = await start({ secureSslRedirect: true });
    expect(await location('//evil.com/', secure)).toEqual({ status: 301, location: 'https://testserver//evil.com/' });
  });

  test("@LoginRequired redirects to loginUrl; the path only rides along in ?next= (Django's redirect_to_login)", async () => {
    expect(await location('/members//evil.com/')).toEqual({ status: 302, location: '/accounts/login/?next=/members//evil.com/' });
  });
});

describe('escapeLeadingSlashes (django.utils.http.escape_leading_slashes)', () => {
  test.each([
    ['//evil.com', '/%2Fevil.com'],
    ['///evil.com/', '/%2F/evil.com/'],
    ['/ok/', '/ok/'],
    ['/', '/'],
    ['', ''],
    ['https://example.com//x', 'https://example.com//x'],
  ])('%j -> %j', (url, expected) => {
    expect(escapeLeadingSlashes(url)).toBe(expected);
  });
});
