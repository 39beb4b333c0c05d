/**
 * Request bodies over a real keep-alive socket, the way clients send them: head and body in one
 * packet (read straight from the stream's buffer), or the body trickling in after the head (read
 * through the stream's events). Either way the handler gets the whole body and the connection
 * stays open for the next request.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { container } from 'tsyringe';
import { Controller, CsrfExempt, createApp, HttpRequest, Post } from '../../src';

/** The node:http requests the app was given, to check what became of them. */
const received: IncomingMessage[] = [];

@Controller()
class EchoController {
  @Post('/echo')
  @CsrfExempt()
  echo(request: HttpRequest) {
    received.push(request.req);
    return { data: request.data };
  }

  @Post('/form')
  @CsrfExempt()
  form(request: HttpRequest) {
    return { a: request.POST.getList('a'), b: request.POST.get('b') };
  }

  @Post('/later')
  @CsrfExempt()
  async later(request: HttpRequest) {
    await new Promise((resolve) => setImmediate(resolve));
    return { later: request.data };
  }

  @Post('/fail')
  @CsrfExempt()
  fail(request: HttpRequest) {
    throw new Error(`refused ${JSON.stringify(request.data)}`);
  }

  @Post('/upload')
  @CsrfExempt()
  upload(request: HttpRequest) {
    return { name: request.POST.get('name'), file: request.FILES.getItem('file').name };
  }
}

let server: Server;
let port: number;
const logger = new CapturingLogger();

