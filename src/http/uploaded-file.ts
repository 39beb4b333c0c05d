/**
 * Uploaded files (django/core/files/uploadedfile.py): one base class with Django's attributes and
 * file-like reading, and its two kinds: `InMemoryUploadedFile` (bytes held in memory, up to
 * `fileUploadMaxMemorySize`) and `TemporaryUploadedFile` (spilled to a file in
 * `fileUploadTempDir`, removed by `close()` as Django's NamedTemporaryFile is).
 * Reading is asynchronous because the bytes may be on disk.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { normalizeUploadedFileName } from './upload-filename';

/** Django's `File.DEFAULT_CHUNK_SIZE`: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** What the multipart parser knows about a file part. */
export interface UploadedFileInit {
  /** The client's file name; normalised as Django's `_set_name` does. */
  name: string;
  /** The part's media type (`text/plain`), '' when the part had no Content-Type. */
  contentType?: string;
  /** The `charset` parameter of the part's Content-Type, or null. */
  charset?: string | null;
  /** Every parameter of the part's Content-Type (Django's `content_type_extra`). */
  contentTypeExtra?: Record<string, string>;
  /** Name of the form field the file came in. */
  fieldName?: string | null;
}

/**
 * A file uploaded in a multipart request, as found in `request.FILES`.
 * @example
 * const upload = request.FILES.getItem('avatar');
 * for await (const chunk of upload.chunks()) hash.update(chunk);
 * await upload.saveTo(`/srv/media/${upload.name}`);
 */
export abstract class UploadedFile {
  /** Size in bytes. */
  readonly size: number;
  /** Media type the client declared for the part (not checked against the content). */
  contentType: string;
  charset: string | null;
  contentTypeExtra: Record<string, string>;
  fieldName: string | null;
  private _name: string;
  /** Read position of `read()`, like a Python file's. */
  protected position: number;
  protected _closed: boolean;

  protected constructor(size: number, init: UploadedFileInit) {
    this.size = size;
    this.contentType = init.contentType ?? '';
    this.charset = init.charset ?? null;
    this.contentTypeExtra = init.contentTypeExtra ?? {};
    this.fieldName = init.fieldName ?? null;
    this._name = normalizeUploadedFileName(init.name);
    this.position = 0;
    this._closed = false;
  }

  /** Base name only, at most 255 characters (extension kept); `''`, `.` and `..` are refused. */
  get name(): string {
    return this._name;
  }

  set name(value: string) {
    this._name = normalizeUploadedFileName(value);
  }

  /**
   * True once `close()` ran, as a Python file's `closed`: the framework closes every upload when
   * the response is done (Django's `HttpRequest.close()`), so reading it later throws.
   * @example await request.cleanup(); request.FILES.getItem('f').closed; // true
   */
  get closed(): boolean {
    return this._closed;
  }

  /**
   * Read `n` bytes from the current position (all the rest without `n`), as Python's
   * `file.read(n)`; an empty Buffer at the end.
   * @example const head = await upload.read(512);
   */
  async read(n?: number): Promise<Buffer> {
    if (this._closed) throw new Error('I/O operation on closed file.');
    const remaining = this.size - this.position;
    const length = n === undefined || n < 0 ? remaining : Math.min(Math.floor(n), remaining);
    if (length <= 0) return Buffer.alloc(0);
    const bytes = await this.readAt(this.position, length);
    this.position += bytes.length;
    return bytes;
  }

  /** Move the read position (Python's `seek(offset)` from the start). */
  seek(offset: number): void {
    this.position = Math.max(0, Math.min(Math.floor(offset), this.size));
  }

  /** The read position. */
  tell(): number {
    return this.position;
  }

