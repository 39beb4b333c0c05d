/**
 * multipart/form-data parsing (Django's django/http/multipartparser.py, `MultiPartParser`),
 * streamed through busboy: fields go to an immutable `QueryDict`, files to a
 * `MultiValueDict<UploadedFile>`, each file kept in memory up to `fileUploadMaxMemorySize` and
 * spilled to a 0600 temporary file beyond it. Every limit of SPEC §6 is enforced while the body
 * flows, and on any failure the temporary files made so far are removed before the promise
 * rejects, so an aborted or refused upload leaves nothing on disk.
 */
import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Settings } from '../core/settings';
import { MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent } from './errors';
import { parseHeaderParameters } from './media-type';
import { MultiValueDict } from './multi-value-dict';
import { pythonQuote } from './django-text';
import { QueryDict, decodeInCharset, unquoteInCharset } from './query-dict';
import { sanitizeFileName } from './upload-filename';
import { InMemoryUploadedFile, TemporaryUploadedFile, type UploadedFile, type UploadedFileInit } from './uploaded-file';

/** What `parseMultipart` resolves to: Django's `(POST, FILES)` pair. */
export interface MultipartResult {
  post: QueryDict;
  files: MultiValueDict<UploadedFile>;
}

/** Options of {@link parseMultipart}. */
export interface MultipartOptions {
  /** The full Content-Type header value, boundary included. */
  contentType: string;
  /** The request encoding field values are decoded in (e.g. 'utf-8'). */
  encoding: string;
  /** Limits and `fileUploadTempDir`. */
  settings: Readonly<Settings>;
  /** GET fields already counted against `dataUploadMaxNumberFields`. */
  fieldsAlreadyCounted: number;
}

// Django's boundary check (printable ASCII, not ending in a space), held to RFC 2046 §5.1.1's
// 70 characters.
const VALID_BOUNDARY = /^[ -~]{0,69}[!-~]$/;
// busboy 1.x refuses part headers longer than this (a fixed limit, not configurable).
const PART_HEADER_LIMIT = 16 * 1024;

const TOO_MANY_FIELDS = 'The number of GET/POST parameters exceeded settings.dataUploadMaxNumberFields.';
const TOO_MANY_FILES = 'The number of files exceeded settings.dataUploadMaxNumberFiles.';
const FIELDS_TOO_BIG = 'Request body exceeded settings.dataUploadMaxMemorySize.';
const BODY_TOO_BIG = 'Request body exceeded settings.maxUploadSize.';
const ABORTED = 'The client aborted the upload before the request body was complete.';

/**
 * Parse a multipart/form-data request body into POST and FILES.
 * Rejects with `MultiPartParserError` (bad boundary, malformed or truncated body, aborted upload),
 * `RequestDataTooBig`, `TooManyFieldsSent` or `TooManyFilesSent`; the request stream is then
 * left unpiped and paused (whoever answers should close the connection).
 * @example
 * const { post, files } = await parseMultipart(req, {
 *   contentType: req.headers['content-type']!, encoding: 'utf-8', settings, fieldsAlreadyCounted: 0,
 * });
 * try { ... } finally { await removeUploadedFiles(files); }
 */
export function parseMultipart(req: Readable, options: MultipartOptions): Promise<MultipartResult> {
  try {
    const boundary = readBoundary(options.contentType);
    return new MultipartUpload(req, boundary, options).promise;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Close every upload, deleting the temporary files (run after the response; safe to repeat).
 * @example await removeUploadedFiles(request.FILES);
 */
export async function removeUploadedFiles(files: MultiValueDict<UploadedFile>): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const [, list] of files.lists()) {
    for (const file of list) closing.push(file.close());
  }
  await Promise.all(closing);
}

/** The boundary of a multipart Content-Type, checked as Django's `MultiPartParser.__init__` does. */
function readBoundary(contentType: string): string {
  // Node hands header values over as latin-1, so any byte over 0x7F shows up as such a character.
  if (/[^\x00-\x7f]/.test(contentType)) {
    throw new MultiPartParserError(`Invalid non-ASCII Content-Type in multipart: ${contentType}`);
  }
  const [mediaType, params] = parseHeaderParameters(contentType);
  if (!mediaType.startsWith('multipart/')) {
    throw new MultiPartParserError(`Invalid Content-Type: ${contentType}`);
  }
  const boundary = params.boundary;
  if (!boundary || !VALID_BOUNDARY.test(boundary)) {
    throw new MultiPartParserError(`Invalid boundary in multipart: ${boundary ?? 'None'}`);
  }
  return boundary;
}

