/**
 * The third layer of HttpRequest (http-request.ts): reading the body. `loadBody()` reads it before
 * the handler (SPEC §3), `readBody()` keeps it in memory, `read()`/`readline()`/`readlines()` and
 * `for await (const line of request)` read it as Django's file-like request does. The body's
 * states and Django's rules between them are in request-payload.ts, the stream in body-stream.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Settings } from '../core/settings';
import type { BodyStream } from './body-stream';
import type { MultipartOptions } from './multipart-parser';
import { QueryDict } from './query-dict';
import { takeBuffered } from './request-body';
import { RequestLocation } from './request-location';
import { RequestPayload } from './request-payload';

const MULTIPART = 'multipart/form-data';
const EMPTY_BODY = Buffer.alloc(0);
const RESOLVED = Promise.resolve();

/**
 * A request's body, as bytes and as a stream (see the module's comment); `HttpRequest` is the
 * class to use.
 * @example for await (const line of request) rows.push(line.toString('utf8'));
 */
export abstract class RequestBodyReader extends RequestLocation {
  /** The body's state, once something read it (null for a request without a body until then). */
  protected _payload: RequestPayload | null;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    super(req, settings);
    this._payload = null;
  }

  /**
   * Read the body (idempotent). The pipeline awaits it before the handler; a middleware that
   * needs the body earlier awaits it too. Rejects with RequestDataTooBig over the limits,
   * UnreadablePostError (400) when the body is cut short, or the multipart parser's errors.
   */
  loadBody(): Promise<void> {
    const payload = this._payload;
    if (payload !== null) return payload.loaded();
    if (!this.carriesBody()) return RESOLVED;
    return (this._payload = RequestPayload.receive(this)).loaded();
  }

  /**
   * The whole body in memory (Django's `request.body`, awaited): a multipart body too, within
   * `dataUploadMaxMemorySize`, and `POST`/`FILES` then come from that copy. Call it before the
   * body was loaded (in a middleware) to keep a multipart body; afterwards it is `body`.
   * @example const signature = hmac(await request.readBody());
   */
  async readBody(): Promise<Buffer> {
    if (this._payload === null && this.carriesBody()) this._payload = RequestPayload.buffer(this);
    await this.loadBody();
    return this.body;
  }

  /**
   * Takes a body that is not multipart when the stream's buffer already holds all of it, without
   * a promise: true when the body is then loaded. Anything else (a body still arriving, one to
   * refuse, multipart) is left to `loadBody()`. The bare pipeline calls it on the tick after the
   * head, when node:http has pushed the body that came with it.
   * @internal
   */
  loadBufferedBody(): boolean {
    if (this._payload !== null || this.contentType === MULTIPART) return false;
    const body = takeBuffered(this.req, this.settings);
    if (body === null) return false;
    this._payload = RequestPayload.inMemory(body);
    return true;
  }

  /**
   * True when the body stream was not read to its end (refused early, aborted, never read, or
   * read only in part by `read()`): the connection then carries unread bytes and should be
   * closed after the response.
   */
  get bodyIncomplete(): boolean {
    // A body taken whole from the stream's buffer was read, though the stream ends later.
    return this._payload?.complete !== true && !this.req.readableEnded && this.carriesBody();
  }

  /**
   * The raw body (empty Buffer when none). Throws RawPostDataException ("You cannot access body
   * after reading from request's data stream") when the body was streamed: through the multipart
   * parser, or by `read()` before it was loaded.
   */
  get body(): Buffer {
    const payload = this._payload;
    if (payload !== null) return payload.body();
    if (this.carriesBody()) throw notLoaded('body');
    return EMPTY_BODY;
  }

  /** Alias of `body` (Django 1.x's name). */
  get rawPostData(): Buffer {
    return this.body;
  }

  /**
   * Up to `size` bytes of the body (all that is left without a size), an empty Buffer at its end
   * (Django's file-like `request.read()`). Before the body was loaded it reads the request stream
   * itself, and `body` then throws RawPostDataException while `POST` is empty; after, it reads
   * the body in memory. Rejects with RequestDataTooBig past `maxUploadSize` (or, without a size,
   * past `dataUploadMaxMemorySize`), UnreadablePostError when the client goes away.
   * @example const data = JSON.parse((await request.read()).toString('utf8'));
   */
  async read(size?: number): Promise<Buffer> {
    return (await this.bodyStream()).read(size);
  }

  /**
   * The next line of the body with its '\n' (at most `size` bytes), an empty Buffer at its end.
   * @example const header = await request.readline();
   */
  async readline(size?: number): Promise<Buffer> {
    return (await this.bodyStream()).readline(size);
  }

  /**
   * The rest of the body, line by line.
   * @example const rows = (await request.readlines()).map((line) => line.toString().trim());
   */
  async readlines(): Promise<Buffer[]> {
    return (await this.bodyStream()).readlines();
  }

  /**
   * Iterates the body's lines as Buffers (Django's `for line in request`), reading as it goes.
   * @example for await (const line of request) rows.push(line.toString('utf8'));
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    const stream = await this.bodyStream();
    for (let line = await stream.readline(); line.length > 0; line = await stream.readline()) yield line;
  }

  /** Whether the request brought uploaded files that `cleanup()` will remove. */
  get hasUploadedFiles(): boolean {
    const files = this._payload?.files;
    return files != null && files.size > 0;
  }

  /** Remove spilled upload files (the pipeline calls it once the response is finished). */
  cleanup(): Promise<void> {
    return this._payload === null ? RESOLVED : this._payload.cleanup();
  }

  /** Whether the body goes through the multipart parser (for RequestPayload). @internal */
  get multipartBody(): boolean {
    return this.contentType === MULTIPART;
  }

  /** The multipart parser's options for this request (for RequestPayload). @internal */
  multipartOptions(): MultipartOptions {
    return {
      contentType: this.metaValue('CONTENT_TYPE', 'content-type') ?? '',
      encoding: this.encoding,
      settings: this.settings,
      fieldsAlreadyCounted: QueryDict.countFields(this.rawQuery),
    };
  }

  /** The body's reader: made on the first `read()`, over the live stream when nothing loaded the body yet. */
  private async bodyStream(): Promise<BodyStream> {
    let payload = this._payload;
    if (payload === null) {
      if (!this.carriesBody()) payload = RequestPayload.inMemory(EMPTY_BODY);
      else payload = RequestPayload.streaming(this);
      this._payload = payload;
    }
    return payload.reader();
  }

  /** The loaded payload (null without a body); throws when it failed or is still loading. */
  protected payloadLoaded(attribute: string): RequestPayload | null {
    const payload = this._payload;
    if (payload === null) {
      if (this.carriesBody()) throw notLoaded(attribute);
      return null;
    }
    payload.assertLoaded(attribute);
    return payload;
  }
}

function notLoaded(attribute: string): Error {
  return new Error(`request.${attribute} was read before the request body was loaded: await request.loadBody() first.`);
}
