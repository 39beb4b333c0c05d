/**
 * GZipMiddleware and @GzipPage through the test Client: Django's GZipMiddlewareTest and
 * ETagGZipMiddlewareTest (tests/middleware/tests.py), named after them, plus Brotli, the
 * Accept-Encoding q-values (RFC 9110 §12.5.3) and the rules Django leaves out (206,
 * `no-transform`). Every compressed body is decompressed and compared with the original.
 */
import 'reflect-metadata';
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync, inflateRawSync } from 'node:zlib';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { GzipPage } from '../../decorators/gzip';
import { Get } from '../../decorators/route';
import { createApp, DEFAULT_MIDDLEWARE } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import { ZSTD_AVAILABLE } from '../../src/http/compression';
import { ImproperlyConfigured } from '../../src/http/errors';
import { FileResponse } from '../../src/http/file-response';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponse } from '../../src/http/http-response';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';
import { GZipMiddleware } from '../../src/middleware/gzip';
import { Client } from '../../src/testing/client';

const shortString = 'This string is too short to be worth compressing.';
const compressibleString = 'a'.repeat(500);
const incompressible = crypto.randomBytes(500);
const sequence = ['a'.repeat(500), 'b'.repeat(200), 'a'.repeat(300)];
const sequenceUnicode = ['a'.repeat(500), 'é'.repeat(200), 'a'.repeat(300)];
const GZIP = { 'Accept-Encoding': 'gzip, deflate' };

/** What the next request to /configurable/ answers with (Django's `self.resp`). */
let nextResponse: () => HttpResponse = () => new HttpResponse(compressibleString);

@Controller('')
class GZipController {
  @Get('/configurable/')
  configurable() {
    return nextResponse();
  }

