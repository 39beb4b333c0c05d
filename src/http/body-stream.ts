/**
 * The request body as a file-like stream: Django's `HttpRequest.read()`, `readline()`,
 * `readlines()` and iteration over lines (django/http/request.py), over WSGI's `LimitedStream`
 * (django/core/handlers/wsgi.py), which never reads past the declared Content-Length.
 *
 * Node streams are asynchronous, so every read is awaited and gives a Buffer. A BodyStream reads
 * either the live request stream (nothing of the body was read yet: the bytes come off the socket
 * as they are asked for, nothing is kept) or a body already in memory (Django's `BytesIO(body)`
 * once `body` was read).
 */
import type { Readable } from 'node:stream';
import { RequestDataTooBig, UnreadablePostError } from './errors';
import { BODY_INCOMPLETE, DATA_TOO_BIG, UPLOAD_TOO_BIG, type BodyLimits } from './request-body';

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/** Bytes read off a live stream and not handed out yet. */
interface Pending {
  chunks: Buffer[];
  length: number;
}

/**
 * One request's body, read as a stream.
 * @example
 * const head = await stream.read(4);       // at most 4 bytes; fewer only at the end
 * const line = await stream.readline();    // up to and with the next '\n'
 */
export class BodyStream {
  /** The live request stream, or null when reading `buffer`. */
  private readonly source: Readable | null;
  private readonly contentLength: number | null;
  private readonly limits: BodyLimits | null;
  private readonly pending: Pending;
  /** The body in memory, read from `position` on. */
  private readonly buffer: Buffer;
  private position: number;
  private received: number;
  private ended: boolean;

  private constructor(source: Readable | null, buffer: Buffer, contentLength: number | null, limits: BodyLimits | null) {
    this.source = source;
    this.buffer = buffer;
    this.contentLength = contentLength;
    this.limits = limits;
    this.pending = { chunks: [], length: 0 };
    this.position = 0;
    this.received = 0;
    this.ended = source === null;
  }

  /** A stream over a body already in memory (Django's `BytesIO(self._body)`). */
  static fromBuffer(body: Buffer): BodyStream {
    return new BodyStream(null, body, null, null);
  }

  /**
   * A stream reading `source` as it is asked: `maxUploadSize` bounds everything read off it,
   * `dataUploadMaxMemorySize` what one call holds at once when it has no size.
   */
  static fromReadable(source: Readable, contentLength: number | null, limits: BodyLimits): BodyStream {
    // An error between two reads must not go unhandled (node:http drops it when nobody listens;
    // a hand-made stream would throw it): the next read finds it in `errored`.
    source.on('error', ignoreError);
    return new BodyStream(source, EMPTY, contentLength, limits);
  }

  /** Whether this reads the live request stream (rather than a body in memory). */
  get live(): boolean {
    return this.source !== null;
  }

  /** Whether the whole body was read off the live stream (nothing is left on the connection). */
  get finished(): boolean {
    return this.ended;
  }

  /**
   * Up to `size` bytes (all that is left without a size, or with a negative one); an empty
   * Buffer at the end. Fewer than `size` only at the end, as Python's `BufferedReader.read`.
   */
  async read(size = -1): Promise<Buffer> {
    if (this.source === null) {
      const end = size < 0 ? this.buffer.length : Math.min(this.buffer.length, this.position + size);
      const chunk = this.buffer.subarray(this.position, end);
      this.position = end;
      return chunk;
    }
    while (!this.ended && (size < 0 || this.pending.length < size)) {
      if (size < 0) this.checkHeld(this.pending.length);
      await this.pull();
    }
    return this.take(size < 0 ? this.pending.length : Math.min(size, this.pending.length));
  }

