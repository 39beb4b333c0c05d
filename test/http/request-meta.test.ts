/**
 * request.META (Django's WSGI environ, PEP 3333) and request.headers (Django's HttpHeaders),
 * from a hand-made IncomingMessage and from a real node:http server.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { resolveSettings } from '../../src/core/settings';
import { KeyError } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { HttpHeaders, toMetaName } from '../../src/http/request-headers';

function makeRequest(method: string, url: string, rawHeaders: string[], socket: object = {}): HttpRequest {
  const req = Object.assign(Readable.from([]), {
    method,
    url,
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '203.0.113.7', remotePort: 51234, localPort: 8000, encrypted: false, ...socket },
  });
  return new HttpRequest(req as unknown as IncomingMessage, resolveSettings({ secretKey: 's' }));
}

describe('META', () => {
  test('holds the server variables and HTTP_<NAME> for every header', () => {
    const request = makeRequest('post', '/caf%C3%A9/x?a=1&b=2', [
      'Host', 'example.com:8000',
      'Content-Type', 'application/json',
      'Content-Length', '2',
      'User-Agent', 'jest',
      'X-Bender', 'shiny',
      'accept-language', 'fr',
    ]);
    expect(request.META).toEqual({
      QUERY_STRING: 'a=1&b=2',
      REMOTE_ADDR: '203.0.113.7',
      REMOTE_PORT: '51234',
      REQUEST_METHOD: 'POST',
      SCRIPT_NAME: '',
      PATH_INFO: '/café/x',
      HTTP_HOST: 'example.com:8000',
      CONTENT_TYPE: 'application/json',
      CONTENT_LENGTH: '2',
      HTTP_USER_AGENT: 'jest',
      HTTP_X_BENDER: 'shiny',
      HTTP_ACCEPT_LANGUAGE: 'fr',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '8000',
    });
  });

  test('CONTENT_TYPE, CONTENT_LENGTH and QUERY_STRING are "" when absent', () => {
    const meta = makeRequest('GET', '/', ['Host', 'example.com']).META;
    expect(meta.CONTENT_TYPE).toBe('');
    expect(meta.CONTENT_LENGTH).toBe('');
    expect(meta.QUERY_STRING).toBe('');
    expect(meta.HTTP_CONTENT_TYPE).toBeUndefined();
  });

  test('a header whose name contains "_" is dropped, so it cannot impersonate another', () => {
    const meta = makeRequest('GET', '/', ['Host', 'example.com', 'X_Forwarded_Proto', 'https', 'X-Real_IP', '1.2.3.4']).META;
    expect(meta.HTTP_X_FORWARDED_PROTO).toBeUndefined();
    expect(meta.HTTP_X_REAL_IP).toBeUndefined();
    expect(Object.keys(meta).filter((k) => k.startsWith('HTTP_'))).toEqual(['HTTP_HOST']);
  });

  test('repeated headers are joined with "," in the order sent, whatever their case', () => {
    const meta = makeRequest('GET', '/', ['X-Multi', 'a', 'x-multi', 'b', 'X-MULTI', 'c, d', 'Accept', 'text/html', 'accept', '*/*']).META;
    expect(meta.HTTP_X_MULTI).toBe('a,b,c, d');
    expect(meta.HTTP_ACCEPT).toBe('text/html,*/*');
  });

  test('SERVER_NAME / SERVER_PORT: from Host (default port by scheme), else the socket', () => {
    expect(makeRequest('GET', '/', ['Host', 'example.com']).META.SERVER_PORT).toBe('80');
    expect(makeRequest('GET', '/', ['Host', 'example.com'], { encrypted: true }).META.SERVER_PORT).toBe('443');
    const ipv6 = makeRequest('GET', '/', ['Host', '[::1]:9000']).META;
    expect([ipv6.SERVER_NAME, ipv6.SERVER_PORT]).toEqual(['[::1]', '9000']);
    const none = makeRequest('GET', '/', []).META;
    expect([none.SERVER_NAME, none.SERVER_PORT]).toEqual(['localhost', '8000']);
  });

  test('REMOTE_PORT is absent when the socket has no port; REMOTE_ADDR is "" without an address', () => {
    const meta = makeRequest('GET', '/', [], { remoteAddress: undefined, remotePort: undefined }).META;
    expect(meta.REMOTE_ADDR).toBe('');
    expect('REMOTE_PORT' in meta).toBe(false);
  });

  test('an undecodable path shows as sent in PATH_INFO (META never throws)', () => {
    expect(makeRequest('GET', '/%E9', []).META.PATH_INFO).toBe('/%E9');
  });

  test('is built once: the same object on every access', () => {
    const request = makeRequest('GET', '/', ['Host', 'example.com']);
    expect(request.META).toBe(request.META);
  });

  test('toMetaName', () => {
    expect(toMetaName('X-Forwarded-For')).toBe('HTTP_X_FORWARDED_FOR');
    expect(toMetaName('content-type')).toBe('CONTENT_TYPE');
    expect(toMetaName('Content-Length')).toBe('CONTENT_LENGTH');
    expect(toMetaName('x_y')).toBeNull();
  });
});

