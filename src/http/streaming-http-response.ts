import { Readable } from 'node:stream';
import { HttpResponse, encodeText, toBuffer, type HttpResponseInit, type ResponseContent } from './http-response';

/** What a streaming body may come from: chunks of text or bytes, sync or async, or a Node stream. */
export type StreamingContent =
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>
  | Readable;

/** Chunks as bytes, text encoded with `charset` (Django's `map(self.make_bytes, self._iterator)`). */
async function* encodeChunks(source: StreamingContent, charset: string): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (typeof chunk === 'string') yield encodeText(chunk, charset);
    else if (chunk instanceof Uint8Array) yield toBuffer(chunk);
    else yield encodeText(String(chunk), charset);
  }
}

/** Hands out an iterator it was given, so that a second loop finds it spent. */
class SpentOnce<T> implements Iterable<T> {
  constructor(private readonly iterator: Iterator<T>) {}
  [Symbol.iterator](): Iterator<T> {
    return this.iterator;
  }
}

/**
 * Django's `self._iterator = iter(value)`: the body is read once, even from a list, which a
 * second loop would otherwise read again (the second `list(response)` of Django's
 * test_streaming_response is empty). Streams and generators are spent by reading already.
 */
function iterateOnce(value: StreamingContent): StreamingContent {
  if (isAsyncSource(value)) return value;
  const iterator = (value as Iterable<string | Uint8Array>)[Symbol.iterator]();
  if ((iterator as unknown) === value) return value;
  return typeof (iterator as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
    ? (iterator as unknown as Iterable<string | Uint8Array>)
    : new SpentOnce(iterator);
}

/** Whether chunks can only be had asynchronously (a stream, an async generator). */
function isAsyncSource(source: StreamingContent): boolean {
  return source instanceof Readable || typeof (source as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

/** A byte stream can be sent as it is; text or object streams go through `encodeChunks`. */
function isByteStream(source: StreamingContent): source is Readable {
  return source instanceof Readable && !source.readableObjectMode && source.readableEncoding === null;
}

function ignoreError(): void {}

/**
 * Destroys a stream nobody will read any more. A file stream destroyed before it was read (the
 * answer to a HEAD, a 304) still reports its opening failing (a file deleted meanwhile) as an
 * 'error' event; nobody listens then, and an 'error' without a listener ends the process.
 * @internal
 */
export function discardStream(stream: Readable): void {
  if (stream.listenerCount('error') === 0) stream.on('error', ignoreError);
  stream.destroy();
}

/** Ends what a source holds: destroys a stream, returns (runs `finally` of) a generator. */
function closeSource(source: StreamingContent): void {
  if (source instanceof Readable) {
    discardStream(source);
    return;
  }
  const iterator = source as Partial<Iterator<unknown> & AsyncIterator<unknown>>;
  if (typeof iterator.return === 'function') {
    try {
      const result = iterator.return() as unknown;
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // A generator that is running cannot be returned; it ends when its consumer stops.
    }
  }
}

/**
 * A response whose body is produced while it is sent (Django's `StreamingHttpResponse`), with
 * backpressure: the next chunk is read only when the socket has taken the previous one. It has
 * no `content`: reading or setting it, `text`, `write` and `tell` throw. Its body is read once,
 * whatever it was given as (a list too, as Django's `iter(value)`).
 *
 * @example
 * async function* rows() { for await (const row of db.cursor()) yield `${row.id},${row.name}\n`; }
 * return new StreamingHttpResponse(rows(), { contentType: 'text/csv' });
 */
export class StreamingHttpResponse extends HttpResponse {
  private _source: StreamingContent;
  private _sources: StreamingContent[];

  constructor(streamingContent: StreamingContent = [], init?: HttpResponseInit) {
    super(undefined, init);
    this._source = iterateOnce(streamingContent);
    this._sources = [streamingContent];
  }

  override get streaming(): boolean {
    return true;
  }

  /**
   * The body as an async iterable of Buffers. Like Django's iterator, read it once: a generator
   * or stream is consumed by reading.
   */
  get streamingContent(): AsyncIterable<Buffer> {
    const source = this._source;
    return isByteStream(source) ? (source as AsyncIterable<Buffer>) : encodeChunks(source, this.charset);
  }
  /** Replaces the body (for example to wrap it); every source set is closed by `close()`. */
  set streamingContent(value: StreamingContent) {
    this._source = iterateOnce(value);
    this._sources.push(value);
  }

  override get content(): Buffer {
    throw new Error(`This ${this.constructor.name} instance has no \`content\` attribute. Use \`streamingContent\` instead.`);
  }
  override set content(_value: ResponseContent) {
    throw new Error(`This ${this.constructor.name} instance has no \`content\` attribute. Use \`streamingContent\` instead.`);
  }

  override get text(): string {
    throw new Error(`This ${this.constructor.name} instance has no \`text\` attribute.`);
  }

  override get writable(): boolean {
    return false;
  }

  override write(_chunk: string | Uint8Array): void {
    throw new Error(`This ${this.constructor.name} instance is not writable`);
  }

  override tell(): number {
    throw new Error(`This ${this.constructor.name} instance cannot tell its position`);
  }

  /**
   * The rest of the body, joined (Django's `getvalue`, `b"".join(self.streaming_content)`): it
   * reads the body, so nothing is left to send afterwards.
   * @throws TypeError for a stream or an async iterable: Node cannot wait for them in a
   *   synchronous call (Django consumes them through `async_to_sync`, with a warning).
   * @example new StreamingHttpResponse(['hello', 'world']).getValue() // <Buffer 'helloworld'>
   */
  override getValue(): Buffer {
    const source = this._source;
    if (isAsyncSource(source)) {
      throw new TypeError(
        `This ${this.constructor.name} instance streams asynchronously: getValue() cannot read it; collect \`streamingContent\` with for await.`,
      );
    }
    const chunks: Buffer[] = [];
    for (const chunk of source as Iterable<unknown>) chunks.push(this.makeBytes(chunk));
    return Buffer.concat(chunks);
  }

  /** The header lines and a blank line: the body is not known until it is sent. */
  override serialize(): Buffer {
    return Buffer.concat([this.serializeHeaders(), Buffer.from('\r\n\r\n')]);
  }

  /** Destroys a stream source and returns generator sources, so their `finally` blocks run. */
  protected override releaseResources(): void {
    for (const source of this._sources) closeSource(source);
  }
}
