/**
 * loadBody(): buffered reading within dataUploadMaxMemorySize / maxUploadSize (SPEC §6,
 * Django's HttpRequest.body check), truncated and aborted bodies, multipart hand-off, and the
 * GET+POST field limit.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { resolveSettings, type Settings } from '../../src/core/settings';
import { BadRequest, RawPostDataException, RequestDataTooBig, TooManyFieldsSent } from '../../src/http/errors';
import { HttpRequest } from '../../src/http/http-request';
import { readBody, takeBuffered } from '../../src/http/request-body';
import type { TemporaryUploadedFile } from '../../src/http/uploaded-file';

interface Options {
  method?: string;
  url?: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string | Readable;
  settings?: Partial<Settings>;
}

function makeRequest(options: Options = {}): { request: HttpRequest; stream: Readable } {
  const body = options.body;
  const stream = body instanceof Readable ? body : Readable.from(body === undefined ? [] : [Buffer.from(body)]);
  const rawHeaders = (options.headers ?? []).flat();
  if (body !== undefined && !(body instanceof Readable) && !rawHeaders.some((h) => /^(content-length|transfer-encoding)$/i.test(h))) {
    rawHeaders.push('Content-Length', String(Buffer.byteLength(body)));
  }
  Object.assign(stream, {
    method: options.method ?? 'POST',
    url: options.url ?? '/',
    rawHeaders,
    headers: {},
    socket: { remoteAddress: '127.0.0.1', remotePort: 50000, localPort: 80, encrypted: false },
  });
  const settings = resolveSettings({ secretKey: 's', ...options.settings });
  return { request: new HttpRequest(stream as unknown as IncomingMessage, settings), stream };
}

/** A stream that pushes `size`-byte chunks for as long as it is read, counting them. */
function endless(size: number): Readable & { pushed: number } {
  const stream = new Readable({
    highWaterMark: size,
    read() {
      stream.pushed++;
      this.push(Buffer.alloc(size, 0x61));
    },
  }) as Readable & { pushed: number };
  stream.pushed = 0;
  return stream;
}

const TOO_BIG = new RequestDataTooBig('Request body exceeded settings.dataUploadMaxMemorySize.');
const UPLOAD_TOO_BIG = new RequestDataTooBig('Request body exceeded settings.maxUploadSize.');
const INCOMPLETE = new BadRequest('Request body was incomplete');

describe('requests without a body', () => {
  test('a GET without Content-Length or Transfer-Encoding reads nothing and resolves at once', async () => {
    const { request, stream } = makeRequest({ method: 'GET' });
    const first = request.loadBody();
    expect(request.loadBody()).toBe(first);
    await first;
    expect(stream.readableFlowing).toBeNull();
    expect(request.body).toEqual(Buffer.alloc(0));
    expect(request.bodyIncomplete).toBe(false);
  });

  test('Content-Length: 0 is no body, for any method', async () => {
    const { request } = makeRequest({ method: 'POST', headers: [['Content-Length', '0']] });
    await request.loadBody();
    expect(request.body.length).toBe(0);
  });

  test('body, POST and data of a request without a body work without loadBody()', () => {
    const { request } = makeRequest({ method: 'GET', headers: [['Content-Type', 'application/x-www-form-urlencoded']] });
    expect(request.body.length).toBe(0);
    expect(request.POST.size).toBe(0);
    expect(request.data).toBe(request.POST);
  });
});

