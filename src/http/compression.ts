/**
 * Compressing a body in a content coding: whole buffers in one call (Fastify's compress does the
 * same for a payload it holds, which gives an exact Content-Length), streams chunk by chunk into
 * one compressed stream, flushed after every chunk (Django's `compress_sequence`), and the
 * random gzip filename Django 4.2+ adds against BREACH (django/utils/text.py `compress_string`).
 */
import crypto from 'node:crypto';
import { once } from 'node:events';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type { ContentCoding } from './accept-encoding';

/** node:zlib's zstd functions, in Node versions that have them (22.15+, 23.8+; not Node 20). */
interface ZstdZlib {
  zstdCompressSync(input: Buffer | string): Buffer;
  zstdCompress(input: Buffer | string, callback: (error: Error | null, result: Buffer) => void): void;
  createZstdCompress(): zlib.BrotliCompress;
}

const zstd: ZstdZlib | null = typeof (zlib as unknown as Partial<ZstdZlib>).createZstdCompress === 'function' ? (zlib as unknown as ZstdZlib) : null;

/** Whether this Node can compress with zstd (node:zlib gained it in 22.15 and 23.8). */
export const ZSTD_AVAILABLE = zstd !== null;

/** gzip level 6, Django's `compresslevel=6` (and zlib's own default). */
const GZIP_OPTIONS: zlib.ZlibOptions = Object.freeze({ level: 6 });
/** Brotli quality 4, as @fastify/compress: near gzip -6's speed with smaller output (11 is for static files). */
const BROTLI_OPTIONS: zlib.BrotliOptions = Object.freeze({
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
});

/**
 * Bodies up to this size are compressed on the request's own thread, in one call; larger ones
 * on libuv's thread pool, so a 10 MB JSON export does not stall every other request.
 */
export const SYNC_COMPRESS_LIMIT = 64 * 1024;

const gzipAsync = promisify(zlib.gzip) as (input: Buffer | string, options: zlib.ZlibOptions) => Promise<Buffer>;
const brotliAsync = promisify(zlib.brotliCompress) as (input: Buffer | string, options: zlib.BrotliOptions) => Promise<Buffer>;
const zstdAsync = zstd === null ? null : (promisify(zstd.zstdCompress) as (input: Buffer | string) => Promise<Buffer>);

// RFC 1952 §2.3: the gzip member header is 10 bytes; bit 3 of FLG (byte 3) says a
// zero-terminated file name follows it.
const GZIP_HEADER_LENGTH = 10;
const FNAME = 0x08;
/** RFC 8878 §3.1.2: a skippable frame's magic number (any of 0x184D2A50-5F), little-endian. */
const ZSTD_SKIPPABLE_MAGIC = 0x184d2a50;

/**
 * Pads a compressed body with 0 to `maxRandomBytes - 1` random bytes that decoders skip, so its
 * length no longer tells an attacker how well their guess compressed against a secret on the
 * same page (BREACH, CVE-2013-3587). gzip: Django 4.2's `compress_string`, a file name of that
 * many `a`s in the header (FNAME). zstd: a skippable frame in front. Brotli has no field a
 * decoder skips that could be put in front without re-encoding the stream: it gets no padding.
 */
function pad(compressed: Buffer, coding: ContentCoding, maxRandomBytes: number): Buffer {
  if (maxRandomBytes <= 0 || coding === 'br') return compressed;
  const length = crypto.randomInt(maxRandomBytes);
  if (coding === 'gzip') {
    const padded = Buffer.allocUnsafe(compressed.length + length + 1);
    compressed.copy(padded, 0, 0, GZIP_HEADER_LENGTH);
    padded[3] |= FNAME;
    padded.fill(0x61, GZIP_HEADER_LENGTH, GZIP_HEADER_LENGTH + length); // 'a' * length, as Django
    padded[GZIP_HEADER_LENGTH + length] = 0;
    compressed.copy(padded, GZIP_HEADER_LENGTH + length + 1, GZIP_HEADER_LENGTH);
    return padded;
  }
  const padded = Buffer.allocUnsafe(8 + length + compressed.length);
  padded.writeUInt32LE(ZSTD_SKIPPABLE_MAGIC, 0);
  padded.writeUInt32LE(length, 4);
  padded.fill(0, 8, 8 + length);
  compressed.copy(padded, 8 + length);
  return padded;
}

/**
 * Compresses a whole body now, in one call, padded against BREACH (see `pad`).
 * @example
 * const gz = compressSync(JSON.stringify(data), 'gzip', 100);
 */
export function compressSync(body: Buffer | string, coding: ContentCoding, maxRandomBytes: number): Buffer {
  let compressed: Buffer;
  if (coding === 'gzip') compressed = zlib.gzipSync(body, GZIP_OPTIONS);
  else if (coding === 'br') compressed = zlib.brotliCompressSync(body, BROTLI_OPTIONS);
  else compressed = (zstd as ZstdZlib).zstdCompressSync(body);
  return pad(compressed, coding, maxRandomBytes);
}

