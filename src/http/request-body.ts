/**
 * The request body: reading it within the limits of SPEC §6 (Django's
 * `DATA_UPLOAD_MAX_MEMORY_SIZE` check in `HttpRequest.body`, plus `maxUploadSize` for the whole
 * request), handing multipart bodies to the multipart parser, and decoding what was read (form,
 * JSON). The limits are enforced on the declared Content-Length before a byte is read, and again
 * on the bytes actually received, so a chunked or lying body is cut off as soon as it passes the
 * limit rather than after it was buffered.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { Settings } from '../core/settings';
import { BadRequest, RequestDataTooBig, UnreadablePostError } from './errors';
import type { MultiValueDict } from './multi-value-dict';
import { parseMultipart, type MultipartOptions, type MultipartResult } from './multipart-parser';
import { QueryDict, decodeInCharset } from './query-dict';
import type { UploadedFile } from './uploaded-file';

/** Django's message, with the setting under its Reinhardt name. */
export const DATA_TOO_BIG = 'Request body exceeded settings.dataUploadMaxMemorySize.';
export const UPLOAD_TOO_BIG = 'Request body exceeded settings.maxUploadSize.';
export const BODY_INCOMPLETE = 'Request body was incomplete';

/** The limits a body is read within; null disables one. */
export interface BodyLimits {
  /** `dataUploadMaxMemorySize`: the body outside files (null for multipart, which counts itself). */
  maxMemorySize: number | null;
  /** `maxUploadSize`: the whole request body. */
  maxUploadSize: number | null;
}

/** The limits for a body of this kind. */
export function bodyLimits(settings: Readonly<Settings>, multipart: boolean): BodyLimits {
  return {
    maxMemorySize: multipart ? null : settings.dataUploadMaxMemorySize,
    maxUploadSize: settings.maxUploadSize,
  };
}

/**
 * The first value of a header in Node's `rawHeaders`, found without building `req.headers`
 * (the hot path of a GET only needs to know that there is no body).
 */
export function findRawHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  const length = lowerName.length;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length === length && (name === lowerName || name.toLowerCase() === lowerName)) return rawHeaders[i + 1];
  }
  return undefined;
}

/**
 * The declared Content-Length: null when there is none; throws BadRequest when it is not a
 * non-negative integer (node's parser already refuses those; a hand-made request may not).
 */
export function parseContentLength(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new BadRequest(`Invalid Content-Length header: ${JSON.stringify(value)}.`);
  return Number(text);
}

/** The RequestDataTooBig to throw when `size` bytes pass a limit, else null. */
export function limitError(size: number, limits: BodyLimits): RequestDataTooBig | null {
  if (limits.maxMemorySize !== null && size > limits.maxMemorySize) return new RequestDataTooBig(DATA_TOO_BIG);
  if (limits.maxUploadSize !== null && size > limits.maxUploadSize) return new RequestDataTooBig(UPLOAD_TOO_BIG);
  return null;
}

function ignoreError(): void {}

/**
 * Read the whole body of `req` into one Buffer.
 *
 * Rejects with RequestDataTooBig as soon as the bytes received pass a limit (the stream is then
 * paused and left unread: whoever answers should close the connection), and with
 * UnreadablePostError, a BadRequest ("Request body was incomplete"), when the stream errors, is aborted or closes before its end,
 * or ends short of `contentLength`. It never waits on a stream that can no longer end.
 *
 * node:http hands a request over as soon as its head is parsed; a body that came in the same
 * packet is parsed right after, before any promise continuation runs. So this first awaits once,
 * and a body that is then all in the stream's buffer is taken at once: no listener, no event.
 *
 * @example const body = await readBody(req, 12, { maxMemorySize: 2_621_440, maxUploadSize: null });
 */
