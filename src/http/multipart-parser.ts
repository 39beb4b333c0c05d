/**
 * multipart/form-data parsing (Django's django/http/multipartparser.py, `MultiPartParser`),
 * streamed through busboy: fields go to an immutable `QueryDict`, files to a
 * `MultiValueDict<UploadedFile>`. This module is the busboy adapter; Django's rules live beside
 * it: the part headers in multipart-part-headers.ts, the limits in multipart-limits.ts, receiving
 * a file in file-upload-part.ts, file names in upload-filename.ts. On any failure the temporary
 * files made so far are removed before the promise rejects, so an aborted or refused upload leaves
 * nothing on disk.
 */
import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Settings } from '../core/settings';
import { MultiPartParserError } from './errors';
import { FileUploadPart, type FilePartOwner } from './file-upload-part';
import { parseHeaderParameters } from './media-type';
import { MultiValueDict } from './multi-value-dict';
import { UploadLimits } from './multipart-limits';
import { takeOverPartHeaders, type PartHead } from './multipart-part-headers';
import { pythonB64Decode } from './python-base64';
import { QueryDict, decodeInCharset } from './query-dict';
import { sanitizeFileName } from './upload-filename';
import type { UploadedFile } from './uploaded-file';

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

// Django's `MultiPartParser.boundary_re`: printable ASCII, up to 201 characters, not ending in a
// space (RFC 2046 §5.1.1 allows 70; Django, and so we, accept longer ones).
const VALID_BOUNDARY = /^[ -~]{0,200}[!-~]$/;
const ABORTED = 'The client aborted the upload before the request body was complete.';

/**
 * Parse a multipart/form-data request body into POST and FILES.
 * Rejects with `MultiPartParserError` (bad boundary, malformed or truncated body, part headers over
 * 1,024 bytes, a base64 file that does not decode, aborted upload), `RequestDataTooBig`,
 * `TooManyFieldsSent` or `TooManyFilesSent`; the request stream is then left unpiped and paused
 * (whoever answers should close the connection).
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
  // Django compares case-sensitively; the request routes any case of multipart/ here, so ignore it.
  if (!contentType.slice(0, 10).toLowerCase().startsWith('multipart/')) {
    throw new MultiPartParserError(`Invalid Content-Type: ${contentType}`);
  }
  // Node hands header values over as latin-1, so any byte over 0x7F shows up as such a character.
  if (/[^\x00-\x7f]/.test(contentType)) {
    throw new MultiPartParserError(`Invalid non-ASCII Content-Type in multipart: ${contentType}`);
  }
  const boundary = parseHeaderParameters(contentType)[1].boundary;
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
  return new MultiPartParserError(`Malformed multipart body: ${message}.`);
}

/** The state of one body being parsed. Internal: `parseMultipart` is the API. */
class MultipartUpload implements FilePartOwner {
  readonly promise: Promise<MultipartResult>;
  settled: boolean;
  private readonly req: Readable;
  private readonly settings: Readonly<Settings>;
  private readonly limits: UploadLimits;
  private readonly post: QueryDict;
  private readonly parts: FileUploadPart[];
  private readonly bb: busboy.Busboy;
  /** The request's encoding, field values are decoded in when their part names no charset. */
  private readonly encoding: string;
  private resolve!: (result: MultipartResult) => void;
  private reject!: (error: unknown) => void;
  private pending: number;
  private busboyDone: boolean;
  /** Django's view of the part busboy is reading (see multipart-part-headers.ts). */
  private head: PartHead | null;

  constructor(req: Readable, boundary: string, options: MultipartOptions) {
    this.promise = new Promise<MultipartResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.settled = false;
    this.req = req;
    this.settings = options.settings;
    this.limits = new UploadLimits(this.settings, options.fieldsAlreadyCounted);
    this.post = new QueryDict(null, { mutable: true, encoding: options.encoding });
    this.parts = [];
    this.encoding = options.encoding;
    this.pending = 0;
    this.busboyDone = false;
    this.head = null;

    this.bb = busboy({
      // The boundary busboy splits on is the one checked above, quoted so nothing is re-read.
      headers: { 'content-type': `multipart/form-data; boundary="${boundary.replace(/["\\]/g, '\\$&')}"` },
      limits: this.limits.forBusboy(),
    });
    takeOverPartHeaders(
      this.bb,
      (head) => {
        this.head = head;
      },
      (error) => this.fail(error),
    );
    this.bb.on('field', (_name, value, info) => this.onField(value, info.valueTruncated));
    this.bb.on('file', (_name, stream) => this.onFile(stream));
    this.bb.on('fieldsLimit', () => this.fail(this.limits.tooManyFields()));
    this.bb.on('partsLimit', () => this.fail(this.limits.tooManyFields()));
    this.bb.on('filesLimit', () => this.fail(this.limits.tooManyFiles()));
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

  /** Called by a file part once its upload is complete. */
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
    const tooBig = this.limits.countBody(chunk.length);
    if (tooBig !== null) this.fail(tooBig);
  }

  private onAbort(): void {
    this.fail(new MultiPartParserError(ABORTED));
  }

  private onClose(): void {
    if (!this.req.readableEnded) this.fail(new MultiPartParserError(ABORTED));
  }

  /** A field part is complete; busboy read its bytes as latin-1, so `raw` holds them unchanged. */
  private onField(raw: string, truncated: boolean): void {
    const head = this.head;
    if (this.settled || head === null || head.name === null) return; // Django: no name, no field
    if (truncated) return this.fail(this.limits.fieldTooBig());
    let bytes: Buffer = Buffer.from(raw, 'latin1');
    const tooBig = this.limits.countField(head.name, bytes.length);
    if (tooBig !== null) return this.fail(tooBig);
    // Django: `base64.b64decode(raw_data)`, keeping the raw data when it does not decode.
    if (head.transferEncoding === 'base64') bytes = pythonB64Decode(bytes) ?? bytes;
    this.post.appendList(head.name, this.decodeField(bytes, head.contentTypeExtra.charset));
  }

  /**
   * A field's text: in the charset its part names (RFC 7578 §4.4) or, when it names none or one
   * unknown, in the request's (Django's only choice); invalid bytes become U+FFFD.
   */
  private decodeField(bytes: Buffer, partCharset: string | undefined): string {
    return (
      (partCharset === undefined ? null : decodeInCharset(bytes, partCharset)) ??
      decodeInCharset(bytes, this.encoding) ??
      bytes.toString('utf8')
    );
  }

  private onFile(stream: Readable): void {
    const head = this.head;
    const fileName = head?.fileName ? sanitizeFileName(head.fileName) : null;
    // busboy destroys the stream with an error if the body fails meanwhile; that error is the
    // body's, reported once (by busboy's own 'error').
    stream.on('error', noop);
    if (this.settled || head === null || head.name === null || fileName === null) {
      // Django's `if not file_name: continue`: the part is read and dropped.
      stream.resume();
      return;
    }
    const part = new FileUploadPart(
      this,
      stream,
      this.settings,
      {
        name: fileName,
        fieldName: head.name,
        contentType: head.contentType,
        charset: head.contentTypeExtra.charset ?? null,
        contentTypeExtra: { ...head.contentTypeExtra },
      },
      head.transferEncoding === 'base64',
    );
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
}

function noop(): void {}
