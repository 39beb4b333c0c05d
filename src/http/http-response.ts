import { BadHeaderError, ImproperlyConfigured } from './errors';
import { ResponseHeaders, isPlainHeaderValue, pyRepr, type HeaderValue, type ResponseHeadersInit } from './response-headers';
import { reasonPhraseFor, validateStatusCode } from './status-codes';
import { responseConfig } from './response-config';
import { buildCookie, buildExpiredCookie, type CookieOptions, type DeleteCookieOptions, type ResponseCookie } from './response-cookies';
import { signCookieValue } from '../signing';
import { decodeInCharset, encodeInCharset } from './query-dict';

/** What a buffered response's body may be built from; an iterable is joined at construction. */
export type ResponseContent = string | Uint8Array | Iterable<string | Uint8Array> | null | undefined;

/** Options every response takes (Django's `HttpResponseBase.__init__` keywords). */
export interface HttpResponseInit {
  /** Status code, an integer 100–599. Default: the class's `statusCode` (200 for HttpResponse). */
  status?: number;
  /** The Content-Type header. Default `text/html; charset=<charset>`. */
  contentType?: string | null;
  /** Django's older name for `contentType`; wins when both are given. */
  mimetype?: string | null;
  /** Charset strings are encoded with. Default: the Content-Type's `charset=`, else the default charset. */
  charset?: string | null;
  headers?: ResponseHeadersInit | null;
  /** A reason phrase for the status line; by default it follows `statusCode`. */
  reason?: string | null;
}

/** `setSignedCookie` options: `setCookie`'s plus the salt and, optionally, the key to sign with. */
export interface SignedCookieOptions extends CookieOptions {
  salt?: string;
  /** Default: the `secretKey` given to `configureResponses` at start. */
  secretKey?: string;
}

// Django's `_charset_from_content_type_re`.
const CHARSET_FROM_CONTENT_TYPE = /;\s*charset=([^\s;]+)/i;
const EMPTY = Buffer.alloc(0);
const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** RFC 9110 §4 reason-phrase: HTAB, SP, visible ASCII and obs-text; Node refuses anything else. */
function checkReason(reason: string): string {
  if (/[^\t\x20-\x7e\x80-\xff]/.test(reason)) throw new BadHeaderError(`Invalid reason phrase (got ${pyRepr(reason)})`);
  return reason;
}

/**
 * Content types given before that were plain ASCII, with their `charset=` (null for none): a
 * content type is nearly always a constant in the code (JsonResponse's `application/json`), so
 * it is checked and parsed once, not for every response. Bounded, for code that builds one per
 * request.
 */
const plainContentTypes = new Map<string, string | null>();
const PLAIN_CONTENT_TYPES_MAX = 64;

/** The `charset=` parameter of a Content-Type, quotes stripped, or undefined. */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = CHARSET_FROM_CONTENT_TYPE.exec(contentType);
  return match === null ? undefined : match[1].replace(/"/g, '');
}

/**
 * An HTTP response with a buffered body: Django's `HttpResponse`.
 *
 * Subclasses give their status as a static `statusCode`, as Django's `status_code = 404` class
 * attribute does; `StreamingHttpResponse` and `FileResponse` extend this class too (unlike
 * Django), so `instanceof HttpResponse` holds for every response; check `streaming`.
 *
 * @example
 * const response = new HttpResponse('Text only, please.', { contentType: 'text/plain' });
 * response.write('<p>More.</p>');
 * response.headers.set('Cache-Control', 'no-cache');
 * response.setCookie('seen', 'yes', { maxAge: 3600, sameSite: 'Lax' });
 */
export class HttpResponse {
  /** Default status of the class (Django's `status_code` class attribute). */
  static statusCode = 200;

  /** Case-insensitive headers (Set-Cookie lives in `cookies`, not here). */
  readonly headers: ResponseHeaders;
  /** Whether `close()` ran. */
  closed: boolean;
  private _statusCode: number;
  private _reason: string | null;
  private _charset: string | null;
  private _content: Buffer;
  /** A body given as text in utf-8, not encoded until someone asks for the bytes (then null). */
  private _text: string | null;
  private _parts: Buffer[] | null;
  private _cookies: Map<string, ResponseCookie> | null;