  @Get('/json/')
  json() {
    return { items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}` })) };
  }

  @Get('/big/')
  big() {
    // Past the 64 KiB of bodies compressed in one synchronous call: compressed on the thread pool.
    return new HttpResponse(Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join(''), { contentType: 'text/plain' });
  }

  @Get('/page/')
  @GzipPage()
  page() {
    return new HttpResponse(compressibleString);
  }

  @Get('/page-async/')
  @GzipPage({ encodings: ['gzip'] })
  async pageAsync(request: HttpRequest) {
    await new Promise((resolve) => setImmediate(resolve));
    return { path: request.path, filler: compressibleString };
  }

  @Get('/plain/')
  plain() {
    return new HttpResponse(compressibleString);
  }
}

@GzipPage({ maxRandomBytes: 0 })
@Controller('/whole')
class WholeController {
  @Get('/one/')
  one() {
    return compressibleString;
  }

  @Get('/two/')
  @GzipPage({ encodings: ['gzip'], maxRandomBytes: 0 })
  two() {
    return compressibleString;
  }
}

function clientWith(middleware: Middleware[]): Client {
  const app = createApp({
    controllers: [GZipController, WholeController],
    middleware,
    settings: { secretKey: 'gzip-tests', allowedHosts: ['testserver'] },
    container: root.createChildContainer(),
  });
  return new Client(app);
}

const client = clientWith([GZipMiddleware]);

afterEach(() => {
  nextResponse = () => new HttpResponse(compressibleString);
  jest.restoreAllMocks();
});

describe('GZipMiddlewareTest', () => {
  test('compress_response: a compressible body is gzipped, with its exact Content-Length', async () => {
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.statusCode).toBe(200);
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.getHeader('Content-Length')).toBe(String(response.body.length));
    expect(response.getHeader('Vary')).toBe('Accept-Encoding');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
  });

  test('compress_streaming_response: one gzip stream, no Content-Length', async () => {
    nextResponse = () => new StreamingHttpResponse(sequence.map((s) => Buffer.from(s)), { contentType: 'text/html; charset=UTF-8' });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.hasHeader('Content-Length')).toBe(false);
    expect(gunzipSync(response.body).toString()).toBe(sequence.join(''));
    // One member: gunzip of the first member alone gives all of it (a member per chunk would not).
    expect(firstMemberLength(response.body)).toBe(response.body.length);
  });

  test('compress_async_streaming_response', async () => {
    nextResponse = () =>
      new StreamingHttpResponse(
        (async function* () {
          for (const chunk of sequence) yield chunk;
        })(),
        { contentType: 'text/html; charset=UTF-8' },
      );
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.hasHeader('Content-Length')).toBe(false);
    expect(gunzipSync(response.body).toString()).toBe(sequence.join(''));
  });

  test('compress_streaming_response_unicode', async () => {
    nextResponse = () => new StreamingHttpResponse(sequenceUnicode, { contentType: 'text/html; charset=UTF-8' });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body).toString('utf8')).toBe(sequenceUnicode.join(''));
  });

  test('compress_file_response: the file stream is compressed; its ETag weak and naming gzip, no Content-Length or Accept-Ranges', async () => {
    let file: FileResponse | null = null;
    nextResponse = () => (file = new FileResponse(__filename, { contentType: 'text/html; charset=UTF-8' }));
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body)).toEqual(readFileSync(__filename));
    expect(response.hasHeader('Content-Length')).toBe(false);
    expect(response.hasHeader('Accept-Ranges')).toBe(false);
    expect(response.getHeader('ETag')).toBe(`W/${(file as unknown as FileResponse).etag!.slice(0, -1)}-gzip"`);
  });

  test('compress_file_response: a Range request of a file gets its 206, uncompressed (Content-Range counts the file\'s own bytes)', async () => {
    nextResponse = () => new FileResponse(__filename, { contentType: 'text/plain' });
    const ranged = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip', Range: 'bytes=0-9' } });
    // The conditional check ran inside the middleware: the range is of the file as it is, so
    // the 206 is sent uncompressed (Content-Range counts its bytes).
    expect(ranged.statusCode).toBe(206);
    expect(ranged.hasHeader('Content-Encoding')).toBe(false);
    expect(ranged.body).toEqual(readFileSync(__filename).subarray(0, 10));
  });

  test('compress_non_200_response (#10762)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { status: 404 });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.statusCode).toBe(404);
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
  });

  test('no_compress_short_response: under 200 bytes, no Content-Encoding and no Vary', async () => {
    nextResponse = () => new HttpResponse(shortString);
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.body.toString()).toBe(shortString);
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.hasHeader('Vary')).toBe(false);
  });

  test('no_compress_short_response: 199 bytes are not compressed, 200 bytes are', async () => {
    nextResponse = () => new HttpResponse('é'.repeat(99) + 'a'); // 199 bytes in utf-8, 100 characters
    expect((await client.get('/configurable/', {}, { headers: GZIP })).hasHeader('Content-Encoding')).toBe(false);
    nextResponse = () => new HttpResponse('é'.repeat(100));
    expect((await client.get('/configurable/', {}, { headers: GZIP })).getHeader('Content-Encoding')).toBe('gzip');
  });

  test('no_compress_compressed_response: a Content-Encoding already set is kept, the body untouched', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { 'Content-Encoding': 'deflate' } });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.body.toString()).toBe(compressibleString);
    expect(response.getHeader('Content-Encoding')).toBe('deflate');
  });

  test('no_compress_incompressible_response: kept as it is when gzip is not smaller (Vary still set)', async () => {
    nextResponse = () => new HttpResponse(incompressible, { contentType: 'application/octet-stream' });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.body).toEqual(incompressible);
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.getHeader('Vary')).toBe('Accept-Encoding');
  });

  test('compress_deterministic: maxRandomBytes 0 gives the same bytes each time, mtime 0', async () => {
    const deterministic = clientWith([new GZipMiddleware({ maxRandomBytes: 0 })]);
    const first = await deterministic.get('/configurable/', {}, { headers: GZIP });
    const second = await deterministic.get('/configurable/', {}, { headers: GZIP });
    expect(first.body).toEqual(second.body);
    expect(first.body.readUInt32LE(4)).toBe(0); // MTIME (RFC 1952 §2.3.1)
    expect(first.body[3]).toBe(0); // no FNAME
    expect(gunzipSync(first.body).toString()).toBe(compressibleString);
  });

  test('random_bytes: a random-length file name is added against BREACH', async () => {
    const randomInt = jest.spyOn(crypto, 'randomInt').mockImplementation((() => 3) as never);
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(randomInt).toHaveBeenCalledWith(100);
    expect(response.body[3]).toBe(0x08); // FLG.FNAME
    expect(response.body.subarray(10, 14).toString('latin1')).toBe('aaa\0');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
    expect(response.getHeader('Content-Length')).toBe(String(response.body.length));
  });

  test('random_bytes: the padding length varies between responses', async () => {
    const lengths = new Set<number>();
    for (let i = 0; i < 20; i++) lengths.add((await client.get('/configurable/', {}, { headers: GZIP })).body.length);
    expect(lengths.size).toBeGreaterThan(1);
  });

  test('random_bytes_streaming_response', async () => {
    jest.spyOn(crypto, 'randomInt').mockImplementation((() => 3) as never);
    nextResponse = () => new StreamingHttpResponse(sequence, { contentType: 'text/html; charset=UTF-8' });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.body[3]).toBe(0x08);
    expect(response.body.subarray(10, 14).toString('latin1')).toBe('aaa\0');
    expect(gunzipSync(response.body).toString()).toBe(sequence.join(''));
  });

  test('rows a stream has ready back to back are compressed together, not flushed one by one', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},Question ${i}?\n`);
    nextResponse = () => new StreamingHttpResponse(rows, { contentType: 'text/csv' });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(gunzipSync(response.body).toString()).toBe(rows.join(''));
    // A sync flush per 20-byte row costs ~5 bytes of framing each: 2000 flushes would make the
    // body about 70% of the input; in 16 KiB batches it is under a quarter.
    expect(response.body.length).toBeLessThan(Buffer.byteLength(rows.join('')) / 4);
  });

  test('an empty streaming response is still a valid gzip stream', async () => {
    nextResponse = () => new StreamingHttpResponse([]);
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body).length).toBe(0);
  });
});

describe('ETagGZipMiddlewareTest', () => {
  // Django makes a strong ETag weak and leaves a weak one alone; here both also name the coding
  // (docs/differences-from-django.md, test/middleware/gzip-etag.test.ts).
  test('strong_etag_modified: a strong ETag is made weak (and names the coding)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('ETag')).toBe('W/"eggs-gzip"');
  });

  test('weak_etag_not_modified: a weak ETag stays weak (and names the coding)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: 'W/"eggs"' } });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('ETag')).toBe('W/"eggs-gzip"');
  });

  test('etag_match: the weakened ETag sent back in If-None-Match gives a 304', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const first = await client.get('/configurable/', {}, { headers: GZIP });
    const second = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip, deflate', 'If-None-Match': first.getHeader('ETag') as string } });
    expect(second.statusCode).toBe(304);
    expect(second.body.length).toBe(0);
    expect(second.hasHeader('Content-Encoding')).toBe(false);
  });
});

describe('encodings chosen by Accept-Encoding', () => {
  test("Chromium's header gets Brotli (preferred among equal q-values)", async () => {
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
    expect(response.getHeader('Content-Encoding')).toBe('br');
    expect(response.getHeader('Content-Length')).toBe(String(response.body.length));
    expect(brotliDecompressSync(response.body).toString()).toBe(compressibleString);
  });

  test('Brotli for a streaming response too', async () => {
    nextResponse = () => new StreamingHttpResponse(sequence);
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br' } });
    expect(response.getHeader('Content-Encoding')).toBe('br');
    expect(brotliDecompressSync(response.body).toString()).toBe(sequence.join(''));
  });

  test.each([
    ['br;q=0.5, gzip', 'gzip'],
    ['gzip;q=0.8, br;q=0.9', 'br'],
    ['x-gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['gzip, identity;q=0', 'gzip'],
    ['gzip;q=0.5', 'gzip'],
  ])('Accept-Encoding: %s -> %s', async (header, coding) => {
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': header } });
    expect(response.getHeader('Content-Encoding')).toBe(coding);
    const body = coding === 'br' ? brotliDecompressSync(response.body) : gunzipSync(response.body);
    expect(body.toString()).toBe(compressibleString);
  });

  test.each([
    ['no header', undefined],
    ['an empty header (identity only)', ''],
    ['gzip;q=0', 'gzip;q=0'],
    ['deflate only', 'deflate'],
    ['identity preferred', 'gzip;q=0.5, identity'],
    ['*;q=0', '*;q=0'],
    ['an invalid q-value (the member is ignored)', 'gzip;q=2'],
    ['zstd, which this Node cannot make', ZSTD_AVAILABLE ? 'compress' : 'zstd'],
  ])('%s: sent as it is, with Vary: Accept-Encoding', async (_name, header) => {
    const response = await client.get('/configurable/', {}, header === undefined ? {} : { headers: { 'Accept-Encoding': header } });
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.getHeader('Vary')).toBe('Accept-Encoding');
    expect(response.body.toString()).toBe(compressibleString);
  });

  test('encodings: ["gzip"] never answers Brotli', async () => {
    const gzipOnly = clientWith([new GZipMiddleware({ encodings: ['gzip'] })]);
    const response = await gzipOnly.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect((await gzipOnly.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br' } })).hasHeader('Content-Encoding')).toBe(false);
  });

  (ZSTD_AVAILABLE ? test : test.skip)('zstd where node:zlib has it', async () => {
    const zstdFirst = clientWith([new GZipMiddleware({ encodings: ['zstd', 'gzip'] })]);
    const response = await zstdFirst.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip, zstd' } });
    expect(response.getHeader('Content-Encoding')).toBe('zstd');
    const zlib = require('node:zlib') as { zstdDecompressSync(input: Buffer): Buffer };
    expect(zlib.zstdDecompressSync(response.body).toString()).toBe(compressibleString);
  });
});

describe('what is left alone', () => {
  test('a 206 is not compressed (its Content-Range counts the bytes as they are)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { status: 206, headers: { 'Content-Range': 'bytes 0-499/1000' } });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.body.toString()).toBe(compressibleString);
  });

  test('Cache-Control: no-transform is honoured (RFC 9111 §5.2.2.6)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { 'Cache-Control': 'public, no-transform' } });
    const response = await client.get('/configurable/', {}, { headers: GZIP });
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.hasHeader('Vary')).toBe(false);
  });

  test('an existing Vary keeps its names, Accept-Encoding added once', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { Vary: 'Cookie, accept-encoding' } });
    expect((await client.get('/configurable/', {}, { headers: GZIP })).getHeader('Vary')).toBe('Cookie, accept-encoding');
    nextResponse = () => new HttpResponse(compressibleString, { headers: { Vary: 'Cookie' } });
    expect((await client.get('/configurable/', {}, { headers: GZIP })).getHeader('Vary')).toBe('Cookie, Accept-Encoding');
  });

  test('HEAD gets the headers GET gets', async () => {
    const head = await client.head('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(head.getHeader('Content-Encoding')).toBe('gzip');
    expect(head.body.length).toBe(0);
  });
});

describe('bodies of every size', () => {
  test('a mapped JSON object is compressed', async () => {
    const response = await client.get('/json/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(response.body).toString())).toEqual({ items: Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item-${i}` })) });
  });

  test('a body past 64 KiB is compressed off the event loop, with its exact Content-Length', async () => {
    const response = await client.get('/big/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.getHeader('Content-Length')).toBe(String(response.body.length));
    expect(gunzipSync(response.body).toString()).toBe(Array.from({ length: 20000 }, (_, i) => `line ${i}\n`).join(''));
  });

  test('with the default middleware inside it, the session and CSRF Vary: Cookie is kept', async () => {
    const full = clientWith([GZipMiddleware, ...DEFAULT_MIDDLEWARE]);
    const response = await full.get('/configurable/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
  });
});