beforeAll(async () => {
  const app = createApp({
    controllers: [EchoController],
    middleware: [],
    settings: { secretKey: 'body-socket', allowedHosts: ['*'], dataUploadMaxMemorySize: 64 },
    container: container.createChildContainer(),
    logger,
  });
  server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Reads responses off `socket` as they complete (Content-Length framed). */
class ResponseReader {
  private buffered = '';
  private waiting: (() => void) | null = null;
  closed = false;

  constructor(socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.buffered += text;
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  async next(): Promise<{ head: string; body: string }> {
    for (;;) {
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end !== -1) {
        const head = this.buffered.slice(0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1]);
        if (this.buffered.length >= end + 4 + length) {
          const body = Buffer.from(this.buffered.slice(end + 4, end + 4 + length), 'latin1').toString('utf8');
          this.buffered = this.buffered.slice(end + 4 + length);
          return { head, body };
        }
      }
      if (this.closed) throw new Error(`connection closed with ${JSON.stringify(this.buffered)} unread`);
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
  }
}

function post(path: string, type: string, body: string, extra = ''): string {
  return `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

async function open(): Promise<{ socket: Socket; reader: ResponseReader }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return { socket, reader: new ResponseReader(socket) };
}

test('bodies sent with their head, one after another on one connection', async () => {
  const { socket, reader } = await open();
  socket.write(post('/echo', 'application/json', '{"title":"Caf\u00e9","n":[1,2]}'));
  const first = await reader.next();
  socket.write(post('/form', 'application/x-www-form-urlencoded', 'a=1&a=2&b=x'));
  const second = await reader.next();
  socket.end();
  expect(first.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(first.head).not.toMatch(/\r\nconnection: close/i);
  expect(JSON.parse(first.body)).toEqual({ data: { title: 'Café', n: [1, 2] } });
  expect(second.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(second.head).not.toMatch(/\r\nconnection: close/i);
  expect(second.body).toBe('{"a":["1","2"],"b":"x"}');
  expect(reader.closed).toBe(false);
});

test('two requests with their bodies in one packet are both answered, in order', async () => {
  const { socket, reader } = await open();
  socket.write(post('/form', 'application/x-www-form-urlencoded', 'a=first&b=1') + post('/echo', 'application/json', '[2]'));
  const first = await reader.next();
  const second = await reader.next();
  socket.end();
  expect(first.body).toBe('{"a":["first"],"b":"1"}');
  expect(second.body).toBe('{"data":[2]}');
});

test('a body that arrives after its head, in pieces, is waited for', async () => {
  const { socket, reader } = await open();
  socket.write(post('/echo', 'application/json', '').replace('Content-Length: 0', 'Content-Length: 15'));
  await new Promise((resolve) => setTimeout(resolve, 30));
  socket.write('{"late":');
  await new Promise((resolve) => setTimeout(resolve, 30));
  socket.write('"body"}');
  const response = await reader.next();
  socket.write(post('/form', 'application/x-www-form-urlencoded', 'b=again'));
  const next = await reader.next();
  socket.end();
  expect(response.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(response.body).toBe('{"data":{"late":"body"}}');
  expect(next.body).toBe('{"a":[],"b":"again"}');
});

test('a chunked body sent whole is read whole', async () => {
  const { socket, reader } = await open();
  socket.write(
    'POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '4\r\na=1&\r\n7\r\na=2&b=y\r\n0\r\n\r\n',
  );
  const response = await reader.next();
  socket.end();
  expect(response.body).toBe('{"a":["1","2"],"b":"y"}');
});

test('a body over dataUploadMaxMemorySize sent with its head is a 413 and closes the connection', async () => {
  const { socket, reader } = await open();
  const big = 'a=' + 'x'.repeat(100);
  socket.write(
    'POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n' +
      `${big.length.toString(16)}\r\n${big}\r\n0\r\n\r\n`,
  );
  const response = await reader.next();
  expect(response.head).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  expect(response.head).toMatch(/\r\nconnection: close/i);
  expect(response.body).toContain('<h1>Bad Request (413)</h1>');
  await once(socket, 'close');
  expect(logger.records.map((record) => `${record.name}: ${record.msg}`)).toEqual(['reinhardt.security.RequestDataTooBig: Request body exceeded settings.dataUploadMaxMemorySize.']);
});

test('a body taken before node:http parsed the end of its message still ends its stream', async () => {
  // A request stream that never ends keeps its IncomingMessage referenced by the connection's
  // parser until the next request: memory held per idle keep-alive connection.
  received.length = 0;
  const { socket, reader } = await open();
  socket.write(post('/echo', 'application/json', '{"n":1}'));
  const response = await reader.next();
  expect(response.body).toBe('{"data":{"n":1}}');
  expect(received).toHaveLength(1);
  const req = received[0];
  if (!req.readableEnded) await once(req, 'end');
  expect(req.complete).toBe(true);
  expect(req.readableEnded).toBe(true);
  socket.end();
});

describe('the bare pipeline takes a body that came with its head on the next tick, without a promise', () => {
  let taken: boolean[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    taken = [];
    const original = HttpRequest.prototype.loadBufferedBody;
    spy = jest.spyOn(HttpRequest.prototype, 'loadBufferedBody').mockImplementation(function (this: HttpRequest) {
      const result = original.call(this);
      taken.push(result);
      return result;
    });
  });

  afterEach(() => spy.mockRestore());

  test('a body in the packet of its head is taken whole; one still arriving is waited for', async () => {
    const { socket, reader } = await open();
    socket.write(post('/echo', 'application/json', '{"n":1}'));
    const first = await reader.next();
    socket.write(post('/echo', 'application/json', '').replace('Content-Length: 0', 'Content-Length: 7'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    socket.write('{"n":2}');
    const second = await reader.next();
    socket.end();
    expect(first.body).toBe('{"data":{"n":1}}');
    expect(second.body).toBe('{"data":{"n":2}}');
    expect(taken).toEqual([true, false]);
  });

  test('a handler that returns a promise is awaited, and the connection goes on', async () => {
    const { socket, reader } = await open();
    socket.write(post('/later', 'application/json', '{"n":3}'));
    const response = await reader.next();
    socket.write(post('/form', 'application/x-www-form-urlencoded', 'b=next'));
    const next = await reader.next();
    socket.end();
    expect(response.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response.body).toBe('{"later":{"n":3}}');
    expect(next.body).toBe('{"a":[],"b":"next"}');
    expect(taken).toEqual([true, true]);
  });

  test('a handler that throws gives the 500 view, and the connection goes on', async () => {
    logger.clear();
    const { socket, reader } = await open();
    socket.write(post('/fail', 'application/json', '{"n":4}'));
    const response = await reader.next();
    socket.write(post('/form', 'application/x-www-form-urlencoded', 'b=after'));
    const next = await reader.next();
    socket.end();
    expect(response.head).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    expect(response.body).toContain('<h1>Server Error (500)</h1>');
    expect(logger.records.map((record) => `${record.name}: ${record.msg}`)).toEqual(['reinhardt.request: Internal Server Error: /fail']);
    expect(next.body).toBe('{"a":[],"b":"after"}');
    expect(taken).toEqual([true, true]);
  });

  test('bad JSON in a body taken whole is a 400', async () => {
    const { socket, reader } = await open();
    socket.write(post('/echo', 'application/json', '{"n":'));
    const response = await reader.next();
    socket.end();
    expect(response.head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(taken).toEqual([true]);
  });

  test('a multipart body is left to the streaming parser', async () => {
    const boundary = 'b0undary';
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n` +
      `--${boundary}--\r\n`;
    const { socket, reader } = await open();
    socket.write(post('/upload', `multipart/form-data; boundary=${boundary}`, body));
    const response = await reader.next();
    socket.end();
    expect(response.head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response.body).toBe('{"name":"Ada","file":"notes.txt"}');
    expect(taken).toEqual([false]);
  });
});