/** Turn busboy's terse errors into messages that say what was wrong with the body. */
function parserError(error: unknown): MultiPartParserError {
  const message = error instanceof Error ? error.message : String(error);
  if (message === 'Unexpected end of form' || message === 'Unexpected end of file') {
    return new MultiPartParserError('Multipart body ended before its closing boundary (truncated upload).');
  }
  if (message === 'Malformed part header') {
    return new MultiPartParserError(
      `Malformed multipart part header (or a part header longer than ${PART_HEADER_LIMIT} bytes).`,
    );
  }
  return new MultiPartParserError(`Malformed multipart body: ${message}.`);
}

/** busboy decodes these itself; other encodings are read as bytes and decoded here. */
function isUtf8(encoding: string): boolean {
  const lower = encoding.toLowerCase();
  return lower === 'utf-8' || lower === 'utf8';
}

/** The state of one body being parsed. Internal: `parseMultipart` is the API. */
class MultipartUpload {
  readonly promise: Promise<MultipartResult>;
  settled: boolean;
  private readonly req: Readable;
  private readonly settings: Readonly<Settings>;
  private readonly post: QueryDict;
  private readonly parts: FilePart[];
  private readonly bb: busboy.Busboy;
  /** null for utf-8 (busboy decodes); else the request's charset, for bytes busboy read as latin-1. */
  private readonly encoding: string | null;
  private resolve!: (result: MultipartResult) => void;
  private reject!: (error: unknown) => void;
  private bytesReceived: number;
  private fieldBytes: number;
  private pending: number;
  private busboyDone: boolean;
  /** Headers of the part busboy is reading, as the client sent them (see `tapPartHeaders`). */
  private partHeaders: PartHeaders | null;
  /** The charset the part's own Content-Type names, if any (busboy read the part as latin-1). */
  private partCharset: string | null;

  constructor(req: Readable, boundary: string, options: MultipartOptions) {
    this.promise = new Promise<MultipartResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.settled = false;
    this.req = req;
    this.settings = options.settings;
    this.post = new QueryDict(null, { mutable: true, encoding: options.encoding });
    this.parts = [];
    this.encoding = isUtf8(options.encoding) ? null : options.encoding;
    this.bytesReceived = 0;
    this.fieldBytes = 0;
    this.pending = 0;
    this.busboyDone = false;
    this.partHeaders = null;
    this.partCharset = null;

    const { dataUploadMaxNumberFields: maxFields, dataUploadMaxNumberFiles: maxFiles } = this.settings;
    const fieldsLeft = maxFields === null ? Infinity : maxFields - options.fieldsAlreadyCounted;
    if (fieldsLeft < 0) throw new TooManyFieldsSent(TOO_MANY_FIELDS);
    const filesLeft = maxFiles ?? Infinity;
    const maxMemory = this.settings.dataUploadMaxMemorySize;
    const charset = this.encoding === null ? 'utf8' : 'latin1';
    this.bb = busboy({
      // The boundary busboy splits on is the one checked above, quoted so nothing is re-read.
      headers: { 'content-type': `multipart/form-data; boundary="${boundary.replace(/["\\]/g, '\\$&')}"` },
      preservePath: true, // the raw file name: sanitizeFileName strips paths as Django does
      defCharset: charset,
      defParamCharset: charset,
      limits: {
        // One byte over the memory limit marks a field that is too big on its own.
        fieldSize: maxMemory === null ? Infinity : maxMemory + 1,
        fields: fieldsLeft,
        files: filesLeft,
        // Parts with neither field nor file (no Content-Disposition) count as fields, as Django's
        // RAW items do, with Django's slack of two (`DATA_UPLOAD_MAX_NUMBER_FIELDS + 2`).
        parts: fieldsLeft + filesLeft + 3,
        fileSize: Infinity,
      },
    });
    this.tapPartHeaders();
    this.bb.on('field', (name, value, info) => this.onField(name, value, info.valueTruncated));
    this.bb.on('file', (name, stream, info) => this.onFile(name, stream, info));
    this.bb.on('fieldsLimit', () => this.fail(new TooManyFieldsSent(TOO_MANY_FIELDS)));
    this.bb.on('partsLimit', () => this.fail(new TooManyFieldsSent(TOO_MANY_FIELDS)));
    this.bb.on('filesLimit', () => this.fail(new TooManyFilesSent(TOO_MANY_FILES)));
    this.bb.on('error', (error) => this.fail(parserError(error)));
    this.bb.on('close', () => {
      this.busboyDone = true;
      this.maybeFinish();
    });

    this.onData = this.onData.bind(this);
    this.onAbort = this.onAbort.bind(this);
    this.onClose = this.onClose.bind(this);
    // Counting before piping: the size check sees each chunk before busboy does.
    req.on('data', this.onData);
    req.on('aborted', this.onAbort);
    req.on('error', this.onAbort);
    req.on('close', this.onClose);
    req.pipe(this.bb);
  }