describe('@GzipPage', () => {
  const bare = clientWith([]);

  test('compresses its route without the middleware (Django gzip_page)', async () => {
    const response = await bare.get('/page/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.getHeader('Vary')).toBe('Accept-Encoding');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
    const plain = await bare.get('/plain/', {}, { headers: GZIP });
    expect(plain.hasHeader('Content-Encoding')).toBe(false);
    expect(plain.hasHeader('Vary')).toBe(false);
  });

  test('an async handler returning an object, with the decorator options', async () => {
    const response = await bare.get('/page-async/', {}, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(response.body).toString())).toEqual({ path: '/page-async/', filler: compressibleString });
  });

  test('on a controller: every handler; a handler own @GzipPage wins', async () => {
    const one = await bare.get('/whole/one/', {}, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(one.getHeader('Content-Encoding')).toBe('br');
    expect(brotliDecompressSync(one.body).toString()).toBe(compressibleString);
    const two = await bare.get('/whole/two/', {}, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(two.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(two.body).toString()).toBe(compressibleString);
  });

  test('with GZipMiddleware too, the body is compressed once', async () => {
    const response = await client.get('/page/', {}, { headers: GZIP });
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
  });
});

describe('options are checked when the middleware is built', () => {
  test.each([
    [{ encodings: ['deflate'] }, "GZipMiddleware cannot compress with 'deflate': use 'br', 'zstd' or 'gzip'."],
    [{ encodings: [] }, 'GZipMiddleware needs at least one encoding.'],
    [{ maxRandomBytes: -1 }, 'GZipMiddleware maxRandomBytes must be a whole number of bytes, 0 or more (got -1).'],
    [{ minLength: Number.NaN }, 'GZipMiddleware minLength must be 0 or more bytes (got NaN).'],
  ])('%j', (options, message) => {
    expect(() => new GZipMiddleware(options as never)).toThrow(new ImproperlyConfigured(message));
    expect(() => GzipPage(options as never)).toThrow(new ImproperlyConfigured(message));
  });

  (ZSTD_AVAILABLE ? test.skip : test)('zstd on a Node without it is refused, naming the version', () => {
    expect(() => new GZipMiddleware({ encodings: ['zstd', 'gzip'] })).toThrow(
      new ImproperlyConfigured(`GZipMiddleware: this Node (${process.version}) has no zstd in node:zlib (it came in 22.15 and 23.8).`),
    );
  });
});

/**
 * The length of the first gzip member of `data` (RFC 1952 §2.3): its header (with the FNAME
 * field when FLG says so), the deflate stream (as many bytes as inflate consumes) and the 8-byte
 * CRC32/ISIZE trailer. Equal to the whole body when the body is one member.
 */
function firstMemberLength(data: Buffer): number {
  let header = 10;
  if (data[3] & 0x08) header = data.indexOf(0, 10) + 1;
  const { engine } = inflateRawSync(data.subarray(header), { info: true } as never) as unknown as { engine: { bytesWritten: number } };
  return header + engine.bytesWritten + 8;
}
