/**
 * One file part of a multipart body being received, as Django's upload handlers receive it
 * (django/core/files/uploadhandler.py): in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE
 * (`MemoryFileUploadHandler`), beyond it in a temporary file in FILE_UPLOAD_TEMP_DIR
 * (`TemporaryFileUploadHandler`). A part sent with `Content-Transfer-Encoding: base64` is decoded
 * as it arrives, as `MultiPartParser._parse` does.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Settings } from '../core/settings';
import { MultiPartParserError } from './errors';
import { Base64PartDecoder } from './python-base64';
import { InMemoryUploadedFile, TemporaryUploadedFile, type UploadedFile, type UploadedFileInit } from './uploaded-file';

/** Django's message for a base64 file part that does not decode. */
export const BAD_BASE64 = 'Could not decode base64 data.';

/** The parse a part belongs to: told when the part is complete, or when it failed. */
export interface FilePartOwner {
  /** True once the parse resolved or rejected: later data is ignored. */
  readonly settled: boolean;
  /** The part is complete (its `file` is set). */
  partDone(): void;
  /** The part failed; the owner rejects the parse (once) and discards every part. */
  fail(error: unknown): void;
}

/**
 * A file part being received from busboy's stream for it. Bytes collect in memory until they pass
 * `fileUploadMaxMemorySize`, then go to a 0600 temporary file with backpressure (the part's
 * stream pauses until the file's write buffer drains, which in turn holds busboy and the request).
 *
 * @example
 * const part = new FileUploadPart(owner, stream, settings, init, head.transferEncoding === 'base64');
 * // owner.partDone() is called once part.file is set
 */
export class FileUploadPart {
  readonly fieldName: string;
  /** The finished upload, null until the part ends. */
  file: UploadedFile | null;
  private readonly owner: FilePartOwner;
  private readonly stream: Readable;
  private readonly maxMemory: number;
  private readonly tempDir: string;
  private readonly init: UploadedFileInit;
  private readonly base64: Base64PartDecoder | null;
  private chunks: Buffer[];
  private size: number;
  private out: WriteStream | null;
  private tempPath: string | null;
  private discarded: boolean;

  constructor(owner: FilePartOwner, stream: Readable, settings: Readonly<Settings>, init: UploadedFileInit, base64: boolean) {
    this.fieldName = init.fieldName as string;
    this.file = null;
    this.owner = owner;
    this.stream = stream;
    this.maxMemory = settings.fileUploadMaxMemorySize;
    this.tempDir = settings.fileUploadTempDir ?? tmpdir();
    this.init = init;
    this.base64 = base64 ? new Base64PartDecoder() : null;
    this.chunks = [];
    this.size = 0;
    this.out = null;
    this.tempPath = null;
    this.discarded = false;
    this.onDrain = this.onDrain.bind(this);
    stream.on('data', this.onData.bind(this));
    stream.once('end', this.onEnd.bind(this));
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
    if (this.owner.settled) return;
    if (this.base64 !== null) {
      const decoded = this.base64.push(chunk);
      if (decoded === null) return this.owner.fail(new MultiPartParserError(BAD_BASE64));
      chunk = decoded;
    }
    this.take(chunk);
  }

  private take(chunk: Buffer): void {
    if (chunk.length === 0) return;
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
    out.on('error', (error: unknown) => this.owner.fail(error));
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
    if (this.owner.settled) return;
    if (this.base64 !== null) {
      const rest = this.base64.end();
      if (rest === null) return this.owner.fail(new MultiPartParserError(BAD_BASE64));
      this.take(rest);
    }
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
      this.owner.fail(error);
      return;
    }
    this.owner.partDone();
  }
}
