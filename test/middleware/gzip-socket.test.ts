/**
 * GZipMiddleware on a streaming response over a real socket: each chunk reaches the client
 * compressed and decodable while the stream is still open (a flush per chunk, as Django's
 * compress_sequence), and a 100 MB stream to a client that stops reading is held back by the
 * socket (backpressure), not compressed into memory; the client going away closes the source.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { get, type IncomingMessage, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBrotliDecompress, createGunzip, type Gunzip, type BrotliDecompress } from 'node:zlib';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';
import { GZipMiddleware } from '../../src/middleware/gzip';

const first = 'data: first event, sent before the stream ends\n\n'.repeat(8);
const second = 'data: second event\n\n'.repeat(8);
let releaseSecond: () => void = () => undefined;

const CHUNK = randomBytes(64 * 1024); // incompressible, even repeated (deflate's window is 32 KiB)
const HUGE_CHUNKS = 1600; // 100 MiB
const huge = { produced: 0, closed: false };

@Controller('')
class StreamController {
  @Get('/events/')
  events() {
    const gate = new Promise<void>((resolve) => (releaseSecond = resolve));
    return new StreamingHttpResponse(
      (async function* () {
        yield first;
        await gate;
        yield second;
      })(),
      { contentType: 'text/event-stream' },
    );
  }

  @Get('/huge/')
  huge() {
    huge.produced = 0;
    huge.closed = false;
    return new StreamingHttpResponse(
      (async function* () {
        try {
          for (let i = 0; i < HUGE_CHUNKS; i++) {
            huge.produced++;
            yield CHUNK;
          }
        } finally {
          huge.closed = true;
        }
      })(),
      { contentType: 'application/octet-stream' },
    );
  }
}

let server: Server;
let port: number;

beforeAll(async () => {
  const app = createApp({
    controllers: [StreamController],
    middleware: [GZipMiddleware],
    settings: { secretKey: 'gzip-socket', allowedHosts: ['*'] },
    container: root.createChildContainer(),
  });
  server = await app.listen(0, '127.0.0.1', { handleSignals: false });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function request(path: string, acceptEncoding: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': acceptEncoding, Connection: 'close' } }, (res) => resolve({ req, res }));
    req.on('error', reject);
  });
}

/** Resolves when `predicate` holds, checking every 10 ms; rejects after `ms` naming `what`. */
async function until(predicate: () => boolean, what: string, ms = 5000): Promise<void> {
  for (const start = Date.now(); !predicate(); ) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test.each([
  ['gzip', (): Gunzip | BrotliDecompress => createGunzip()],
  ['br', (): Gunzip | BrotliDecompress => createBrotliDecompress()],
])('%s: the first event is decoded by the client before the stream ends', async (coding, decoder) => {
  const { res } = await request('/events/', coding);
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-encoding']).toBe(coding);
  expect(res.headers['transfer-encoding']).toBe('chunked');
  expect(res.headers['content-length']).toBeUndefined();
  expect(res.headers.vary).toBe('Accept-Encoding');

  const decoded: string[] = [];
  const decompress = decoder();
  decompress.on('data', (chunk: Buffer) => decoded.push(chunk.toString()));
  res.pipe(decompress);
  // The handler is still waiting at its gate: only a flushed first chunk can be decoded now.
  await until(() => decoded.join('') === first, 'the first event');
  releaseSecond();
  await new Promise((resolve) => decompress.on('end', resolve));
  expect(decoded.join('')).toBe(first + second);
});

test('a 100 MB stream to a client that stops reading is held back by the socket, and closed when the client goes away', async () => {
  const { req, res } = await request('/huge/', 'gzip');
  expect(res.headers['content-encoding']).toBe('gzip');
  res.pause();
  // Let the server fill the socket buffers until backpressure stops it.
  let last = -1;
  await until(
    () => {
      const settled = huge.produced === last && huge.produced > 0;
      last = huge.produced;
      return settled;
    },
    'the server to stop producing',
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  const producedBytes = huge.produced * CHUNK.length;
  // The kernel's socket buffers and a chunk or two in Node: a few MB, never the 100 MB.
  expect(producedBytes).toBeLessThan(32 * 1024 * 1024);
  expect(huge.closed).toBe(false);
  req.destroy();
  await until(() => huge.closed, 'the source to be closed');
  expect(huge.produced).toBeLessThan(HUGE_CHUNKS);
});
