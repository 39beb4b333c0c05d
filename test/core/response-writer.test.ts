import { closeSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, ftruncateSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { applyConditional } from '../../src/core/conditional';
import { writeResponse } from '../../src/core/response-writer';
import { FileResponse } from '../../src/http/file-response';
import { HttpResponse } from '../../src/http/http-response';
import { JsonResponse } from '../../src/http/json-response';
import { HttpResponseNoContent, HttpResponseNotModified } from '../../src/http/response-subclasses';
import { StreamingHttpResponse } from '../../src/http/streaming-http-response';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: http.Server;
let port: number;
let handler: Handler;
let dir: string;
const MB = 1024 * 1024;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reinhardt-writer-'));
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Serves `make()` for each request; resolves `done` with writeResponse's promise settling. */
function serve(make: (req: IncomingMessage) => HttpResponse, onStreamError?: (error: unknown) => void): Promise<void>[] {
  const finished: Promise<void>[] = [];
  handler = (req, res) => {
    finished.push(Promise.resolve(writeResponse(res, make(req), req.method === 'HEAD', onStreamError)));
  };
  return finished;
}

interface Received {
  status: number;
  statusMessage: string;
  rawHeaders: string[];
  body: Buffer;
}

function fetchRaw(path = '/', options: http.RequestOptions = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, statusMessage: res.statusMessage!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw headers without the ones Node adds (Date, Connection, Keep-Alive). */
function ownHeaders(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!['date', 'connection', 'keep-alive'].includes(raw[i].toLowerCase())) pairs.push([raw[i], raw[i + 1]]);
  }
  return pairs;
}

function openFdsTo(path: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) count++;
    } catch {
      // closed while listing
    }
  }
  return count;
}