export async function readBody(req: Readable, contentLength: number | null, limits: BodyLimits): Promise<Buffer> {
  // An error meanwhile must not go unhandled (node:http drops it when nobody listens; a
  // hand-made stream would throw it); `errored` keeps it for the check below.
  req.on('error', ignoreError);
  await undefined;
  if (req.readableEnded || req.destroyed) {
    // Someone consumed or destroyed the stream first: whatever it carried is gone.
    if (contentLength === 0 && req.errored === null) return Buffer.alloc(0);
    throw incomplete(req.errored ?? undefined);
  }
  return takeComplete(req, contentLength, limits) ?? listenForBody(req, contentLength, limits);
}

/**
 * The whole body when the stream's buffer, which nobody has started reading, already holds all
 * of it (its declared length, or everything node:http received of a `complete` message); else
 * null. A body over a limit or short of its declared length is left to {@link listenForBody},
 * which refuses it.
 */
function takeComplete(req: Readable, contentLength: number | null, limits: BodyLimits): Buffer | null {
  if (req.readableFlowing !== null) return null;
  const size = req.readableLength;
  const whole = contentLength === null ? (req as Readable & { complete?: boolean }).complete === true : size === contentLength;
  if (!whole || limitError(size, limits) !== null) return null;
  const data: unknown = req.read();
  // node:http may parse the end of the message after this: flowing, the stream then ends (and
  // lets go of the request) by itself; paused, it would wait for a read that never comes.
  req.resume();
  if (data === null) return size === 0 ? Buffer.alloc(0) : null;
  return Buffer.isBuffer(data) ? data : Buffer.from(data as string);
}

function listenForBody(req: Readable, contentLength: number | null, limits: BodyLimits): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;

    const finish = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      req.off('close', onClose);
      if (error === null) {
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
        return;
      }
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer | Uint8Array | string): void => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      received += buffer.length;
      const tooBig = limitError(received, limits);
      if (tooBig !== null) return finish(tooBig);
      chunks.push(buffer);
    };
    const onEnd = (): void => finish(contentLength !== null && received < contentLength ? incomplete() : null);
    const onError = (error: Error): void => finish(incomplete(error));
    const onAborted = (): void => finish(incomplete());
    const onClose = (): void => finish(incomplete());

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
    req.on('close', onClose);
    // Flowing even if someone paused the stream before.
    req.resume();
  });
}

function incomplete(cause?: Error): UnreadablePostError {
  const error = new UnreadablePostError(BODY_INCOMPLETE);
  if (cause !== undefined) (error as Error & { cause?: unknown }).cause = cause;
  return error;
}

/** Does the request carry a body? Content-Length > 0 or Transfer-Encoding (RFC 9112 §6.3); an invalid length counts, to be refused. */
export function carriesBody(rawHeaders: readonly string[]): boolean {
  if (findRawHeader(rawHeaders, 'transfer-encoding') !== undefined) return true;
  const length = findRawHeader(rawHeaders, 'content-length');
  return length !== undefined && Number(length) !== 0;
}

/**
 * The declared Content-Length of `req`, refused (RequestDataTooBig) before a byte is read when it
 * is over a limit; null when the body is chunked.
 * @throws RequestDataTooBig, or BadRequest for an invalid Content-Length.
 */
function declaredLength(req: IncomingMessage, limits: BodyLimits): number | null {
  const contentLength = parseContentLength(findRawHeader(req.rawHeaders ?? [], 'content-length'));
  const tooBig = contentLength === null ? null : limitError(contentLength, limits);
  if (tooBig !== null) throw tooBig;
  return contentLength;
}

/**
 * A body that is not multipart, taken synchronously when the stream's buffer already holds all of
 * it (see {@link readBody}: node:http pushes a body that came with its head right after handing
 * the request over, so call this from a promise continuation). Null when it is not all there yet,
 * or the head announces something to refuse: {@link receiveBuffered} then reads or refuses it.
 */
export function takeBuffered(req: IncomingMessage, settings: Readonly<Settings>): Buffer | null {
  if (req.readableEnded || req.destroyed) return null;
  const limits = bodyLimits(settings, false);
  let contentLength: number | null;
  try {
    contentLength = declaredLength(req, limits);
  } catch {
    return null;
  }
  const body = takeComplete(req, contentLength, limits);
  // As in readBody: an error after the body was taken must not go unhandled.
  if (body !== null) req.on('error', ignoreError);
  return body;
}

