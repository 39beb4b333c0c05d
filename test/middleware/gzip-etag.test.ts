/**
 * The ETag of a compressed response names its coding (issue 26 follow-up), through the test
 * Client: `"x"` becomes `W/"x-br"` (`-gzip`, `-zstd`), as Apache mod_deflate's
 * `DeflateAlterETag AddSuffix`, because RFC 9110 §8.8.3 asks a content-encoded representation
 * for a tag distinct from the unencoded one's. A browser that downloaded a file Brotli-compressed
 * and then asks for a Range of it (with `Accept-Encoding: identity`, as the Fetch standard sends
 * it) revalidating with the compressed copy's tag must get the 206 of the plain file, not a 304
 * that has it cut the range out of its Brotli bytes (Chromium: ERR_CONTENT_DECODING_FAILED);
 * and revalidating the compressed response itself still gets its 304, from the compressor.
 * Django's GZipMiddleware only weakens the tag (tests/middleware/tests.py ETagGZipMiddlewareTest,
 * ported in gzip.test.ts).
 */
import 'reflect-metadata';
import crypto, { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { GzipPage } from '../../decorators/gzip';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import { ZSTD_AVAILABLE } from '../../src/http/compression';
import { FileResponse } from '../../src/http/file-response';
import { HttpResponse } from '../../src/http/http-response';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';
import { ConditionalGetMiddleware } from '../../src/middleware/conditional-get';
import { GZipMiddleware } from '../../src/middleware/gzip';
import { Client } from '../../src/testing/client';

const shortString = 'This string is too short to be worth compressing.';
const compressibleString = 'a'.repeat(500);
const incompressible = crypto.randomBytes(500);
const GZIP = { 'Accept-Encoding': 'gzip, deflate' };

/** What the next request to /configurable/ answers with. */
let nextResponse: () => HttpResponse = () => new HttpResponse(compressibleString);

@Controller('')
class TaggedController {
  @Get('/configurable/')
  configurable() {
    return nextResponse();
  }

  @Get('/page-tagged/')
  @GzipPage({ maxRandomBytes: 0 })
  pageTagged() {
    return new HttpResponse(compressibleString, { headers: { ETag: '"page"' } });
  }

  @Post('/posted/')
  posted() {
    return new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
  }
}

function clientWith(middleware: Middleware[]): Client {
  const app = createApp({
    controllers: [TaggedController],
    middleware,
    settings: { secretKey: 'gzip-etag-tests', allowedHosts: ['testserver'] },
    container: root.createChildContainer(),
  });
  return new Client(app);
}

const client = clientWith([GZipMiddleware]);

afterEach(() => {
  nextResponse = () => new HttpResponse(compressibleString);
  jest.restoreAllMocks();
});

describe('the ETag of a compressed response names its coding', () => {
  const codings: [string, string][] = [['br', 'br'], ['gzip', 'gzip'], ['gzip, deflate, br, zstd', 'br']];
  if (ZSTD_AVAILABLE) codings.push(['zstd', 'zstd']);

  test.each(codings)('Accept-Encoding %s: "eggs" and W/"eggs" become W/"eggs-%s"', async (acceptEncoding, coding) => {
    for (const etag of ['"eggs"', 'W/"eggs"']) {
      nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: etag } });
      const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': acceptEncoding } });
      expect(response.getHeader('Content-Encoding')).toBe(coding);
      expect(response.getHeader('ETag')).toBe(`W/"eggs-${coding}"`);
    }
  });

  test('a response sent as it is keeps its ETag: no Accept-Encoding, too short, or not shorter compressed', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    expect((await client.get('/configurable/')).getHeader('ETag')).toBe('"eggs"');
    nextResponse = () => new HttpResponse(shortString, { headers: { ETag: '"eggs"' } });
    expect((await client.get('/configurable/', {}, { headers: GZIP })).getHeader('ETag')).toBe('"eggs"');
    nextResponse = () => new HttpResponse(incompressible, { headers: { ETag: '"eggs"' } });
    const kept = await client.get('/configurable/', {}, { headers: GZIP });
    expect(kept.hasHeader('Content-Encoding')).toBe(false);
    expect(kept.getHeader('ETag')).toBe('"eggs"');
  });

  test('a value that is not an entity-tag is left as it is, as Django leaves it', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: 'eggs' } });
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br' } });
    expect(response.getHeader('Content-Encoding')).toBe('br');
    expect(response.getHeader('ETag')).toBe('eggs');
  });

  test("If-None-Match naming the compressed tag: Django's 304, no body, nothing compressed", async () => {
    nextResponse = () => {
      const response = new HttpResponse(compressibleString, { headers: { ETag: '"eggs"', 'Cache-Control': 'max-age=60' } });
      response.setCookie('seen', 'yes');
      return response;
    };
    // gzip pads every body it compresses with crypto.randomInt bytes (BREACH): no draw, no gzip.
    const randomInt = jest.spyOn(crypto, 'randomInt');
    const revalidated = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': 'W/"eggs-gzip"' } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers.toObject()).toEqual({ 'Cache-Control': 'max-age=60', ETag: 'W/"eggs-gzip"', Vary: 'Accept-Encoding' });
    expect(revalidated.cookies.get('seen')?.value).toBe('yes');
    expect(randomInt).not.toHaveBeenCalled();
    // The same request naming another tag is compressed (and padded) as before.
    const other = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': 'W/"spam-gzip"' } });
    expect(other.statusCode).toBe(200);
    expect(gunzipSync(other.body).toString()).toBe(compressibleString);
    expect(randomInt).toHaveBeenCalledTimes(1);
  });

  test('a streaming body answered 304 is never read, and a HEAD gets the 304 too', async () => {
    let pulled = 0;
    nextResponse = () =>
      new StreamingHttpResponse(
        (async function* () {
          pulled++;
          yield compressibleString;
        })(),
        { headers: { ETag: '"stream"' } },
      );
    const headers = { 'Accept-Encoding': 'br', 'If-None-Match': '"other", W/"stream-br"' };
    expect((await client.get('/configurable/', {}, { headers })).statusCode).toBe(304);
    expect((await client.head('/configurable/', {}, { headers })).statusCode).toBe(304);
    expect(pulled).toBe(0);
  });

  test('the tag of one coding does not match another: W/"eggs-br" from a client now asking for gzip gets 200 gzip', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': 'W/"eggs-br"' } });
    expect(response.statusCode).toBe(200);
    expect(response.getHeader('Content-Encoding')).toBe('gzip');
    expect(response.getHeader('ETag')).toBe('W/"eggs-gzip"');
    expect(gunzipSync(response.body).toString()).toBe(compressibleString);
  });

  test('the plain tag still gets its 304 from the core check, before the compressor', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': '"eggs"' } });
    expect(response.statusCode).toBe(304);
    expect(response.getHeader('ETag')).toBe('"eggs"');
  });

  test('no 304 for a POST or a non-2xx answer (Django: only GET/HEAD, only 2xx)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { status: 404, headers: { ETag: '"eggs"' } });
    const missing = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': 'W/"eggs-br"' } });
    expect(missing.statusCode).toBe(404);
    expect(brotliDecompressSync(missing.body).toString()).toBe(compressibleString);
    const posted = await client.post('/posted/', {}, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': 'W/"eggs-br"' } });
    expect(posted.statusCode).toBe(200);
    expect(posted.getHeader('ETag')).toBe('W/"eggs-br"');
    expect(brotliDecompressSync(posted.body).toString()).toBe(compressibleString);
  });

  test('a file downloaded Brotli-compressed, then revalidated whole (304), then asked for a Range (206 of the plain bytes)', async () => {
    let file: FileResponse | null = null;
    nextResponse = () => (file = new FileResponse(__filename, { contentType: 'text/plain' }));
    const whole = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } });
    const etag = (file as unknown as FileResponse).etag!;
    expect(whole.getHeader('Content-Encoding')).toBe('br');
    expect(whole.getHeader('ETag')).toBe(`W/${etag.slice(0, -1)}-br"`);
    expect(brotliDecompressSync(whole.body)).toEqual(readFileSync(__filename));

    const revalidated = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd', 'If-None-Match': whole.getHeader('ETag') as string } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.getHeader('ETag')).toBe(whole.getHeader('ETag'));
    expect((file as unknown as FileResponse).closed).toBe(true);

    // As Chromium asks for it: Accept-Encoding: identity (the Fetch standard), its copy's tag.
    const ranged = await client.get('/configurable/', {}, {
      headers: { 'Accept-Encoding': 'identity', 'If-None-Match': whole.getHeader('ETag') as string, Range: 'bytes=10-19' },
    });
    expect(ranged.statusCode).toBe(206);
    expect(ranged.hasHeader('Content-Encoding')).toBe(false);
    expect(ranged.getHeader('Content-Range')).toBe(`bytes 10-19/${readFileSync(__filename).length}`);
    expect(ranged.getHeader('ETag')).toBe(etag);
    expect(ranged.body).toEqual(readFileSync(__filename).subarray(10, 20));
  });

  test('a body without ranges, compressed, then asked for a Range as a browser asks: the whole plain body, not a 304', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const whole = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br' } });
    // The Fetch standard sends a Range with Accept-Encoding: identity; a 304 would have the
    // browser cut the range out of the Brotli bytes it stored.
    const response = await client.get('/configurable/', {}, {
      headers: { 'Accept-Encoding': 'identity', 'If-None-Match': whole.getHeader('ETag') as string, Range: 'bytes=0-9' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.hasHeader('Content-Encoding')).toBe(false);
    expect(response.getHeader('ETag')).toBe('"eggs"');
    expect(response.body.toString()).toBe(compressibleString);
  });

  test('a client that accepts Brotli and sends a Range naming the compressed tag gets the 304 (RFC 9110 §13.2.2: If-None-Match before Range)', async () => {
    nextResponse = () => new HttpResponse(compressibleString, { headers: { ETag: '"eggs"' } });
    const response = await client.get('/configurable/', {}, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': 'W/"eggs-br"', Range: 'bytes=0-9' } });
    expect(response.statusCode).toBe(304);
    expect(response.getHeader('ETag')).toBe('W/"eggs-br"');
  });

  test('with ConditionalGetMiddleware inside it: the body hash names the coding, and revalidating it gets the 304', async () => {
    const conditional = clientWith([GZipMiddleware, ConditionalGetMiddleware]);
    const first = await conditional.get('/configurable/', {}, { headers: GZIP });
    const hash = createHash('md5').update(compressibleString).digest('hex');
    expect(first.getHeader('ETag')).toBe(`W/"${hash}-gzip"`);
    const second = await conditional.get('/configurable/', {}, { headers: { ...GZIP, 'If-None-Match': first.getHeader('ETag') as string } });
    expect(second.statusCode).toBe(304);
    expect(second.getHeader('ETag')).toBe(first.getHeader('ETag'));
  });

  test('@GzipPage: the same tag and the same 304', async () => {
    const bare = clientWith([]);
    const first = await bare.get('/page-tagged/', {}, { headers: { 'Accept-Encoding': 'br' } });
    expect(first.getHeader('Content-Encoding')).toBe('br');
    expect(first.getHeader('ETag')).toBe('W/"page-br"');
    const second = await bare.get('/page-tagged/', {}, { headers: { 'Accept-Encoding': 'br', 'If-None-Match': 'W/"page-br"' } });
    expect(second.statusCode).toBe(304);
    expect(second.body.length).toBe(0);
    expect(second.getHeader('ETag')).toBe('W/"page-br"');
  });
});