function sparseFile(name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe('writeResponse: buffered bodies', () => {
  it('writes status, reason, headers in order, Content-Length, one Set-Cookie per cookie, and the body', async () => {
    const done = serve(() => {
      const response = new HttpResponse('<p>café</p>', { reason: 'Fine', headers: { 'X-Frame-Options': 'DENY' } });
      response.setCookie('a', '1', { httpOnly: true });
      response.setCookie('b', 'x y');
      return response;
    });
    const received = await fetchRaw();
    await Promise.all(done);
    expect(received.status).toBe(200);
    expect(received.statusMessage).toBe('Fine');
    expect(ownHeaders(received.rawHeaders)).toEqual([
      ['X-Frame-Options', 'DENY'],
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Content-Length', '12'],
      ['Set-Cookie', 'a=1; Path=/; HttpOnly'],
      ['Set-Cookie', 'b=x%20y; Path=/'],
    ]);
    expect(received.body.toString()).toBe('<p>café</p>');
  });

  it('sends every byte value unchanged, in a small body (written as a latin1 string) and a large one (as a Buffer)', async () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const small = Buffer.concat([every, Buffer.from('€ and ü in UTF-8', 'utf8')]);
    const large = Buffer.concat(Array.from({ length: 80 }, () => every)); // 20,480 bytes: past the string limit
    for (const body of [small, large]) {
      serve(() => new HttpResponse(body, { contentType: 'application/octet-stream' }));
      const received = await fetchRaw();
      expect(ownHeaders(received.rawHeaders)).toContainEqual(['Content-Length', String(body.length)]);
      expect(received.body.equals(body)).toBe(true);
    }
  });

  it('sends text given in utf-8 as its utf-8 bytes: astral and lone surrogates, past the string limit, appended to, read first', async () => {
    const astral = 'a😀é\ud800z'; // the lone surrogate goes out as U+FFFD, as Buffer.from writes it
    const long = 'ü'.repeat(10_000); // 20,000 bytes
    const cases: [string, () => HttpResponse][] = [
      [astral, () => new HttpResponse(astral)],
      [long, () => new JsonResponse(long, { safe: false })],
      ['ab€', () => { const r = new HttpResponse('ab'); r.write('€'); return r; }],
      ['read', () => { const r = new HttpResponse('read'); void r.content; return r; }],
    ];
    for (const [text, make] of cases) {
      serve(make);
      const received = await fetchRaw();
      const expected = make().content;
      expect(expected.equals(Buffer.from(make() instanceof JsonResponse ? JSON.stringify(text) : text, 'utf8'))).toBe(true);
      expect(ownHeaders(received.rawHeaders)).toContainEqual(['Content-Length', String(expected.length)]);
      expect(received.body.equals(expected)).toBe(true);
    }
  });

  it('sends text in another charset encoded in it', async () => {
    serve(() => new HttpResponse('café', { contentType: 'text/plain; charset=latin-1' }));
    const received = await fetchRaw();
    expect(ownHeaders(received.rawHeaders)).toContainEqual(['Content-Length', '4']);
    expect(received.body.equals(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe(true);
  });

  it('sends Latin-1 header values as Latin-1 bytes beside a utf-8 text body', async () => {
    // Node writes head and body in the body's encoding when both go out as one string.
    const cases: [string, () => HttpResponse][] = [
      ['headers init', () => new HttpResponse('é€', { headers: { 'X-Latin': 'café' } })],
      ['set later', () => { const r = new JsonResponse({ a: 'é€' }); r.headers.set('X-Latin', 'café'); return r; }],
      ['content type', () => new HttpResponse('é€', { contentType: 'text/plain; x=café; charset=utf-8', headers: { 'X-Latin': 'café' } })],
    ];
    for (const [name, make] of cases) {
      serve(make);
      const received = await fetchRaw();
      // The client reads header bytes as Latin-1: utf-8 would show as 'cafÃ©'.
      expect({ name, headers: ownHeaders(received.rawHeaders) }).toEqual({ name, headers: expect.arrayContaining([['X-Latin', 'café']]) });
      expect(received.body.equals(make().content)).toBe(true);
    }
    serve(() => new HttpResponse('é', { contentType: 'text/plain; x=café; charset=utf-8' }));
    expect(ownHeaders((await fetchRaw()).rawHeaders)).toContainEqual(['Content-Type', 'text/plain; x=café; charset=utf-8']);
  });

  it('replaces a wrong Content-Length with the body length', async () => {
    serve(() => new HttpResponse('abc', { headers: { 'Content-Length': '999' } }));
    const received = await fetchRaw();
    expect(ownHeaders(received.rawHeaders)).toContainEqual(['Content-Length', '3']);
    expect(received.body.toString()).toBe('abc');
  });

  it('fetch sees the JSON body and headers', async () => {
    serve(() => new JsonResponse({ ok: true }, { status: 201 }));
    const received = await fetch(`http://127.0.0.1:${port}/`);
    expect(received.status).toBe(201);
    expect(received.statusText).toBe('Created');
    expect(received.headers.get('content-type')).toBe('application/json');
    expect(received.headers.get('content-length')).toBe('11');
    expect(await received.json()).toEqual({ ok: true });
  });

  it('HEAD sends the headers GET would, Content-Length included, and no body', async () => {
    serve(() => new HttpResponse('hello'));
    const received = await fetchRaw('/', { method: 'HEAD' });
    expect(ownHeaders(received.rawHeaders)).toEqual([
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Content-Length', '5'],
    ]);
    expect(received.body.length).toBe(0);
  });

  it('204 and 304 have neither body nor Content-Length', async () => {
    serve(() => new HttpResponseNoContent());
    const noContent = await fetchRaw();
    expect(noContent.status).toBe(204);
    expect(ownHeaders(noContent.rawHeaders)).toEqual([['Content-Type', 'text/html; charset=utf-8']]);
    serve(() => {
      const response = new HttpResponseNotModified();
      response.headers.set('ETag', '"v1"');
      return response;
    });
    const notModified = await fetchRaw();
    expect(notModified.status).toBe(304);
    expect(ownHeaders(notModified.rawHeaders)).toEqual([['ETag', '"v1"']]);
    expect(notModified.body.length).toBe(0);
  });

  it('returns nothing (no promise) for a buffered body and closes the response', async () => {
    let result: unknown = 'unset';
    let response!: HttpResponse;
    handler = (_req, res) => {
      response = new HttpResponse('x');
      result = writeResponse(res, response, false);
    };
    await fetchRaw();
    expect(result).toBeUndefined();
    expect(response.closed).toBe(true);
  });
});

describe('writeResponse: streaming bodies', () => {
  it('streams an async generator chunked, without Content-Length', async () => {
    const done = serve(() => new StreamingHttpResponse((async function* () {
      yield 'one,';
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield Buffer.from('two');
    })(), { contentType: 'text/csv' }));
    const received = await fetchRaw();
    await Promise.all(done);
    expect(ownHeaders(received.rawHeaders)).toEqual([
      ['Content-Type', 'text/csv'],
      ['Transfer-Encoding', 'chunked'],
    ]);
    expect(received.body.toString()).toBe('one,two');
  });

  it('HEAD on a streaming response sends headers only and closes the source', async () => {
    const source = new Readable({ read() {} });
    const done = serve(() => new StreamingHttpResponse(source));
    const received = await fetchRaw('/', { method: 'HEAD' });
    await Promise.all(done);
    expect(received.body.length).toBe(0);
    expect(source.destroyed).toBe(true);
  });

  it('waits for drain: a 200 MB stream is produced only as fast as the client reads', async () => {
    const total = 200 * MB;
    const chunk = Buffer.alloc(64 * 1024, 7);
    let produced = 0;
    const source = new Readable({
      read() {
        if (produced >= total) return void this.push(null);
        produced += chunk.length;
        this.push(chunk);
      },
    });
    const done = serve(() => new StreamingHttpResponse(source));
    const { peakAhead, receivedBytes } = await new Promise<{ peakAhead: number; receivedBytes: number }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        let receivedBytes = 0;
        let peakAhead = 0;
        res.pause();
        setTimeout(() => {
          peakAhead = produced - receivedBytes;
          res.on('data', (data: Buffer) => {
            receivedBytes += data.length;
            peakAhead = Math.max(peakAhead, produced - receivedBytes);
          });
          res.on('end', () => resolve({ peakAhead, receivedBytes }));
          res.resume();
        }, 300);
      }).on('error', reject);
    });
    await Promise.all(done);
    expect(receivedBytes).toBe(total);
    // Socket buffers and stream high-water marks only: far below the 200 MB body.
    expect(peakAhead).toBeLessThan(16 * MB);
  }, 60000);

  it('a client that disconnects stops the generator (its finally runs) and the promise resolves', async () => {
    let cleaned = false;
    let response!: StreamingHttpResponse;
    const done = serve(() => {
      response = new StreamingHttpResponse((async function* () {
        try {
          for (;;) {
            yield Buffer.alloc(16 * 1024, 1);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        } finally {
          cleaned = true;
        }
      })());
      return response;
    });
    await new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    await Promise.all(done);
    expect(response.closed).toBe(true);
    // The generator's finally runs when its pending timer fires: wait for it, up to 5 s.
    for (let i = 0; i < 500 && !cleaned; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cleaned).toBe(true);
  });

  it('an error mid-body destroys the socket, reports the error and never crashes', async () => {
    const errors: unknown[] = [];
    const done = serve(() => new StreamingHttpResponse((async function* () {
      yield 'partial';
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('database went away');
    })()), (error) => errors.push(error));
    const outcome = await new Promise<string>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve('end'));
        res.on('error', (error) => resolve(`error: ${(error as NodeJS.ErrnoException).code ?? error.message}`));
        res.on('aborted', () => resolve('aborted'));
      }).on('error', (error) => resolve(`request error: ${error.message}`));
    });
    await Promise.all(done);
    expect(outcome).not.toBe('end');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database went away');
  });
});