describe('buffered bodies and dataUploadMaxMemorySize', () => {
  test('the body is read whole, once; loadBody() is idempotent', async () => {
    const { request } = makeRequest({ body: 'hello world', headers: [['Content-Type', 'text/plain']] });
    const first = request.loadBody();
    expect(request.loadBody()).toBe(first);
    await first;
    expect(request.body.toString()).toBe('hello world');
    expect(request.rawPostData).toBe(request.body);
    expect(request.bodyIncomplete).toBe(false);
  });

  test('a body exactly at the limit passes', async () => {
    const { request } = makeRequest({ body: 'x'.repeat(10), settings: { dataUploadMaxMemorySize: 10 } });
    await request.loadBody();
    expect(request.body.length).toBe(10);
  });

  test('a declared Content-Length one byte over is refused at once, without reading', async () => {
    const stream = endless(4);
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '11']], settings: { dataUploadMaxMemorySize: 10 } });
    await expect(request.loadBody()).rejects.toThrow(TOO_BIG);
    expect(stream.pushed).toBe(0);
    expect(stream.readableFlowing).toBeNull();
    expect(request.bodyIncomplete).toBe(true);
    const error = await request.loadBody().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestDataTooBig);
    expect((error as RequestDataTooBig).statusCode).toBe(413);
  });

  test('a chunked body is cut off as soon as it passes the limit, and reading stops', async () => {
    const stream = endless(4);
    const { request } = makeRequest({ body: stream, headers: [['Transfer-Encoding', 'chunked']], settings: { dataUploadMaxMemorySize: 10 } });
    await expect(request.loadBody()).rejects.toThrow(TOO_BIG);
    const pushed = stream.pushed;
    expect(pushed).toBeLessThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.pushed).toBe(pushed);
    expect(stream.isPaused()).toBe(true);
    expect(request.bodyIncomplete).toBe(true);
  });

  test('a body longer than its (small) Content-Length is still counted', async () => {
    const stream = Readable.from([Buffer.alloc(6), Buffer.alloc(6)]);
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '5']], settings: { dataUploadMaxMemorySize: 10 } });
    await expect(request.loadBody()).rejects.toThrow(TOO_BIG);
  });

  test('maxUploadSize limits the whole body, declared or counted', async () => {
    const settings = { dataUploadMaxMemorySize: null, maxUploadSize: 10 };
    const exact = makeRequest({ body: 'x'.repeat(10), settings }).request;
    await exact.loadBody();
    expect(exact.body.length).toBe(10);
    await expect(makeRequest({ body: 'x'.repeat(11), settings }).request.loadBody()).rejects.toThrow(UPLOAD_TOO_BIG);
    const chunked = makeRequest({ body: endless(4), headers: [['Transfer-Encoding', 'chunked']], settings }).request;
    await expect(chunked.loadBody()).rejects.toThrow(UPLOAD_TOO_BIG);
  });

  test('null limits read any size', async () => {
    const { request } = makeRequest({ body: 'x'.repeat(100_000), settings: { dataUploadMaxMemorySize: null, maxUploadSize: null } });
    await request.loadBody();
    expect(request.body.length).toBe(100_000);
  });

  test('a body read in several chunks is joined', async () => {
    const stream = Readable.from([Buffer.from('ab'), Buffer.from('cd'), Buffer.from('e')]);
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '5']] });
    await request.loadBody();
    expect(request.body.toString()).toBe('abcde');
  });

  test('a body already buffered whole is taken before its stream ends, and counts as read', async () => {
    // What node:http does with a body that came with its head: the bytes are in the stream's
    // buffer at the first await, the end of the message is parsed later.
    const stream = new Readable({ read() {} });
    stream.push(Buffer.from('a=1&'));
    stream.push(Buffer.from('b=2'));
    const { request } = makeRequest({
      body: stream,
      headers: [['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', '7']],
    });
    await request.loadBody();
    expect(request.body.toString()).toBe('a=1&b=2');
    expect(request.POST.dict()).toEqual({ a: '1', b: '2' });
    expect(stream.readableEnded).toBe(false);
    expect(request.bodyIncomplete).toBe(false);
    stream.push(null);
  });

  test('a stream destroyed before the body was read is a 400 carrying the cause', async () => {
    const stream = new Readable({ read() {} });
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '5']] });
    stream.destroy(new Error('socket hang up'));
    const error = (await request.loadBody().catch((e: unknown) => e)) as BadRequest & { cause?: Error };
    expect(error).toEqual(INCOMPLETE);
    expect(error.cause?.message).toBe('socket hang up');
    expect(request.bodyIncomplete).toBe(true);
  });

  test('a stream paused beforehand, with Uint8Array chunks, is still read', async () => {
    const stream = Readable.from([new Uint8Array([0x68, 0x69]), 'there']);
    stream.pause();
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '7']] });
    await request.loadBody();
    expect(request.body.toString()).toBe('hithere');
  });

  test('an invalid Content-Length is a 400', async () => {
    const { request } = makeRequest({ body: Readable.from([]), headers: [['Content-Length', 'abc']] });
    await expect(request.loadBody()).rejects.toThrow(new BadRequest('Invalid Content-Length header: "abc".'));
  });
});

