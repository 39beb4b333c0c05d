import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, HttpResponse, Post, createApp } from '../../src';

/** Called when /slow/ starts handling a request (replaced by the test that waits for it). */
let slowEntered: () => void = () => undefined;

@Controller()
class SocketController {
  @Get('/hello/')
  hello() {
    return { hello: 'world' };
  }

  @Get('/cookies/')
  cookies() {
    const response = new HttpResponse('with cookies');
    response.setCookie('a', '1');
    response.setCookie('b', 'two words', { httpOnly: true, sameSite: 'lax' });
    return response;
  }

  @Get('/stream/')
  stream() {
    return Readable.from(['one,', 'two,', 'three']);
  }

  @Post('/echo/')
  echo(request: HttpRequest) {
    return { got: request.data };
  }

  @Get('/slow/')
  async slow() {
    slowEntered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return 'done';
  }
}

function makeApp() {
  return createApp({ controllers: [SocketController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's' } });
}

describe('through a real socket', () => {
  let server: Server;
  let base: string;
  const app = makeApp();

  beforeAll(async () => {
    server = await app.listen(0, '127.0.0.1', { handleSignals: false });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  test('JSON with Content-Length', async () => {
    const response = await fetch(`${base}/hello/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe('17');
    expect(await response.text()).toBe('{"hello":"world"}');
  });

  test('several Set-Cookie headers', async () => {
    const response = await fetch(`${base}/cookies/`);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=two%20words; Path=/; HttpOnly; SameSite=lax']);
  });

  test('a streamed body', async () => {
    const response = await fetch(`${base}/stream/`);
    expect(await response.text()).toBe('one,two,three');
  });

  test('a JSON body', async () => {
    const response = await fetch(`${base}/echo/`, { method: 'POST', body: '{"x":[1,2]}', headers: { 'Content-Type': 'application/json' } });
    expect(await response.json()).toEqual({ got: { x: [1, 2] } });
  });

  test('405 and 404', async () => {
    const notAllowed = await fetch(`${base}/hello/`, { method: 'DELETE' });
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect((await fetch(`${base}/missing/`)).status).toBe(404);
  });

  test('app.handle is a plain listener for http.createServer', async () => {
    const plain = createServer(makeApp().handle);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/hello/`);
      expect(await response.json()).toEqual({ hello: 'world' });
    } finally {
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  test('close() lets an in-flight request finish and refuses new connections', async () => {
    const other = makeApp();
    const srv = await other.listen(0, '127.0.0.1', { handleSignals: false });
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    const entered = new Promise<void>((resolve) => (slowEntered = resolve));
    const inFlight = fetch(`${url}/slow/`);
    // close() once the request is being handled, however long the connection took.
    await entered;
    const closing = other.close();
    expect(await (await inFlight).text()).toBe('done');
    await closing;
    await expect(fetch(`${url}/hello/`)).rejects.toThrow();
  });
});
