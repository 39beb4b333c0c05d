/**
 * The body of one request through its life, and Django's rules between the ways of reading it
 * (django/http/request.py: `body`, `_load_post_and_files`, `read`; django/http/parsers.py):
 *
 * - **in memory** (`buffer`, Django's `_body`): read whole before the handler, or by
 *   `request.readBody()`; `body`, `POST`, `read()` all work, `read()` from a cursor over it.
 * - **streamed through the multipart parser** before the handler: `POST` and `FILES` work,
 *   `body` raises RawPostDataException (the bytes were not kept), `read()` is at its end.
 * - **read as a stream by the code** (`read()`/`readline()` before the body was loaded, Django's
 *   `_read_started` without `_body`): `body` raises RawPostDataException, `POST`/`FILES` are empty.
 *
 * Only a request that carries a body gets one of these, made when something first reads it.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { Settings } from '../core/settings';
import { BodyStream } from './body-stream';
import { RawPostDataException } from './errors';
import type { MultiValueDict } from './multi-value-dict';
import { parseMultipart, removeUploadedFiles, type MultipartOptions } from './multipart-parser';
import type { QueryDict } from './query-dict';
import { bodyLimits, findRawHeader, parseContentLength, limitError, receiveBuffered, receiveMultipart, takeBuffered } from './request-body';
import type { UploadedFile } from './uploaded-file';

/** Django's message (django/http/request.py, `HttpRequest.body`). */
export const BODY_AFTER_STREAM = "You cannot access body after reading from request's data stream";

const EMPTY = Buffer.alloc(0);
const RESOLVED = Promise.resolve();

// States.
const LOADING = 0;
const LOADED = 1;
const FAILED = 2;

/** What a payload reads from its request (the request itself: nothing is made for it). */
export interface PayloadSource {
  readonly req: IncomingMessage;
  readonly settings: Readonly<Settings>;
  /** Whether the body goes through the multipart parser. */
  readonly multipartBody: boolean;
  /** For the multipart parser; asked only for a multipart body. */
  multipartOptions(): MultipartOptions;
}

/**
 * One request's body (see the module's comment).
 * @example
 * const payload = RequestPayload.receive(source);
 * await payload.loaded();
 */
export class RequestPayload {
  /** The body in memory (Django's `_body`), null when it was streamed or never kept. */
  buffer: Buffer | null;
  /** The fields and files of a multipart body, once parsed. */
  post: QueryDict | null;
  files: MultiValueDict<UploadedFile> | null;
  /** True once the code read the live request stream before the body was loaded. */
  streamed: boolean;
  private state: number;
  private promise: Promise<void>;
  private error: unknown;
  private stream: BodyStream | null;

  private constructor(buffer: Buffer | null) {
    this.buffer = buffer;
    this.post = null;
    this.files = null;
    this.streamed = false;
    this.state = buffer === null ? LOADING : LOADED;
    this.promise = RESOLVED;
    this.error = null;
    this.stream = null;
  }

  /** A body already taken whole from the stream's buffer. */
  static inMemory(body: Buffer): RequestPayload {
    return new RequestPayload(body);
  }

  /**
   * Reads the body as the pipeline does before the handler: multipart through the parser (nothing
   * kept), anything else into memory within the limits.
   */
  static receive(source: PayloadSource): RequestPayload {
    const payload = new RequestPayload(null);
    payload.promise = source.multipartBody ? payload.parse(source.req, source) : payload.bufferFrom(source);
    return payload;
  }

  /**
   * Reads the whole body into memory, multipart too (Django's `request.body`), within
   * `dataUploadMaxMemorySize`; a multipart body is then parsed from the copy in memory.
   */
  static buffer(source: PayloadSource): RequestPayload {
    const payload = new RequestPayload(null);
    payload.promise = payload.bufferFrom(source).then(() => (source.multipartBody ? payload.parse(Readable.from([payload.buffer as Buffer]), source) : undefined));
    payload.promise.catch(ignore);
    return payload;
  }

  /**
   * The code reads the live request stream before anything loaded the body: no body is kept,
   * and `loaded()` resolves at once (Django's `_read_started`).
   */
  static streaming(source: PayloadSource): RequestPayload {
    const payload = new RequestPayload(null);
    payload.state = LOADED;
    payload.streamed = true;
    const req = source.req;
    const limits = bodyLimits(source.settings, false);
    let contentLength: number | null = null;
    try {
      contentLength = parseContentLength(findRawHeader(req.rawHeaders ?? [], 'content-length'));
      // Only the whole request's limit applies before a byte is read: a read with a size holds
      // no more than it asked for.
      const tooBig = contentLength === null ? null : limitError(contentLength, { maxMemorySize: null, maxUploadSize: limits.maxUploadSize });
      if (tooBig !== null) throw tooBig;
    } catch (error) {
      payload.state = FAILED;
      payload.error = error;
    }
    payload.stream = BodyStream.fromReadable(req, contentLength, limits);
    return payload;
  }

  /** Resolves once the body is loaded (at once when it is); rejects with why it could not be. */
  loaded(): Promise<void> {
    return this.state === FAILED ? Promise.reject(this.error) : this.promise;
  }

  /** Whether the body was read to its end without error. */
  get complete(): boolean {
    return this.state === LOADED && (!this.streamed || (this.stream as BodyStream).finished);
  }

  /**
   * Throws what the body's loading failed with, or an Error saying it is still being loaded
   * (`attribute` names what was read too early).
   */
  assertLoaded(attribute: string): void {
    if (this.state === LOADED) return;
    if (this.state === FAILED) throw this.error;
    throw new Error(`request.${attribute} was read before the request body was loaded: await request.loadBody() first.`);
  }

  /** The body in memory; RawPostDataException when it was streamed (through the parser or by the code). */
  body(): Buffer {
    this.assertLoaded('body');
    if (this.buffer === null) throw new RawPostDataException(BODY_AFTER_STREAM);
    return this.buffer;
  }

  /**
   * The file-like stream: the live request stream when the code reads before the body was loaded,
   * else a cursor over the body in memory (at its end after a multipart body was parsed).
   */
  async reader(): Promise<BodyStream> {
    if (this.stream === null) {
      await this.loaded();
      this.stream ??= BodyStream.fromBuffer(this.buffer ?? EMPTY);
    } else if (this.state === FAILED) {
      throw this.error;
    }
    return this.stream;
  }

  /** Removes the files a multipart body spilled to disk. */
  cleanup(): Promise<void> {
    const files = this.files;
    return files === null || files.size === 0 ? RESOLVED : removeUploadedFiles(files);
  }

  private async bufferFrom(source: PayloadSource): Promise<void> {
    try {
      // node:http pushes a body that came with the head just after the 'request' event: after
      // one await it is usually all in the stream's buffer, taken without a further promise.
      await undefined;
      this.buffer = takeBuffered(source.req, source.settings) ?? (await receiveBuffered(source.req, source.settings));
      if (!source.multipartBody) this.state = LOADED;
    } catch (error) {
      this.fail(error);
    }
  }

  private async parse(stream: Readable, source: PayloadSource): Promise<void> {
    try {
      const options = source.multipartOptions();
      const { post, files } = stream === source.req ? await receiveMultipart(source.req, options) : await parseMultipart(stream, options);
      this.post = post;
      this.files = files;
      this.state = LOADED;
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): never {
    this.state = FAILED;
    this.error = error;
    throw error;
  }
}

function ignore(): void {}