  /** Called by a file part once its upload is complete (or discarded). */
  partDone(): void {
    this.pending--;
    this.maybeFinish();
  }

  /** Reject once, after closing and removing every temporary file made so far. */
  fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.detach();
    this.bb.destroy();
    const reject = this.reject;
    Promise.all(this.parts.map((part) => part.discard())).then(
      () => reject(error),
      () => reject(error),
    );
  }

  private onData(chunk: Buffer | string): void {
    this.bytesReceived += chunk.length;
    const max = this.settings.maxUploadSize;
    if (max !== null && this.bytesReceived > max) this.fail(new RequestDataTooBig(BODY_TOO_BIG));
  }

  private onAbort(): void {
    this.fail(new MultiPartParserError(ABORTED));
  }

  private onClose(): void {
    if (!this.req.readableEnded) this.fail(new MultiPartParserError(ABORTED));
  }

  private onField(name: string | undefined, value: string, truncated: boolean): void {
    if (this.settled) return;
    const max = this.settings.dataUploadMaxMemorySize;
    if (truncated) return this.fail(new RequestDataTooBig(FIELDS_TOO_BIG));
    let size: number;
    if (this.partCharset === null && this.encoding === null) {
      size = Buffer.byteLength(value, 'utf8');
    } else {
      // busboy read the bytes as latin-1: decode them in the part's own charset (RFC 7578 §4.4)
      // or, when it names none or one unknown, in the request's (Django's only choice).
      const bytes = Buffer.from(value, 'latin1');
      size = bytes.length;
      value =
        (this.partCharset === null ? null : decodeInCharset(bytes, this.partCharset)) ??
        (this.encoding === null ? null : decodeInCharset(bytes, this.encoding)) ??
        bytes.toString('utf8');
    }
    // Django adds 2 to the name, as the urlencoded check counts '&' and '='.
    this.fieldBytes += size + (name?.length ?? 0) + 2;
    if (max !== null && this.fieldBytes > max) return this.fail(new RequestDataTooBig(FIELDS_TOO_BIG));
    // Django skips a part without a name (and strips the name it has).
    const fieldName = name?.trim();
    if (fieldName) this.post.appendList(fieldName, value);
  }

  private onFile(name: string | undefined, stream: Readable, info: busboy.FileInfo): void {
    const fileName = info.filename === undefined ? null : sanitizeFileName(info.filename);
    const fieldName = name?.trim();
    if (this.settled || !fieldName || fileName === null) {
      // Django's `if not file_name: continue`: the part is read and dropped. busboy destroys the
      // stream with an error if the body fails meanwhile; that error is the body's, reported once.
      stream.on('error', noop);
      stream.resume();
      return;
    }
    const headers = this.partHeaders;
    const contentType = headers === null ? info.mimeType : headers['content-type'] ? info.mimeType : '';
    let extra: Record<string, string> = {};
    const rawType = headers?.['content-type']?.[0];
    if (rawType !== undefined) {
      try {
        extra = { ...parseHeaderParameters(rawType)[1] };
      } catch {
        extra = {};
      }
    }
    const part = new FilePart(this, stream, this.settings, {
      name: fileName,
      fieldName,
      contentType,
      charset: extra.charset ?? null,
      contentTypeExtra: extra,
    });
    this.parts.push(part);
    this.pending++;
  }

  private maybeFinish(): void {
    if (this.settled || !this.busboyDone || this.pending !== 0) return;
    this.settled = true;
    this.detach();
    const files = new MultiValueDict<UploadedFile>();
    // In part order, whatever order their temporary files finished writing in.
    for (const part of this.parts) {
      if (part.file !== null) files.appendList(part.fieldName, part.file);
    }
    this.post._freeze();
    this.resolve({ post: this.post, files });
  }

  /** Stop reading the request: unpipe and pause it, and drop every listener but a quiet 'error'. */
  private detach(): void {
    const req = this.req;
    req.unpipe(this.bb);
    req.off('data', this.onData);
    req.off('aborted', this.onAbort);
    req.off('close', this.onClose);
    req.off('error', this.onAbort);
    // A stream error after we are done must not crash the process; the caller owns it from here.
    req.on('error', noop);
    req.pause();
  }

  /**
   * busboy 1.x reports a file part's media type but not its parameters (`charset`), nor whether it
   * had a Content-Type at all. Its header parser hands each part's parsed headers to a callback
   * (`_hparser.cb`) just before it emits 'file'; wrapping that callback keeps the headers of the
   * part being read. If a busboy release renames these internals, the tap is skipped and files get
   * busboy's media type with no charset (the tests of `charset` would say so).
   */
  private tapPartHeaders(): void {
    const bb = this.bb as unknown as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(bb, '_hparser')) return;
    let parser: unknown = bb._hparser;
    let wrapped = false;
    Object.defineProperty(bb, '_hparser', {
      configurable: true,
      get: () => parser,
      set: (value: unknown) => {
        const candidate = value as { cb?: (headers: PartHeaders) => void } | null;
        if (!wrapped && candidate !== null && typeof candidate.cb === 'function') {
          const callback = candidate.cb;
          candidate.cb = (headers: PartHeaders) => {
            this.partHeaders = headers;
            const { forBusboy, charset } = rewritePartHeaders(headers);
            this.partCharset = charset;
            callback(forBusboy);
          };
          wrapped = true;
        }
        parser = value;
      },
    });
  }
}

