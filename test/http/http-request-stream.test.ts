/**
 * The request as a file-like stream (issue 25 item 1): `read(size?)`, `readline(size?)`,
 * `readlines()`, `for await (const line of request)`, `readBody()`, and Django's rules between
 * reading the stream and `body` / `POST` (django/http/request.py; tests/requests_tests/tests.py).
 */
import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { RawPostDataException, RequestDataTooBig, UnreadablePostError } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { Client, Controller, Post, createApp, type Middleware } from '../../src';
import * as requestStream from '../../docs/examples/request-stream';

interface Options {
  method?: string;
  contentType?: string;
  /** The body as the chunks the stream delivers. */
  chunks: Array<string | Buffer>;
  /** Declared Content-Length (default: the chunks' total); null for chunked. */
  contentLength?: number | null;
  settings?: Partial<Settings>;
}

/** A request over a live stream that delivers `chunks` one by one, asynchronously, as a socket would. */
function streamRequest(options: Options): { request: HttpRequest; stream: Readable } {
  const chunks = options.chunks.map((chunk) => Buffer.from(chunk));
  const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  let index = 0;
  const stream = new Readable({
    read() {
      setImmediate(() => this.push(index < chunks.length ? chunks[index++] : null));
    },
  });
  const rawHeaders = ['Host', 'testserver', 'Content-Type', options.contentType ?? 'application/x-www-form-urlencoded'];
  const length = options.contentLength === undefined ? total : options.contentLength;
  if (length === null) rawHeaders.push('Transfer-Encoding', 'chunked');
  else rawHeaders.push('Content-Length', String(length));
  Object.assign(stream, { method: options.method ?? 'POST', url: '/', rawHeaders, headers: {}, socket: { remoteAddress: '127.0.0.1', encrypted: false } });
  const request = new HttpRequest(stream as unknown as IncomingMessage, resolveSettings({ secretKey: 's', ...options.settings }));
  return { request, stream };
}

const text = (buffer: Buffer): string => buffer.toString('latin1');

describe('read() and readline() over the live stream', () => {
  test('read(size) gives exactly size bytes across chunk boundaries, fewer only at the end, then empty', async () => {
    const { request } = streamRequest({ chunks: ['12', '345', '678'] });
    expect(text(await request.read(5))).toBe('12345');
    expect(text(await request.read(5))).toBe('678');
    expect(text(await request.read(5))).toBe('');
    expect(text(await request.read())).toBe('');
  });

  test('read() without a size reads everything that is left', async () => {
    const { request } = streamRequest({ chunks: ['name=', 'val', 'ue'] });
    expect(text(await request.read(2))).toBe('na');
    expect(text(await request.read())).toBe('me=value');
  });

  test('readline() reads up to and with the newline, across chunks; readline(size) stops at size (Django test_limited_stream)', async () => {
    const { request } = streamRequest({ chunks: ['1234\n56', '78\nabcd\nef', 'gh\nijkl'] });
    expect(text(await request.readline())).toBe('1234\n');
    expect(text(await request.readline(2))).toBe('56');
    expect(text(await request.readline())).toBe('78\n');
    expect(text(await request.readline(6))).toBe('abcd\n');
    expect(text(await request.readline(4))).toBe('efgh');
    expect(text(await request.readline())).toBe('\n');
    expect(text(await request.readline())).toBe('ijkl');
    expect(text(await request.readline())).toBe('');
  });

  test('readlines() and for await give the lines, the last one without a newline', async () => {
    const { request } = streamRequest({ chunks: ['a=1\nb', '=2\n', 'c=3'] });
    expect((await request.readlines()).map(text)).toEqual(['a=1\n', 'b=2\n', 'c=3']);
    const { request: iterated } = streamRequest({ chunks: ['x\ny', '\nz'] });
    const lines: string[] = [];
    for await (const line of iterated) lines.push(text(line));
    expect(lines).toEqual(['x\n', 'y\n', 'z']);
  });

  test('JSON from the stream (Django: json.load(request))', async () => {
    const { request } = streamRequest({ contentType: 'application/json', chunks: ['{"pk": 1, "fie', 'lds": {"name": "Mostly Harmless"}}'] });
    expect(JSON.parse((await request.read()).toString('utf8'))).toEqual({ pk: 1, fields: { name: 'Mostly Harmless' } });
  });

  test('a request without a body reads empty', async () => {
    const request = new HttpRequest(
      { method: 'GET', url: '/', rawHeaders: ['Host', 'testserver'], headers: {}, socket: {} } as unknown as IncomingMessage,
      resolveSettings({ secretKey: 's' }),
    );
    expect((await request.read()).length).toBe(0);
    expect((await request.readline()).length).toBe(0);
    expect(request.body.length).toBe(0);
  });
});

