import { createReadStream, fstatSync, readFileSync, statSync, ReadStream, type Stats } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { HttpResponseInit } from './http-response';
import { pythonQuote } from './django-text';
import { Http404 } from './errors';
import { guessContentType } from './guess-content-type';
import { toBuffer } from './http-response';
import { StreamingHttpResponse, discardStream, type StreamingContent } from './streaming-http-response';

/** FileResponse options: HttpResponse's plus Django's `as_attachment`, `filename` and django-extras' `include_last_modified`. */
export interface FileResponseInit extends HttpResponseInit {
  /** `Content-Disposition: attachment` (download) instead of `inline`. Default false. */
  asAttachment?: boolean;
  /** Name for Content-Disposition and the content type guess. Default: the file's base name. */
  filename?: string;
  /** Send `Last-Modified` from the file's mtime. Default true. */
  includeLastModified?: boolean;
  /**
   * The file's size and modification time when the caller already has them (the static files
   * middleware's start-up scan), so that serving it makes no `stat` call.
   */
  stats?: { readonly size: number; readonly mtime: Date };
}

/** An inclusive byte range of the file, `[start, end]` (RFC 9110 §14.1.2 first-pos/last-pos). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Characters a quoted-string may hold (RFC 9110 §5.6.4): HTAB, SP and 0x21–0x7E. */
const QUOTABLE = /^[\t\x20-\x7e]*$/;

/**
 * Django's `content_disposition_header`: `inline; filename="x"` or `attachment; filename="x"`
 * (quotes and backslashes escaped), `filename*=utf-8''<percent-encoded>` (RFC 6266 §4.3,
 * RFC 8187) for a name that is not printable ASCII, bare `attachment` without a name, and
 * undefined for an unnamed inline file.
 * @example contentDispositionHeader(true, 'report "q3".pdf') // 'attachment; filename="report \\"q3\\".pdf"'
 */