/** A part's headers as busboy parsed them: lower-cased names, every value. */
type PartHeaders = Record<string, string[]>;

const CHARSET_PARAM = /(;\s*charset\s*=\s*)("[^"]*"|[^;\s]*)/i;
const EXTENDED_FILENAME = /(;\s*filename\*\s*=\s*)("[^"]*"|[^;\s]*)/i;

/**
 * The part's headers as busboy should see them, so that it decodes nothing it cannot: busboy
 * knows a handful of charsets and answers `undefined` (a field value, a file name that vanish)
 * for the rest. A charset in the part's Content-Type becomes latin-1, which keeps the bytes for
 * `onField` to decode; an RFC 2231 `filename*` is decoded here, in any charset Python knows and
 * with invalid escapes kept as Python's `unquote` keeps them, and handed over as utf-8.
 */
function rewritePartHeaders(headers: PartHeaders): { forBusboy: PartHeaders; charset: string | null } {
  let forBusboy = headers;
  let charset: string | null = null;
  const type = headers['content-type']?.[0];
  const typeCharset = type === undefined ? null : CHARSET_PARAM.exec(type);
  if (type !== undefined && typeCharset !== null) {
    charset = unquoteParam(typeCharset[2]);
    forBusboy = { ...forBusboy, 'content-type': [type.replace(CHARSET_PARAM, '$1latin1'), ...headers['content-type'].slice(1)] };
  }
  const disposition = headers['content-disposition']?.[0];
  const extended = disposition === undefined ? null : EXTENDED_FILENAME.exec(disposition);
  if (disposition !== undefined && extended !== null) {
    const fileName = decodeExtendedValue(unquoteParam(extended[2]));
    if (fileName !== null) {
      const value = `utf-8''${pythonQuote(fileName)}`;
      forBusboy = {
        ...forBusboy,
        'content-disposition': [disposition.replace(EXTENDED_FILENAME, (_, prefix: string) => prefix + value), ...headers['content-disposition'].slice(1)],
      };
    }
  }
  return { forBusboy, charset };
}