describe('takeBuffered: a body already whole in the stream\'s buffer', () => {
  const settings = resolveSettings({ secretKey: 's', dataUploadMaxMemorySize: 10 });
  function bufferedStream(chunks: string[], headers: string[]): IncomingMessage {
    const stream = new Readable({ read() {} });
    for (const chunk of chunks) stream.push(Buffer.from(chunk));
    return Object.assign(stream, { rawHeaders: headers }) as unknown as IncomingMessage;
  }

  test('takes all of it at once, and leaves the stream flowing so that it still ends', async () => {
    const req = bufferedStream(['a=1&', 'b=2'], ['Content-Length', '7']);
    expect(takeBuffered(req, settings)?.toString()).toBe('a=1&b=2');
    expect(req.readableFlowing).toBe(true);
    req.push(null);
    await once(req, 'end');
  });

  test('leaves a body short of its Content-Length untouched, for loadBody to wait for', () => {
    const req = bufferedStream(['a=1'], ['Content-Length', '7']);
    expect(takeBuffered(req, settings)).toBeNull();
    expect(req.readableLength).toBe(3);
    expect(req.readableFlowing).toBeNull();
  });

  test('leaves what loadBody refuses to it: a declared length over the limit, an invalid one, a body over the limit', () => {
    expect(takeBuffered(bufferedStream(['0123456789ab'], ['Content-Length', '12']), settings)).toBeNull();
    expect(takeBuffered(bufferedStream(['abc'], ['Content-Length', 'x3']), settings)).toBeNull();
    const chunked = Object.assign(bufferedStream(['0123456789ab'], ['Transfer-Encoding', 'chunked']), { complete: true });
    expect(takeBuffered(chunked, settings)).toBeNull();
    expect(chunked.readableLength).toBe(12);
  });

  test('takes a complete chunked body', () => {
    const req = Object.assign(bufferedStream(['abc', 'de'], ['Transfer-Encoding', 'chunked']), { complete: true });
    expect(takeBuffered(req, settings)?.toString()).toBe('abcde');
  });
});