describe("Django's rules between the stream, body and POST", () => {
  test('reading the stream, then body: RawPostDataException; POST is then empty (test_value_after_read)', async () => {
    const { request } = streamRequest({ chunks: ['name=value'] });
    expect(text(await request.read(2))).toBe('na');
    await request.loadBody();
    expect(() => request.body).toThrow(new RawPostDataException("You cannot access body after reading from request's data stream"));
    expect(request.POST.size).toBe(0);
    expect(request.FILES.size).toBe(0);
  });

  test('the stream read only in part leaves the body incomplete: the connection is to be closed', async () => {
    const { request } = streamRequest({ chunks: ['name=', 'value'] });
    await request.read(2);
    expect(request.bodyIncomplete).toBe(true);
    await request.read();
    // Let the stream emit its end.
    await new Promise((resolve) => setImmediate(resolve));
    expect(request.bodyIncomplete).toBe(false);
  });

  test('body first, then read() reads the body in memory, from where the last read stopped (test_read_after_value)', async () => {
    const { request } = streamRequest({ chunks: ['name=', 'value'] });
    await request.loadBody();
    expect(request.POST.getItem('name')).toBe('value');
    expect(text(request.body)).toBe('name=value');
    expect(text(await request.read(4))).toBe('name');
    expect(text(await request.read())).toBe('=value');
    // Reading did not disturb POST (test_POST_after_body_read_and_stream_read).
    expect(request.POST.getItem('name')).toBe('value');
  });

  test('a multipart body streamed through the parser: POST works, body raises, read() is at the end', async () => {
    const payload = ['--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--'].join('\r\n');
    const { request } = streamRequest({ contentType: 'multipart/form-data; boundary=boundary', chunks: [payload] });
    await request.loadBody();
    expect(request.POST.getItem('name')).toBe('value');
    expect(() => request.body).toThrow(RawPostDataException);
    expect((await request.read()).length).toBe(0);
  });

  test('readBody() first keeps a multipart body: read() then POST both work (test_POST_after_body_read_and_stream_read_multipart)', async () => {
    const payload = ['--boundary', 'Content-Disposition: form-data; name="name"', '', 'value', '--boundary--'].join('\r\n');
    const { request } = streamRequest({ contentType: 'multipart/form-data; boundary=boundary', chunks: [payload.slice(0, 20), payload.slice(20)] });
    expect(text(await request.readBody())).toBe(payload);
    expect(text(await request.read(13))).toBe('--boundary\r\nC');
    await request.loadBody();
    expect(request.POST.getItem('name')).toBe('value');
    expect(text(request.body)).toBe(payload);
  });

  test('readBody() of a multipart body keeps to dataUploadMaxMemorySize, as Django reading body does', async () => {
    const payload = ['--b', 'Content-Disposition: form-data; name="f"', '', 'x'.repeat(200), '--b--'].join('\r\n');
    const { request } = streamRequest({ contentType: 'multipart/form-data; boundary=b', chunks: [payload], settings: { dataUploadMaxMemorySize: 100 } });
    await expect(request.readBody()).rejects.toThrow(RequestDataTooBig);
  });
});