  /**
   * The next line, with its '\n' (at most `size` bytes with a size); an empty Buffer at the end.
   */
  async readline(size = -1): Promise<Buffer> {
    if (this.source === null) {
      const newline = this.buffer.indexOf(NEWLINE, this.position);
      let end = newline === -1 ? this.buffer.length : newline + 1;
      if (size >= 0) end = Math.min(end, this.position + size);
      const line = this.buffer.subarray(this.position, end);
      this.position = end;
      return line;
    }
    let searched = 0;
    for (;;) {
      const newline = this.indexOfNewline(searched);
      if (newline !== -1 && (size < 0 || newline < size)) return this.take(newline + 1);
      if (size >= 0 && this.pending.length >= size) return this.take(size);
      if (this.ended) return this.take(this.pending.length);
      searched = this.pending.length;
      if (size < 0) this.checkHeld(this.pending.length);
      await this.pull();
    }
  }

  /** Every line left (Django's `readlines()`). */
  async readlines(): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    for (let line = await this.readline(); line.length > 0; line = await this.readline()) lines.push(line);
    return lines;
  }

  /** The index of the first '\n' in the pending bytes at or after `from`, or -1. */
  private indexOfNewline(from: number): number {
    let offset = 0;
    for (const chunk of this.pending.chunks) {
      if (from < offset + chunk.length) {
        const index = chunk.indexOf(NEWLINE, Math.max(0, from - offset));
        if (index !== -1) return offset + index;
      }
      offset += chunk.length;
    }
    return -1;
  }

  /** Hands out the first `count` pending bytes. */
  private take(count: number): Buffer {
    const pending = this.pending;
    if (count === 0) return EMPTY;
    const all = pending.chunks.length === 1 ? pending.chunks[0] : Buffer.concat(pending.chunks, pending.length);
    const out = all.subarray(0, count);
    const rest = all.subarray(count);
    pending.chunks = rest.length === 0 ? [] : [rest];
    pending.length = rest.length;
    return out;
  }

  /** A read without a size holds everything it waits for: `dataUploadMaxMemorySize` bounds it. */
  private checkHeld(length: number): void {
    const max = this.limits?.maxMemorySize ?? null;
    if (max !== null && length > max) throw new RequestDataTooBig(DATA_TOO_BIG);
  }

  /** Reads what the source has, waiting for it when it has nothing yet; sets `ended` at its end. */
  private async pull(): Promise<void> {
    const source = this.source as Readable;
    for (;;) {
      const chunk = source.read() as Buffer | string | null;
      if (chunk !== null) {
        this.add(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        return;
      }
      if (source.readableEnded) {
        this.finish();
        return;
      }
      if (source.destroyed || source.errored !== null) throw incomplete(source.errored);
      await nextEvent(source);
    }
  }

  private add(data: Buffer): void {
    const contentLength = this.contentLength;
    // Never past the declared length (WSGI's LimitedStream); node:http never sends more.
    const chunk = contentLength !== null && this.received + data.length > contentLength ? data.subarray(0, contentLength - this.received) : data;
    this.received += chunk.length;
    const max = this.limits?.maxUploadSize ?? null;
    if (max !== null && this.received > max) throw new RequestDataTooBig(UPLOAD_TOO_BIG);
    this.pending.chunks.push(chunk);
    this.pending.length += chunk.length;
    if (this.received === contentLength) {
      this.ended = true;
      // Let the stream run to its end by itself (node:http then lets go of the message).
      (this.source as Readable).resume();
    }
  }

  private finish(): void {
    // node:http never ends a message short of its Content-Length (it errors instead); a stream
    // made by hand might.
    if (this.contentLength !== null && this.received < this.contentLength) throw incomplete(null);
    this.ended = true;
  }
}

function ignoreError(): void {}

/** Resolves at the source's next 'readable', 'end', 'error' or 'close'. */
function nextEvent(source: Readable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      source.off('readable', done);
      source.off('end', done);
      source.off('error', done);
      source.off('close', done);
      resolve();
    };
    source.on('readable', done);
    source.on('end', done);
    source.on('error', done);
    source.on('close', done);
  });
}

function incomplete(cause: Error | null): UnreadablePostError {
  const error = new UnreadablePostError(BODY_INCOMPLETE);
  if (cause !== null) (error as Error & { cause?: unknown }).cause = cause;
  return error;
}