  constructor(content?: ResponseContent, init?: HttpResponseInit) {
    this.headers = new ResponseHeaders(init?.headers);
    this.closed = false;
    const status = init?.status;
    this._statusCode = status == null ? (new.target as typeof HttpResponse).statusCode : validateStatusCode(status);
    this._reason = init?.reason == null ? null : checkReason(init.reason);
    this._charset = init?.charset ?? null;
    this._content = EMPTY;
    this._text = null;
    this._parts = null;
    this._cookies = null;

    const contentType = init?.mimetype ?? init?.contentType;
    if (this.headers.has('content-type')) {
      if (contentType != null) {
        throw new TypeError("'headers' must not contain 'Content-Type' when the 'contentType' parameter is provided.");
      }
    } else if (contentType == null) {
      // The framework's own value: known valid, no checks needed (hot path).
      const charset = this._charset ?? responseConfig.defaultCharset;
      if (this._charset === null) {
        this.headers.setUnchecked('Content-Type', `text/html; charset=${charset}`, 'content-type');
      } else {
        this.headers.set('Content-Type', `text/html; charset=${charset}`);
      }
      if (typeof content === 'string') {
        this.assignText(content, charset);
        return;
      }
    } else {
      let charset = plainContentTypes.get(contentType);
      if (charset !== undefined) {
        this.headers.setUnchecked('Content-Type', contentType, 'content-type');
      } else {
        this.headers.setValue('Content-Type', contentType, 'content-type');
        charset = charsetFromContentType(contentType) ?? null;
        if (typeof contentType === 'string' && plainContentTypes.size < PLAIN_CONTENT_TYPES_MAX && isPlainHeaderValue(contentType)) {
          plainContentTypes.set(contentType, charset);
        }
      }
      if (typeof content === 'string') {
        this.assignText(content, this._charset ?? charset ?? responseConfig.defaultCharset);
        return;
      }
    }
    if (content != null) this.assignContent(content);
  }

  /** The status code; settable (checked to be an integer 100–599). */
  get statusCode(): number {
    return this._statusCode;
  }
  set statusCode(code: number) {
    this._statusCode = validateStatusCode(code);
  }

  /** The reason phrase: the one given as `reason`, else the standard phrase for `statusCode`. */
  get reasonPhrase(): string {
    return this._reason ?? reasonPhraseFor(this._statusCode);
  }
  set reasonPhrase(reason: string) {
    this._reason = checkReason(reason);
  }

  /** The charset given, else the Content-Type's `charset=`, else the default (utf-8). */
  get charset(): string {
    return this._charset ?? charsetFromContentType(this.headers.get('content-type')) ?? responseConfig.defaultCharset;
  }
  set charset(charset: string) {
    this._charset = charset;
  }

  /** False: the body is in memory. */
  get streaming(): boolean {
    return false;
  }

  /** The body as bytes. Setting it replaces the body (a string is encoded with `charset`). */
  get content(): Buffer {
    if (this._text !== null) {
      this._content = Buffer.from(this._text, 'utf8');
      this._text = null;
    }
    if (this._parts !== null) {
      this._content = Buffer.concat([this._content, ...this._parts]);
      this._parts = null;
    }
    return this._content;
  }
  set content(value: ResponseContent) {
    this.assignContent(value);
  }

  /**
   * The body as the writer sends it: the text given, when it was given as a string in utf-8 and
   * nothing was appended (Node then encodes it straight into the socket), else the bytes.
   * @internal
   */
  get wireBody(): string | Buffer {
    // Node writes the head in the body's encoding when both go out as one string: a head with
    // Latin-1 values must not be written as utf-8.
    return this._text !== null && this._parts === null && !this.headers.hasLatin1Values ? this._text : this.content;
  }

  /** The body decoded with `charset`. */
  get text(): string {
    return decodeBytes(this.content, this.charset);
  }

