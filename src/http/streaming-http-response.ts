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

/** A byte stream can be sent as it is; text or object streams go through `encodeChunks`. */
function isByteStream(source: StreamingContent): source is Readable {
  return source instanceof Readable && !source.readableObjectMode && source.readableEncoding === null;
}

/** Ends what a source holds: destroys a stream, returns (runs `finally` of) a generator. */
function closeSource(source: StreamingContent): void {
  if (source instanceof Readable) {
    source.destroy();
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
 * no `content`: reading or setting it, `text`, `write`, `tell` and `getValue` throw.
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
    this._source = streamingContent;
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
    this._source = value;
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

  override getValue(): Buffer {
    throw new Error(`This ${this.constructor.name} instance has no \`content\` attribute. Use \`streamingContent\` instead.`);
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