describe('writeResponse: FileResponse', () => {
  it('streams a 200 MB file without buffering it', async () => {
    const path = sparseFile('big.bin', 200 * MB);
    let opened: Readable | undefined;
    const done = serve(() => {
      const response = new FileResponse(path);
      const open = response.openStream.bind(response);
      response.openStream = () => (opened = open());
      return response;
    });
    const { readWhilePaused, receivedBytes, contentLength } = await new Promise<{ readWhilePaused: number; receivedBytes: number; contentLength: string }>(
      (resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
          let receivedBytes = 0;
          res.pause();
          setTimeout(() => {
            const readWhilePaused = (opened as unknown as { bytesRead: number }).bytesRead;
            res.on('data', (data: Buffer) => (receivedBytes += data.length));
            res.on('end', () => resolve({ readWhilePaused, receivedBytes, contentLength: res.headers['content-length']! }));
            res.resume();
          }, 300);
        }).on('error', reject);
      },
    );
    await Promise.all(done);
    expect(contentLength).toBe(String(200 * MB));
    expect(readWhilePaused).toBeLessThan(16 * MB);
    expect(receivedBytes).toBe(200 * MB);
  }, 60000);

  it('answers a Range with the bytes asked for', async () => {
    const path = join(dir, 'digits.txt');
    writeFileSync(path, '0123456789abcdefghijklmnopqrstuvwxyz');
    serve((req) => applyConditional({ method: req.method!, headers: { get: (name) => req.headers[name.toLowerCase()] as string | undefined } }, new FileResponse(path)));
    const received = await fetchRaw('/', { headers: { Range: 'bytes=10-15' } });
    expect(received.status).toBe(206);
    expect(received.statusMessage).toBe('Partial Content');
    const headers = Object.fromEntries(ownHeaders(received.rawHeaders));
    expect(headers['Content-Range']).toBe('bytes 10-15/36');
    expect(headers['Content-Length']).toBe('6');
    expect(received.body.toString()).toBe('abcdef');
    const unsatisfiable = await fetchRaw('/', { headers: { Range: 'bytes=99-' } });
    expect(unsatisfiable.status).toBe(416);
    expect(Object.fromEntries(ownHeaders(unsatisfiable.rawHeaders))['Content-Range']).toBe('bytes */36');
  });

  it('an aborted download closes the file descriptor', async () => {
    const path = sparseFile('abort.bin', 50 * MB);
    let response!: FileResponse;
    const done = serve(() => (response = new FileResponse(path)));
    expect(openFdsTo(path)).toBe(0);
    await new Promise<void>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.once('data', () => {
          expect(openFdsTo(path)).toBe(1);
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    await Promise.all(done);
    expect(response.closed).toBe(true);
    for (let i = 0; i < 50 && openFdsTo(path) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(openFdsTo(path)).toBe(0);
  });

  it('HEAD on a FileResponse sends Content-Length and never opens the file', async () => {
    const path = join(dir, 'digits.txt');
    let opened = false;
    serve(() => {
      const response = new FileResponse(path);
      response.openStream = () => {
        opened = true;
        throw new Error('must not open');
      };
      return response;
    });
    const received = await fetchRaw('/', { method: 'HEAD' });
    expect(Object.fromEntries(ownHeaders(received.rawHeaders))['Content-Length']).toBe('36');
    expect(received.body.length).toBe(0);
    expect(opened).toBe(false);
  });
});