  /**
   * Whether `write` may be called: always, for a buffered body (Django's `writable()`; a body
   * given as an iterator was joined when it was given, so it can be appended to).
   */
  get writable(): boolean {
    return true;
  }

  /** Appends to the body, as a file-like object. */
  write(chunk: string | Uint8Array): void {
    if (!this.writable) throw new Error(`This ${this.constructor.name} instance is not writable`);
    (this._parts ??= []).push(this.makeBytes(chunk));
  }

  /** Writes each line (no separators added, as Python's `writelines`). */
  writeLines(lines: Iterable<string | Uint8Array>): void {
    for (const line of lines) this.write(line);
  }

  /** Nothing to flush: the body is in memory. Present for file-like use. */
  flush(): void {}

  /** The body's length in bytes. */
  tell(): number {
    return this.content.length;
  }

  /** The body (Django's `getvalue`). */
  getValue(): Buffer {
    return this.content;
  }

  /** Marks the response done and releases what it holds (streams, files). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseResources();
  }

  // -- Header shortcuts (Django's response['X'], has_header, __delitem__, setdefault) --

  hasHeader(name: string): boolean {
    return this.headers.has(name);
  }
  getHeader(name: string): string | undefined {
    return this.headers.get(name);
  }
  setHeader(name: string, value: HeaderValue): void {
    this.headers.set(name, value);
  }
  deleteHeader(name: string): void {
    this.headers.delete(name);
  }
  setDefault(name: string, value: HeaderValue): string {
    return this.headers.setDefault(name, value);
  }

  // -- Cookies --

  /** The cookies set on this response, by name (`{ value, options, serialized }`); mutable. */
  get cookies(): Map<string, ResponseCookie> {
    return (this._cookies ??= new Map());
  }

  /**
   * Sets a cookie; a later call for the same name replaces it. See `CookieOptions`.
   * @example response.setCookie('theme', 'dark', { maxAge: 86400, httpOnly: true, sameSite: 'lax' });
   */
  setCookie(key: string, value: string = '', options?: CookieOptions): void {
    this.cookies.set(key, buildCookie(key, value, options));
  }

  /**
   * Sets a cookie whose value is signed with a timestamp (Django's `set_signed_cookie`); read it
   * back with `request.getSignedCookie(key, { salt })`.
   * @example response.setSignedCookie('cart', '42', { salt: 'cart', maxAge: 3600 });
   */
  setSignedCookie(key: string, value: string, options: SignedCookieOptions = {}): void {
    const { salt = '', secretKey = responseConfig.secretKey, ...cookieOptions } = options;
    if (!secretKey) {
      throw new ImproperlyConfigured('setSignedCookie needs a secret key: pass { secretKey } or set the secretKey setting.');
    }
    this.setCookie(key, signCookieValue(key, value, secretKey, salt), cookieOptions);
  }

  /**
   * Tells the browser to drop a cookie: an empty, already expired one with the same path and domain.
   * @example response.deleteCookie('theme');
   */
  deleteCookie(key: string, options?: DeleteCookieOptions): void {
    this.cookies.set(key, buildExpiredCookie(key, options));
  }

  /** The `Set-Cookie` header values, one per cookie. */
  cookieHeaders(): string[] {
    const cookies = this._cookies;
    if (cookies === null || cookies.size === 0) return [];
    const out: string[] = [];
    for (const cookie of cookies.values()) out.push(cookie.serialized);
    return out;
  }

  /** The header lines (Set-Cookie included, unlike Django's), CRLF-separated, in Latin-1. */
  serializeHeaders(): Buffer {
    const lines: string[] = [];
    for (const [name, value] of this.headers.entries()) lines.push(`${name}: ${value}`);
    for (const cookie of this.cookieHeaders()) lines.push(`Set-Cookie: ${cookie}`);
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }

  /** The header lines, a blank line and the body (Django's `serialize`; no status line). */
  serialize(): Buffer {
    return Buffer.concat([this.serializeHeaders(), CRLF_CRLF, this.content]);
  }