describe('headers (HttpHeaders)', () => {
  const request = makeRequest('GET', '/', [
    'Host', 'example.com',
    'Content-Type', 'text/plain',
    'X-Requested-With', 'XMLHttpRequest',
    'user-agent', 'jest',
    'www-authenticate', 'Basic',
  ]);

  test('get is case-insensitive and accepts "_" for "-"', () => {
    expect(request.headers.get('content-type')).toBe('text/plain');
    expect(request.headers.get('CONTENT-TYPE')).toBe('text/plain');
    expect(request.headers.get('User-Agent')).toBe('jest');
    expect(request.headers.get('user_agent')).toBe('jest');
    expect(request.headers.get('X-Missing')).toBeUndefined();
    expect(request.headers.get('X-Missing', 'fallback')).toBe('fallback');
  });

  test('has / getItem', () => {
    expect(request.headers.has('x-requested-with')).toBe(true);
    expect(request.headers.has('Cookie')).toBe(false);
    expect(request.headers.getItem('HOST')).toBe('example.com');
    expect(() => request.headers.getItem('Cookie')).toThrow(new KeyError('Cookie'));
  });

  test('iterates title-cased names in META order (Python str.title)', () => {
    expect([...request.headers]).toEqual([
      ['Host', 'example.com'],
      ['Content-Type', 'text/plain'],
      ['X-Requested-With', 'XMLHttpRequest'],
      ['User-Agent', 'jest'],
      ['Www-Authenticate', 'Basic'],
    ]);
    expect([...request.headers.keys()]).toEqual(['Host', 'Content-Type', 'X-Requested-With', 'User-Agent', 'Www-Authenticate']);
    expect(request.headers.size).toBe(5);
    expect(request.headers.toJSON()['X-Requested-With']).toBe('XMLHttpRequest');
    expect(request.headers).toBe(request.headers);
  });

  test('Content-Type and Content-Length are not listed when not sent', () => {
    const headers = makeRequest('GET', '/', ['Host', 'x']).headers;
    expect(headers.has('content-type')).toBe(false);
    expect(headers.has('content-length')).toBe(false);
    expect([...headers.keys()]).toEqual(['Host']);
  });

  test('built from a META dict, as Django', () => {
    const headers = new HttpHeaders({ HTTP_X_A: '1', CONTENT_TYPE: 'text/html', SERVER_NAME: 'x', REMOTE_ADDR: 'y' });
    expect([...headers]).toEqual([['X-A', '1'], ['Content-Type', 'text/html']]);
    expect(HttpHeaders.parseHeaderName('HTTP_X_1ABC')).toBe('X-1Abc');
    expect(HttpHeaders.parseHeaderName('SERVER_NAME')).toBeNull();
  });

  test('isAjax reads X-Requested-With', () => {
    expect(request.isAjax()).toBe(true);
    expect(makeRequest('GET', '/', []).isAjax()).toBe(false);
  });
});

describe('from a real node:http server', () => {
  let server: Server;
  let port: number;
  let seen: (request: HttpRequest) => unknown;
  let result: unknown;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const request = new HttpRequest(req, resolveSettings({ secretKey: 's', allowedHosts: ['127.0.0.1', 'example.com'] }));
      try {
        result = seen(request);
      } catch (error) {
        result = error;
      }
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('META from a fetch request', async () => {
    seen = (request) => ({ ...request.META });
    await (await fetch(`http://127.0.0.1:${port}/a%20b/?x=1`, { headers: { 'X-Custom': 'v', Cookie: 'a=1' } })).text();
    const meta = result as Record<string, string>;
    expect(meta.REQUEST_METHOD).toBe('GET');
    expect(meta.PATH_INFO).toBe('/a b/');
    expect(meta.QUERY_STRING).toBe('x=1');
    expect(meta.REMOTE_ADDR).toBe('127.0.0.1');
    expect(Number(meta.REMOTE_PORT)).toBeGreaterThan(0);
    expect(meta.HTTP_HOST).toBe(`127.0.0.1:${port}`);
    expect(meta.SERVER_NAME).toBe('127.0.0.1');
    expect(meta.SERVER_PORT).toBe(String(port));
    expect(meta.HTTP_X_CUSTOM).toBe('v');
    expect(meta.HTTP_COOKIE).toBe('a=1');
  });

  test('raw repeated headers are seen and joined (rawHeaders, not the merged req.headers)', async () => {
    seen = (request) => [request.META.HTTP_USER_AGENT, request.META.HTTP_X_DUP, request.META.HTTP_X_UNDER, request.getHost()];
    const raw =
      'GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: one\r\nUser-Agent: two\r\nX-Dup: 1\r\nx-dup: 2\r\n' +
      'X_Under: no\r\nConnection: close\r\n\r\n';
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(raw));
      socket.on('data', () => undefined);
      socket.on('end', resolve);
      socket.on('error', reject);
    });
    // node keeps only the first User-Agent in req.headers; META has both, as a WSGI server would.
    expect(result).toEqual(['one,two', '1,2', undefined, 'example.com']);
  });
});