export function contentDispositionHeader(asAttachment: boolean, filename: string): string | undefined {
  if (filename) {
    const disposition = asAttachment ? 'attachment' : 'inline';
    if (QUOTABLE.test(filename)) {
      return `${disposition}; filename="${filename.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    }
    return `${disposition}; filename*=utf-8''${pythonQuote(filename)}`;
  }
  return asAttachment ? 'attachment' : undefined;
}

/**
 * Streams a file (a path, opened only when sent), a Node `Readable` without buffering it, or
 * bytes already in memory (Django's `FileResponse`, with django-extras' Last-Modified). For a
 * path it stats the file once, at construction, for `Content-Length`, `Last-Modified`, a strong
 * `ETag` and `Accept-Ranges: bytes`; `applyConditional` (src/core/conditional.ts) then answers
 * `Range`, `If-Range`, `If-None-Match` and `If-Modified-Since` from those.
 *
 * `Content-Length` is what Django's `set_headers` computes: the bytes' length; for an
 * `fs.ReadStream` of a regular file, the bytes it has left to give (from its `start`, less what
 * was already read from it, to its `end`); none for a pipe, a socket or any other stream, whose
 * size is not known until it ends.
 *
 * The ETag is `"<mtime in ms, hex>-<size, hex>"`, strong (as nginx's): a file rewritten with
 * the same size within the same millisecond would keep it; strong is what `If-Range` needs.
 *
 * @example
 * return new FileResponse('/srv/reports/q3.pdf', { asAttachment: true });
 * return new FileResponse(fs.createReadStream(tmp), { filename: 'export.csv' });
 * return new FileResponse(Buffer.from(csv), { filename: 'export.csv', asAttachment: true });
 */
export class FileResponse extends StreamingHttpResponse {
  readonly asAttachment: boolean;
  /** The `filename` option, else ''. */
  readonly filename: string;
  /** The file's path, when a path was given (ranges are served only then). */
  readonly filePath: string | null;
  /** Bytes to send (the `Content-Length`), when known. */
  readonly fileSize: number | null;
  /** Modification time, when known. */
  readonly lastModified: Date | null;
  /** The strong ETag sent, when the file was stat-ed. */
  readonly etag: string | null;
  /** The part of the file to send; set by `applyConditional` for a 206. */
  byteRange: ByteRange | null;
  private _stream: Readable | null;
  private _replaced: boolean;

  /**
   * @throws Http404 when the path names no file (missing, a directory, or below a file): a URL
   *   that names nothing is the client's mistake, not the server's (issue 21; Django's own
   *   FileResponse would let FileNotFoundError become a 500, its `static.serve` view raises
   *   Http404). The message holds the base name only: a JSON 404 shows it even without debug.
   * @throws the `fs` error (EACCES, ...) for any other reason the path cannot be stat-ed.
   */
  constructor(file: string | Readable | Uint8Array, init?: FileResponseInit) {
    const bytes = file instanceof Uint8Array ? toBuffer(file) : null;
    super(typeof file === 'string' ? [] : bytes !== null ? [bytes] : (file as Readable), init);
    this.asAttachment = init?.asAttachment === true;
    this.filename = init?.filename ?? '';
    let size: number | null = null;
    let mtime: Date | null = null;
    let name = '';
    if (typeof file === 'string') {
      const stats = init?.stats ?? statFile(file);
      this.filePath = file;
      size = stats.size;
      mtime = stats.mtime;
      name = file;
    } else {
      this.filePath = null;
      if (bytes !== null) {
        size = bytes.length;
      } else if (file instanceof ReadStream) {
        if (typeof file.path === 'string') name = file.path;
        const stats = regularFileStats(file);
        if (stats !== null) {
          size = remainingBytes(file, stats.size);
          // A validator names the whole file: a stream that starts past its beginning is a part.
          if (size === stats.size) mtime = stats.mtime;
        }
      }
    }
    this.fileSize = size;
    this.lastModified = mtime;
    this.etag = mtime === null || size === null ? null : `"${Math.floor(mtime.getTime()).toString(16)}-${size.toString(16)}"`;
    this.byteRange = null;
    this._stream = typeof file === 'string' || bytes !== null ? null : (file as Readable);
    this._replaced = false;

    const shownName = basename(this.filename || name);
    if (init?.contentType == null && init?.mimetype == null && !hasContentType(init)) {
      this.headers.setUnchecked('Content-Type', (shownName && guessContentType(shownName)) || 'application/octet-stream', 'content-type');
    }
    const disposition = contentDispositionHeader(this.asAttachment, shownName);
    if (disposition !== undefined) this.headers.set('Content-Disposition', disposition);
    if (size !== null) this.headers.setUnchecked('Content-Length', String(size), 'content-length');
    if (mtime !== null && init?.includeLastModified !== false) {
      this.headers.setUnchecked('Last-Modified', mtime.toUTCString(), 'last-modified');
    }
    if (this.etag !== null) this.headers.setUnchecked('ETag', this.etag, 'etag');
    if (this.filePath !== null) this.headers.setUnchecked('Accept-Ranges', 'bytes', 'accept-ranges');
  }

  /** Whether a `Range` can be answered: only for a file given by path (a stream cannot seek). */
  get supportsRanges(): boolean {
    return this.filePath !== null && !this._replaced;
  }

  /**
   * The bytes to send, as a stream: for a path, a new `fs.ReadStream` over `byteRange` (or the
   * size stat-ed, so no more than Content-Length is sent); for a stream, the stream.
   */
  openStream(): Readable {
    if (this.filePath === null) return this._stream as Readable;
    const range = this.byteRange;
    const size = this.fileSize ?? 0;
    const stream = range !== null
      ? createReadStream(this.filePath, { start: range.start, end: range.end })
      : size > 0 ? createReadStream(this.filePath, { start: 0, end: size - 1 }) : createReadStream(this.filePath);
    this._stream = stream;
    return stream;
  }

  /** The file's bytes: `openStream()`, opened on first read. */
  override get streamingContent(): AsyncIterable<Buffer> {
    return this.filePath === null || this._replaced ? super.streamingContent : (this.openStream() as AsyncIterable<Buffer>);
  }
  /** Replaces the body (a middleware wrapping it); the file is then no longer read directly. */
  override set streamingContent(value: StreamingContent) {
    this._replaced = true;
    super.streamingContent = value;
  }

  /**
   * The whole body (Django's `getvalue`): the file read now (only the `byteRange` of it, when
   * set), or the bytes given; for a stream, as `StreamingHttpResponse.getValue`.
   * @example new FileResponse('/srv/reports/q3.csv').getValue().toString('utf8')
   */
  override getValue(): Buffer {
    if (this.filePath === null || this._replaced) return super.getValue();
    const content = readFileSync(this.filePath);
    const range = this.byteRange;
    return range === null ? content.subarray(0, this.fileSize ?? content.length) : content.subarray(range.start, range.end + 1);
  }

  /** Destroys the file stream (closing its descriptor) and any stream given. */
  protected override releaseResources(): void {
    if (this._stream !== null) discardStream(this._stream);
    super.releaseResources();
  }
}

/** The stats of a regular file at `path`; Http404 when there is none. */
function statFile(path: string): { size: number; mtime: Date } {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Http404(`"${basename(path)}" does not exist.`);
    throw error;
  }
  if (!stats.isFile()) throw new Http404(`"${basename(path)}" is not a file.`);
  return stats;
}

/**
 * The stats of the regular file behind an `fs.ReadStream` (by its path, or its descriptor when
 * it was opened from one), else null: a FIFO, a socket or a character device has no size to
 * announce (Django's test_file_from_named_pipe_response), and a file gone since has none either.
 */
function regularFileStats(stream: ReadStream): Stats | null {
  const fd = (stream as unknown as { fd: unknown }).fd;
  let stats: Stats;
  try {
    if (typeof fd === 'number') stats = fstatSync(fd);
    else if (typeof stream.path === 'string') stats = statSync(stream.path);
    else return null;
  } catch {
    return null;
  }
  return stats.isFile() ? stats : null;
}

/**
 * What a stream over a file of `size` bytes still has to give: from its `start` to its `end`
 * (inclusive), less the bytes it read from the file, plus those still in its buffer (read from
 * the file, not yet taken by anyone). Django's `set_headers` measures from `filelike.tell()`.
 */
function remainingBytes(stream: ReadStream, size: number): number {
  const { start, end } = stream as unknown as { start?: number; end?: number };
  const first = start ?? 0;
  const last = Math.min(end ?? Infinity, size - 1);
  const total = Math.max(0, last - first + 1);
  return Math.max(0, total - stream.bytesRead + stream.readableLength);
}

function hasContentType(init: FileResponseInit | undefined): boolean {
  const headers = init?.headers;
  if (headers == null) return false;
  if (typeof (headers as { has?: unknown }).has === 'function') return (headers as { has(name: string): boolean }).has('content-type');
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    for (const [name] of headers as Iterable<readonly [string, unknown]>) if (name.toLowerCase() === 'content-type') return true;
    return false;
  }
  return Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
}