  /** Django's repr: `<HttpResponse statusCode=200, "text/html; charset=utf-8">`. */
  toString(): string {
    const contentType = this.headers.get('content-type');
    return `<${this.constructor.name} statusCode=${this._statusCode}${contentType === undefined ? '' : `, "${contentType}"`}>`;
  }

  /** Replaces the body. Subclasses that refuse a body (304) override it. */
  protected assignContent(value: ResponseContent): void {
    this._parts = null;
    this._text = null;
    if (value == null) {
      this._content = EMPTY;
    } else if (typeof value === 'string') {
      this.assignText(value, this.charset);
    } else if (value instanceof Uint8Array) {
      this._content = toBuffer(value);
    } else if (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
      // Django consumes an iterator when it is assigned, so the body can be read repeatedly.
      const chunks: Buffer[] = [];
      for (const chunk of value) chunks.push(this.makeBytes(chunk));
      this._content = Buffer.concat(chunks);
    } else if (typeof (value as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      throw new TypeError(`${this.constructor.name} content cannot be an async iterable or a stream: use StreamingHttpResponse.`);
    } else if (typeof value === 'object') {
      throw new TypeError(`${this.constructor.name} content must be a string, bytes or an iterable of them (got ${Object.prototype.toString.call(value)}).`);
    } else {
      this._content = encodeText(String(value), this.charset);
    }
  }

  /** A string body: kept as text in utf-8 (encoded when read), else encoded now. */
  private assignText(text: string, charset: string): void {
    if (charset === 'utf-8') {
      this._text = text;
      this._content = EMPTY;
    } else {
      this._content = encodeText(text, charset);
    }
  }

  /** Django's `make_bytes`: strings encoded with the charset, bytes as they are. */
  protected makeBytes(chunk: unknown): Buffer {
    if (typeof chunk === 'string') return encodeText(chunk, this.charset);
    if (chunk instanceof Uint8Array) return toBuffer(chunk);
    return encodeText(String(chunk), this.charset);
  }

  /** Releases streams and files; nothing for a buffered body. */
  protected releaseResources(): void {}
}
/** Buffer encodings for the charsets Node can write itself; others go through query-dict's codecs. */
const NODE_ENCODINGS: Readonly<Record<string, BufferEncoding>> = {
  'utf-8': 'utf8', utf8: 'utf8',
  'iso-8859-1': 'latin1', 'iso8859-1': 'latin1', 'latin-1': 'latin1', latin1: 'latin1', l1: 'latin1',
  ascii: 'ascii', 'us-ascii': 'ascii',
  'utf-16le': 'utf16le', utf16le: 'utf16le',
};

/**
 * Encodes text for a body in `charset`: utf-8, Latin-1, ASCII and UTF-16LE as Node writes them,
 * single-byte charsets (ISO-8859-x, windows-125x, KOI8, ...) through their tables. For a
 * multi-byte charset Node has no encoder for (Shift_JIS, GBK, ...) give the body as bytes.
 * @throws RangeError for such a charset, an unknown one, or a character the charset lacks.
 */
export function encodeText(text: string, charset: string): Buffer {
  if (charset === 'utf-8') return Buffer.from(text, 'utf8');
  const encoding = NODE_ENCODINGS[charset.toLowerCase()];
  if (encoding !== undefined) return Buffer.from(text, encoding);
  try {
    return toBuffer(encodeInCharset(text, charset));
  } catch (error) {
    // A character the charset lacks: Python's UnicodeEncodeError message, as the codec words it.
    if ((error as Error).message.includes("codec can't encode")) throw error;
    throw new RangeError(`Cannot encode text to charset '${charset}': give the content as bytes.`);
  }
}

/** Decodes a body in `charset` (Python's names and the WHATWG labels; utf-8 when unknown). */
export function decodeBytes(bytes: Buffer, charset: string): string {
  const encoding = NODE_ENCODINGS[charset.toLowerCase()];
  return encoding === undefined ? (decodeInCharset(bytes, charset) ?? bytes.toString('utf8')) : bytes.toString(encoding);
}

/** A Buffer over the same memory as `bytes` (no copy). */
export function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