/**
 * Receive a body that is not multipart into one Buffer (see {@link readBody}); a declared length
 * over a limit is refused before a byte is read.
 * @throws RequestDataTooBig or BadRequest at once, for what the head already tells.
 */
export function receiveBuffered(req: IncomingMessage, settings: Readonly<Settings>): Promise<Buffer> {
  const limits = bodyLimits(settings, false);
  return readBody(req, declaredLength(req, limits), limits);
}

/**
 * Receive a multipart body, parsed as it streams (nothing buffered); a declared length over
 * `maxUploadSize` is refused before a byte is read.
 */
export async function receiveMultipart(req: IncomingMessage, options: MultipartOptions): Promise<MultipartResult> {
  declaredLength(req, bodyLimits(options.settings, true));
  return parseMultipart(req, options);
}

// -- Decoding ------------------------------------------------------------------------------

/** `application/json` and the structured-syntax `+json` types (RFC 6839 §3.1). */
export function isJsonType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.endsWith('+json') && mediaType.indexOf('/') > 0);
}

function isUtf8Charset(encoding: string): boolean {
  const name = encoding.toLowerCase();
  return name === 'utf-8' || name === 'utf8';
}

function decodeText(body: Buffer, encoding: string): string {
  if (isUtf8Charset(encoding)) return body.toString('utf8');
  return decodeInCharset(body, encoding) ?? body.toString('utf8');
}

/**
 * The body as JSON: `{}` when empty (as DRF and body-parser), a leading BOM ignored; BadRequest
 * "JSON parse error - <message>" (DRF's wording) when it is not JSON or not valid UTF-8.
 */
export function parseJsonBody(body: Buffer, encoding: string): unknown {
  if (body.length === 0) return {};
  // RFC 8259 §8.1: JSON exchanged between systems is UTF-8; bad bytes are the client's error, not
  // U+FFFD characters in the handler's data.
  if (isUtf8Charset(encoding) && !isUtf8(body)) {
    throw new BadRequest('JSON parse error - the body is not valid UTF-8.');
  }
  let text = decodeText(body, encoding);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequest(`JSON parse error - ${(error as Error).message}`);
  }
}

/** Django's message (django/http/parsers.py, FormParser). */
export const FORM_NOT_UTF8 = "HTTP requests with the 'application/x-www-form-urlencoded' content type must be UTF-8 encoded.";

/**
 * An `application/x-www-form-urlencoded` body as an immutable QueryDict, always decoded as UTF-8:
 * the type has no charset parameter (RFC 1866; WHATWG URL's urlencoded parser), and newest
 * Django's FormParser refuses a request whose charset (`charset` is the one the Content-Type
 * named, or that the code assigned to `request.encoding`; undefined when neither) is another with
 * BadRequest. Django would decode bad bytes to U+FFFD; a body that is not the UTF-8 it claims to
 * be is a client error, answered 400 rather than stored as mojibake.
 */
export function parseFormBody(body: Buffer, charset: string | undefined, maxNumFields: number | null): QueryDict {
  if (charset !== undefined && !isUtf8Charset(charset)) throw new BadRequest(FORM_NOT_UTF8);
  if (!isUtf8(body)) throw new BadRequest('The application/x-www-form-urlencoded request body is not valid UTF-8.');
  return new QueryDict(body.length === 0 ? null : body, { encoding: 'utf-8', maxNumFields });
}

/**
 * Form or query data (and uploaded files) as a plain object for DTO validation: one value as
 * itself, a repeated key as an array of its values.
 */
export function toPlainObject(dict: QueryDict, files: MultiValueDict<UploadedFile> | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, list: readonly unknown[]): void => {
    const value = list.length === 1 ? list[0] : list;
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  };
  for (const [key, list] of dict.lists()) put(key, list);
  if (files !== null) for (const [key, list] of files.lists()) put(key, list);
  return out;
}