  /**
   * The content from the start, `chunkSize` bytes at a time (Django's `File.chunks`).
   * @example for await (const chunk of upload.chunks()) out.write(chunk);
   */
  async *chunks(chunkSize: number = DEFAULT_CHUNK_SIZE): AsyncGenerator<Buffer, void, undefined> {
    if (!(Number.isInteger(chunkSize) && chunkSize > 0)) {
      throw new TypeError(`chunkSize must be a positive integer, not ${String(chunkSize)}.`);
    }
    this.position = 0;
    for (;;) {
      const chunk = await this.read(chunkSize);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  /**
   * True when `chunks(chunkSize)` yields more than one chunk (Django's `multiple_chunks`).
   * @example upload.multipleChunks() // size > 64 KiB
   */
  multipleChunks(chunkSize?: number): boolean {
    return this.size > (chunkSize || DEFAULT_CHUNK_SIZE);
  }

  /** Path of the temporary file holding a spilled upload. */
  abstract temporaryFilePath(): string;

  /**
   * Write the upload to `destination` (replacing a file already there). The bytes go to a
   * hidden sibling first and are renamed into place, so a failure never leaves a partial file.
   * @example await upload.saveTo(path.join(mediaRoot, upload.name));
   */
  abstract saveTo(destination: string): Promise<void>;

  /** Release the upload; a temporary file is deleted. Safe to call more than once. */
  abstract close(): Promise<void>;

  protected abstract readAt(position: number, length: number): Promise<Buffer>;

  toString(): string {
    return this.name;
  }
}

/** An upload kept in memory (Django's `InMemoryUploadedFile`). */
export class InMemoryUploadedFile extends UploadedFile {
  private content: Buffer;

  /** @example new InMemoryUploadedFile(Buffer.from('hello'), { name: 'hello.txt', contentType: 'text/plain' }) */
  constructor(content: Buffer, init: UploadedFileInit) {
    super(content.length, init);
    this.content = content;
  }

  /** Always throws: the bytes are in memory (Django's InMemoryUploadedFile has no such method). */
  temporaryFilePath(): string {
    throw new TypeError(
      `InMemoryUploadedFile '${this.name}' is held in memory and has no temporary file path; ` +
        'use read(), chunks() or saveTo().',
    );
  }

  saveTo(destination: string): Promise<void> {
    const content = this.content;
    return writeAtomically(destination, (tmp) => fsp.writeFile(tmp, content, { flag: 'wx' }));
  }

  async close(): Promise<void> {
    this._closed = true;
    this.content = Buffer.alloc(0);
  }

  protected async readAt(position: number, length: number): Promise<Buffer> {
    return this.content.subarray(position, position + length);
  }
}

/** An upload spilled to a temporary file (Django's `TemporaryUploadedFile`). */
export class TemporaryUploadedFile extends UploadedFile {
  private readonly path: string;
  private handle: Promise<FileHandle> | null;

  /** `path` is the temporary file the parser wrote, `size` its length in bytes. */
  constructor(path: string, size: number, init: UploadedFileInit) {
    super(size, init);
    this.path = path;
    this.handle = null;
  }

  /** @example await execFile('clamscan', [upload.temporaryFilePath()]) */
  temporaryFilePath(): string {
    return this.path;
  }

  saveTo(destination: string): Promise<void> {
    if (this._closed) return Promise.reject(new Error('I/O operation on closed file.'));
    // A copy, not a rename: the temporary folder may be on another device, and the upload stays
    // readable until the response is sent.
    const source = this.path;
    return writeAtomically(destination, (tmp) => fsp.copyFile(source, tmp, fsConstants.COPYFILE_EXCL));
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    const opening = this.handle;
    this.handle = null;
    if (opening !== null) await opening.then((handle) => handle.close()).catch(() => undefined);
    await fsp.rm(this.path, { force: true });
  }

  /**
   * One handle for all reads, opened on the first. Concurrent reads share the opening, and a
   * close() that comes while it is pending still closes it: no descriptor is left to the GC.
   */
  private openHandle(): Promise<FileHandle> {
    if (this._closed) return Promise.reject(new Error('I/O operation on closed file.'));
    this.handle ??= fsp.open(this.path, 'r');
    return this.handle;
  }

  protected async readAt(position: number, length: number): Promise<Buffer> {
    const handle = await this.openHandle();
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return bytesRead === length ? buffer : buffer.subarray(0, bytesRead);
  }
}

/** Write through a uniquely named sibling and rename it into place; remove it on failure. */
async function writeAtomically(destination: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = path.join(
    path.dirname(destination),
    `.${path.basename(destination)}.${randomBytes(8).toString('hex')}.part`,
  );
  try {
    await write(tmp);
    await fsp.rename(tmp, destination);
  } catch (error) {
    await fsp.rm(tmp, { force: true });
    throw error;
  }
}