describe('limits and failures', () => {
  test('reading in pieces streams a body larger than dataUploadMaxMemorySize; reading it whole at once is refused', async () => {
    const chunks = Array.from({ length: 10 }, () => 'x'.repeat(50));
    const { request } = streamRequest({ chunks, settings: { dataUploadMaxMemorySize: 120 } });
    let total = 0;
    for (let piece = await request.read(100); piece.length > 0; piece = await request.read(100)) total += piece.length;
    expect(total).toBe(500);
    const { request: whole } = streamRequest({ chunks, settings: { dataUploadMaxMemorySize: 120 } });
    await expect(whole.read()).rejects.toThrow(new RequestDataTooBig('Request body exceeded settings.dataUploadMaxMemorySize.'));
  });

  test('maxUploadSize bounds what is read off the stream, declared or not', async () => {
    const { request: declared } = streamRequest({ chunks: ['x'.repeat(300)], settings: { maxUploadSize: 100 } });
    await expect(declared.read(10)).rejects.toThrow(new RequestDataTooBig('Request body exceeded settings.maxUploadSize.'));
    const { request: chunked } = streamRequest({ chunks: ['x'.repeat(60), 'x'.repeat(60)], contentLength: null, settings: { maxUploadSize: 100 } });
    expect((await chunked.read(50)).length).toBe(50);
    await expect(chunked.read(100)).rejects.toThrow(new RequestDataTooBig('Request body exceeded settings.maxUploadSize.'));
  });

  test('a client that goes away mid-body: UnreadablePostError, a 400 (Django test_POST_connection_error)', async () => {
    const { request, stream } = streamRequest({ chunks: ['name=', 'value'], contentLength: 100 });
    expect(text(await request.read(3))).toBe('nam');
    stream.destroy(new Error('ECONNRESET'));
    const error = await request.read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnreadablePostError);
    expect((error as Error).message).toBe('Request body was incomplete');
    expect(((error as Error).cause as Error).message).toBe('ECONNRESET');
  });

  test('a stream that ends short of its Content-Length is incomplete too', async () => {
    const { request } = streamRequest({ chunks: ['name=value'], contentLength: 20 });
    await expect(request.read()).rejects.toThrow(UnreadablePostError);
  });
});

describe('through the app', () => {
  @Controller()
  class EchoController {
    @Post('/post/')
    post(request: HttpRequest) {
      return { post: request.POST.dict() };
    }

    @Post('/lines/')
    async lines(request: HttpRequest) {
      const lines: string[] = [];
      for await (const line of request) lines.push(line.toString('utf8'));
      return { lines };
    }
  }

  /** A middleware that reads the stream before the pipeline loads the body. */
  const peek: Middleware = async (request, next) => {
    if (request.headers.get('x-peek')) await request.read(4);
    return next(request);
  };

  test('a handler reads the body line by line (from memory, the pipeline loaded it)', async () => {
    const client = new Client(createApp({ controllers: [EchoController], middleware: [], settings: { secretKey: 's' } }));
    const response = await client.post('/lines/', 'a=1\nb=2\nc', { contentType: 'text/plain' });
    expect(response.json()).toEqual({ lines: ['a=1\n', 'b=2\n', 'c'] });
  });

  test('after a middleware read the stream, the handler finds POST empty, as Django', async () => {
    const client = new Client(createApp({ controllers: [EchoController], middleware: [peek], settings: { secretKey: 's' } }));
    const plain = await client.post('/post/', { name: 'value' });
    expect(plain.json()).toEqual({ post: { name: 'value' } });
    const peeked = await client.post('/post/', { name: 'value' }, { headers: { 'X-Peek': '1' } });
    expect(peeked.statusCode).toBe(200);
    expect(peeked.json()).toEqual({ post: {} });
  });
});

describe('the guide’s example (docs/requests.md, docs/examples/request-stream.ts)', () => {
  test('POST /import/ reads the CSV line by line; the middleware kept the bytes with readBody()', async () => {
    const response = await new Client(requestStream.buildApp()).post('/import/', 'a,b\nc,d', { contentType: 'text/csv' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ rows: [['a', 'b'], ['c', 'd']] });
  });
});