/**
 * Compresses a whole body on libuv's thread pool (for bodies past `SYNC_COMPRESS_LIMIT`).
 * @example
 * const br = await compressAsync(bigExport, 'br', 0);
 */
export async function compressAsync(body: Buffer | string, coding: ContentCoding, maxRandomBytes: number): Promise<Buffer> {
  let compressed: Buffer;
  if (coding === 'gzip') compressed = await gzipAsync(body, GZIP_OPTIONS);
  else if (coding === 'br') compressed = await brotliAsync(body, BROTLI_OPTIONS);
  else compressed = await (zstdAsync as (input: Buffer | string) => Promise<Buffer>)(body);
  return pad(compressed, coding, maxRandomBytes);
}

/** A zlib stream for the coding, and the flush that makes it give out all it holds. */
function createCompressor(coding: ContentCoding): { stream: zlib.Gzip | zlib.BrotliCompress; flushKind: number } {
  if (coding === 'gzip') return { stream: zlib.createGzip(GZIP_OPTIONS), flushKind: zlib.constants.Z_SYNC_FLUSH };
  if (coding === 'br') return { stream: zlib.createBrotliCompress(BROTLI_OPTIONS), flushKind: zlib.constants.BROTLI_OPERATION_FLUSH };
  // ZSTD_e_flush is 1 (zstd.h), the value node:zlib's zstd stream takes as its flush kind.
  return { stream: (zstd as ZstdZlib).createZstdCompress(), flushKind: 1 };
}

/** What the compressor has given out since the last call, as one Buffer. */
function take(output: Buffer[]): Buffer {
  if (output.length === 1) return output.pop() as Buffer;
  const joined = Buffer.concat(output);
  output.length = 0;
  return joined;
}

/** Chunks that arrive back to back are compressed together, up to this many bytes. */
const BATCH_LIMIT = 16 * 1024;
/** What `nextOrWaiting` answers when the source has nothing ready yet. */
const WAITING = Symbol('waiting');

/**
 * The source's next chunk if it is ready now (a sync generator, an async one that does not wait
 * on anything), else WAITING: the promise is raced against the next turn of the event loop.
 */
function nextOrWaiting(next: Promise<IteratorResult<Buffer>>): Promise<IteratorResult<Buffer> | typeof WAITING> {
  return Promise.race([next, new Promise<typeof WAITING>((resolve) => setImmediate(resolve, WAITING))]);
}

/**
 * Compresses a stream of chunks into ONE compressed stream (not one gzip member per chunk, as
 * Django's async path does), flushed whenever the source stops to wait, so that whatever the
 * application has produced reaches the client before it waits (server-sent events, progress
 * lines), as Django's `compress_sequence(flush_each=True)` does for every chunk. Chunks the
 * source has ready back to back (rows of a CSV built in a loop) are compressed together, up to
 * 16 KiB, and flushed once: a flush per 20-byte row would cost a trip to the thread pool each
 * and make the output bigger than the input. Once it has handed a compressed chunk out, it reads
 * at most one chunk ahead until the consumer (the socket, through `pipeline`) asks for the next,
 * so backpressure reaches the source and a 100 MB stream is never held in memory. The first
 * compressed chunk carries the BREACH padding (see `pad`).
 *
 * @example
 * response.streamingContent = compressChunks(response.streamingContent, 'gzip', 100);
 */
export async function* compressChunks(source: AsyncIterable<Buffer>, coding: ContentCoding, maxRandomBytes: number): AsyncGenerator<Buffer> {
  const { stream, flushKind } = createCompressor(coding);
  const output: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => output.push(chunk));
  const ended = once(stream, 'end'); // rejects with the stream's error
  ended.catch(() => undefined); // seen below, or the stream was destroyed early
  const iterator = source[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<Buffer>> | null = iterator.next();
  const batch: Buffer[] = [];
  let batched = 0;
  let padded = false;
  try {
    for (;;) {
      let result = await nextOrWaiting(next);
      if (result === WAITING || batched >= BATCH_LIMIT) {
        if (batched > 0) {
          // One write per batch: each write to a zlib stream is a trip to the thread pool.
          stream.write(batch.length === 1 ? batch[0] : Buffer.concat(batch, batched));
          batch.length = 0;
          batched = 0;
          await new Promise<void>((resolve) => stream.flush(flushKind, resolve));
          if (output.length > 0) {
            yield padded ? take(output) : pad(take(output), coding, maxRandomBytes);
            padded = true;
          }
        }
        if (result === WAITING) result = await next;
      }
      if (result.done === true) break;
      if (result.value.length > 0) {
        batch.push(result.value);
        batched += result.value.length;
      }
      next = iterator.next();
    }
    next = null;
    if (batched > 0) stream.write(batch.length === 1 ? batch[0] : Buffer.concat(batch, batched));
    stream.end();
    await ended;
    if (output.length > 0) yield padded ? take(output) : pad(take(output), coding, maxRandomBytes);
  } finally {
    stream.destroy();
    // Stopped early (the client went away): the read ahead may still settle, or fail.
    next?.catch(() => undefined);
  }
}