describe('incomplete bodies', () => {
  test('a stream that ends short of its Content-Length is a 400', async () => {
    const { request } = makeRequest({ body: Readable.from([Buffer.from('abc')]), headers: [['Content-Length', '10']] });
    await expect(request.loadBody()).rejects.toThrow(INCOMPLETE);
    // The failure is kept: reading the body later throws it again.
    expect(() => request.body).toThrow(INCOMPLETE);
  });

  test('a stream error is a 400 carrying the cause', async () => {
    const stream = new Readable({ read() {} });
    const { request } = makeRequest({ body: stream, headers: [['Content-Length', '10']] });
    const loading = request.loadBody();
    stream.push('abc');
    stream.destroy(new Error('socket hang up'));
    const error = (await loading.catch((e: unknown) => e)) as BadRequest & { cause?: Error };
    expect(error).toEqual(INCOMPLETE);
    expect(error.cause?.message).toBe('socket hang up');
  });

  test('a stream closed before its end is a 400, never a hang', async () => {
    const stream = new Readable({ read() {} });
    const { request } = makeRequest({ body: stream, headers: [['Transfer-Encoding', 'chunked']] });
    const loading = request.loadBody();
    stream.push('abc');
    stream.destroy();
    await expect(loading).rejects.toThrow(INCOMPLETE);
  });

  test('an already consumed stream cannot give its body again', async () => {
    const consumed = Readable.from([Buffer.from('abc')]);
    consumed.resume();
    await once(consumed, 'end');
    const limits = { maxMemorySize: null, maxUploadSize: null };
    await expect(readBody(consumed, 3, limits)).rejects.toThrow(INCOMPLETE);
    await expect(readBody(consumed, 0, limits)).resolves.toEqual(Buffer.alloc(0));
  });

  test('a client that disconnects mid-body (real server): 400, bodyIncomplete', async () => {
    let outcome: Promise<[unknown, boolean]> | null = null;
    const server: Server = createServer((req) => {
      const request = new HttpRequest(req, resolveSettings({ secretKey: 's' }));
      outcome = request.loadBody().then(
        () => [null, request.bodyIncomplete],
        (error: unknown) => [error, request.bodyIncomplete],
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a part');
      setTimeout(() => socket.destroy(), 50);
    });
    while (outcome === null) await new Promise((resolve) => setTimeout(resolve, 10));
    const [error, incomplete] = await (outcome as Promise<[unknown, boolean]>);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(error).toEqual(INCOMPLETE);
    expect(incomplete).toBe(true);
  });
});

describe('reading before loadBody()', () => {
  test.each(['body', 'POST', 'FILES', 'data'] as const)('request.%s throws an error saying to await loadBody()', (attribute) => {
    const { request } = makeRequest({ body: 'a=1', headers: [['Content-Type', 'application/x-www-form-urlencoded']] });
    expect(() => request[attribute]).toThrow(
      `request.${attribute} was read before the request body was loaded: await request.loadBody() first.`,
    );
  });

  test('json() too, while the body is loading', () => {
    const { request } = makeRequest({ body: '{}', headers: [['Content-Type', 'application/json']] });
    void request.loadBody();
    expect(() => request.json()).toThrow('await request.loadBody() first');
  });
});

describe('GET and POST share dataUploadMaxNumberFields', () => {
  const form = (url: string, body: string) =>
    makeRequest({ url, body, headers: [['Content-Type', 'application/x-www-form-urlencoded']], settings: { dataUploadMaxNumberFields: 3 } }).request;
  const MESSAGE = 'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.';

  test('exactly at the limit, counted over GET and POST, passes', async () => {
    const request = form('/?a=1&b=2', 'c=3');
    await request.loadBody();
    expect(request.GET.size + request.POST.size).toBe(3);
  });

  test('one field over, counted over GET and POST, is TooManyFieldsSent', async () => {
    const request = form('/?a=1&b=2', 'c=3&d=4');
    await request.loadBody();
    expect(request.GET.size).toBe(2);
    expect(() => request.POST).toThrow(new TooManyFieldsSent(MESSAGE));
  });

  test('GET alone over the limit', () => {
    const { request } = makeRequest({ method: 'GET', url: '/?a&b&c&d', settings: { dataUploadMaxNumberFields: 3 } });
    expect(() => request.GET).toThrow(new TooManyFieldsSent(MESSAGE));
  });

  test('null disables the limit', async () => {
    const { request } = makeRequest({
      url: '/?' + 'a=1&'.repeat(50),
      body: 'b=2&'.repeat(50),
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      settings: { dataUploadMaxNumberFields: null },
    });
    await request.loadBody();
    expect(request.GET.getList('a')).toHaveLength(50);
    expect(request.POST.getList('b')).toHaveLength(50);
  });
});

describe('multipart bodies', () => {
  async function multipart(fields: Record<string, string>, files: Record<string, [string, string]>, options: Options = {}) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const [name, [filename, content]] of Object.entries(files)) form.append(name, new Blob([content], { type: 'text/plain' }), filename);
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    return makeRequest({ ...options, body, headers: [['Content-Type', encoded.headers.get('content-type')!]] });
  }

  test('streams into POST and FILES; body then throws RawPostDataException', async () => {
    const { request } = await multipart({ title: 'Héllo', tag: 'x' }, { doc: ['notes.txt', 'file content'] }, { url: '/?q=1' });
    await request.loadBody();
    expect(request.POST.dict()).toEqual({ title: 'Héllo', tag: 'x' });
    expect(request.FILES.getItem('doc').name).toBe('notes.txt');
    expect(request.FILES.getItem('doc').size).toBe(12);
    expect(request.data).toBe(request.POST);
    expect(() => request.body).toThrow(new RawPostDataException("You cannot access body after reading from request's data stream"));
    expect(request.bodyIncomplete).toBe(false);
  });

  test('the declared length over maxUploadSize is refused before parsing', async () => {
    const { request } = await multipart({ a: 'x'.repeat(100) }, {}, { settings: { maxUploadSize: 50 } });
    await expect(request.loadBody()).rejects.toThrow(UPLOAD_TOO_BIG);
  });

  test('GET fields count against the multipart fields', async () => {
    const { request } = await multipart({ c: '3', d: '4' }, {}, { url: '/?a=1&b=2', settings: { dataUploadMaxNumberFields: 3 } });
    await expect(request.loadBody()).rejects.toBeInstanceOf(TooManyFieldsSent);
  });

  test('cleanup() removes files spilled to disk', async () => {
    const { request } = await multipart({}, { big: ['big.bin', 'y'.repeat(2048)] }, { settings: { fileUploadMaxMemorySize: 1024 } });
    await request.loadBody();
    const file = request.FILES.getItem('big') as TemporaryUploadedFile;
    const path = file.temporaryFilePath();
    expect(existsSync(path)).toBe(true);
    await request.cleanup();
    expect(existsSync(path)).toBe(false);
  });
});