function unquoteParam(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** RFC 2231 `charset'language'percent-encoded`, decoded as Django does; null when it is not of that shape. */
function decodeExtendedValue(value: string): string | null {
  const parts = value.split("'");
  if (parts.length !== 3) return null;
  const [charset, , encoded] = parts;
  return unquoteInCharset(encoded, charset === '' ? 'utf-8' : charset) ?? unquoteInCharset(encoded, 'utf-8');
}

/**
 * One file part being received: bytes collect in memory until they pass
 * `fileUploadMaxMemorySize`, then go to a temporary file with backpressure (the part's stream
 * pauses until the file's write buffer drains, which in turn holds busboy and the request).
 */
class FilePart {
  readonly fieldName: string;
  /** The finished upload, null until the part ends. */
  file: UploadedFile | null;
  private readonly upload: MultipartUpload;
  private readonly stream: Readable;
  private readonly maxMemory: number;
  private readonly tempDir: string;
  private readonly init: UploadedFileInit;
  private chunks: Buffer[];
  private size: number;
  private out: WriteStream | null;
  private tempPath: string | null;
  private discarded: boolean;

  constructor(upload: MultipartUpload, stream: Readable, settings: Readonly<Settings>, init: UploadedFileInit) {
    this.fieldName = init.fieldName as string;
    this.file = null;
    this.upload = upload;
    this.stream = stream;
    this.maxMemory = settings.fileUploadMaxMemorySize;
    this.tempDir = settings.fileUploadTempDir ?? tmpdir();
    this.init = init;
    this.chunks = [];
    this.size = 0;
    this.out = null;
    this.tempPath = null;
    this.discarded = false;
    this.onDrain = this.onDrain.bind(this);
    stream.on('data', this.onData.bind(this));
    stream.once('end', this.onEnd.bind(this));
    stream.on('error', (error: unknown) => upload.fail(parserError(error)));
  }

  /** Close and delete what this part wrote (the upload failed). */
  async discard(): Promise<void> {
    this.discarded = true;
    this.chunks = [];
    const out = this.out;
    if (out !== null && !out.closed) {
      // Wait for the descriptor to close (even one still opening) so the unlink below is final.
      await new Promise<void>((resolve) => {
        out.once('close', resolve);
        out.destroy();
      });
    }
    if (this.file !== null) await this.file.close();
    if (this.tempPath !== null) await fsp.rm(this.tempPath, { force: true });
  }

  private onData(chunk: Buffer): void {
    if (this.upload.settled) return;
    this.size += chunk.length;
    if (this.out !== null) {
      this.write(chunk);
      return;
    }
    this.chunks.push(chunk);
    if (this.size > this.maxMemory) this.spill();
  }

  /** Django's TemporaryFileUploadHandler: a random name, readable by this user only (0600). */
  private spill(): void {
    this.tempPath = path.join(this.tempDir, `reinhardt-upload-${randomBytes(16).toString('hex')}.upload`);
    const out = createWriteStream(this.tempPath, { flags: 'wx', mode: 0o600 });
    this.out = out;
    out.on('error', (error: unknown) => this.upload.fail(error));
    out.on('drain', this.onDrain);
    const held = this.chunks;
    this.chunks = [];
    for (const chunk of held) this.write(chunk);
  }

  private write(chunk: Buffer): void {
    if (!(this.out as WriteStream).write(chunk)) this.stream.pause();
  }

  private onDrain(): void {
    this.stream.resume();
  }

  private onEnd(): void {
    if (this.upload.settled) return;
    const out = this.out;
    if (out === null) {
      this.finish(() => new InMemoryUploadedFile(Buffer.concat(this.chunks, this.size), this.init));
      this.chunks = [];
      return;
    }
    out.once('close', () => {
      if (out.errored || this.discarded) return;
      this.finish(() => new TemporaryUploadedFile(this.tempPath as string, this.size, this.init));
    });
    out.end();
  }

  private finish(make: () => UploadedFile): void {
    try {
      this.file = make();
    } catch (error) {
      this.upload.fail(error);
      return;
    }
    this.upload.partDone();
  }
}

function noop(): void {}
