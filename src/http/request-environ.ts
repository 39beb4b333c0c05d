/**
 * The first layer of HttpRequest (http-request.ts): what the request says about itself, Django's
 * WSGI environ (django/core/handlers/wsgi.py, `WSGIRequest.__init__`): the method, the path and
 * its decoding, META and the headers, the Content-Type and the encoding GET and POST are decoded
 * in. Every property computes on first access and caches in an underscore field, as Django's
 * `cached_property` attributes do; the constructor only splits the URL, since it runs for every
 * request. The layers above: request-location.ts (host, scheme, URLs), request-body-reader.ts (the
 * body), request-data.ts (COOKIES, GET, POST, FILES).
 */
import type { IncomingMessage } from 'node:http';
import type { Settings } from '../core/settings';
import { parseHeaderParameters } from './media-type';
import { isKnownCharset } from './query-dict';
import { carriesBody } from './request-body';
import { HttpHeaders, buildMeta, rawHeaderValue } from './request-headers';
import { decodeRequestPath } from './request-path';

/**
 * A request's environ (see the module's comment); `HttpRequest` is the class to use.
 * @example request.META.HTTP_USER_AGENT; request.contentType; request.encoding
 */
export abstract class RequestEnviron {
  /** The Node request this wraps (read: method, url, headers, rawHeaders, socket, body stream). */
  readonly req: IncomingMessage;
  readonly settings: Readonly<Settings>;
  /** Upper case, e.g. 'GET'. */
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string;
  /** The query string as sent (no '?'), '' when none. */
  readonly rawQuery: string;

  protected _path: string | null;
  protected _meta: Record<string, string> | null;
  protected _headers: HttpHeaders | null;
  protected _contentType: string | null;
  protected _contentParams: Record<string, string> | null;
  protected _encoding: string | null;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    this.req = req;
    this.settings = settings;
    this.method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
    this._path = null;
    this._meta = null;
    this._headers = null;
    this._contentType = null;
    this._contentParams = null;
    this._encoding = null;
  }

  /**
   * The percent-decoded path, e.g. '/music/bands/the_beatles/'. Octets that are not UTF-8 stay
   * percent-encoded as in Django (`/caf%E9/`); a malformed escape (`/%ZZ/`) throws BadRequest.
   */
  get path(): string {
    return this._path ?? (this._path = decodeRequestPath(this.rawPath));
  }

  /** Same as `path` (there is no SCRIPT_NAME: the app is mounted at the root). */
  get pathInfo(): string {
    return this.path;
  }

  /**
   * Django's WSGI environ: the headers as `HTTP_<NAME>` (plus CONTENT_TYPE and CONTENT_LENGTH,
   * '' when not sent) and the server variables.
   * @example request.META.HTTP_USER_AGENT
   */
  get META(): Record<string, string> {
    return this._meta ?? (this._meta = this.buildMeta());
  }

  /** The headers, case-insensitive: `request.headers.get('content-type')`. */
  get headers(): HttpHeaders {
    return this._headers ?? (this._headers = new HttpHeaders(this.META));
  }

  /** The media type of the body, lower case, without parameters ('' when none was sent). */
  get contentType(): string {
    if (this._contentType === null) this.parseContentType();
    return this._contentType as string;
  }

  /** The parameters of the Content-Type header, e.g. `{ charset: 'utf-8' }`. */
  get contentParams(): Record<string, string> {
    if (this._contentParams === null) this.parseContentType();
    return this._contentParams as Record<string, string>;
  }

  /**
   * The charset GET and multipart fields are decoded with: the Content-Type's `charset` when
   * Node knows it, else `settings.defaultCharset`. Setting it re-decodes GET on its next access;
   * a urlencoded POST is always UTF-8 and refuses any other charset (see parseFormBody).
   */
  get encoding(): string {
    if (this._encoding === null) {
      // Without a Content-Type (nearly every GET) there is no charset to parse out of one.
      const hasType = this._contentParams !== null || this.metaValue('CONTENT_TYPE', 'content-type') !== undefined;
      const charset = hasType ? this.contentParams.charset : undefined;
      this._encoding = charset !== undefined && isKnownCharset(charset) ? charset : this.settings.defaultCharset;
    }
    return this._encoding;
  }

  /**
   * Throws RangeError ("unknown encoding: ...", Python's LookupError) for a charset Node cannot
   * decode, here rather than at the next read of GET or POST.
   * @example request.encoding = 'iso-8859-1';
   */
  set encoding(value: string) {
    if (!isKnownCharset(value)) throw new RangeError(`unknown encoding: ${value}`);
    this._encoding = value;
    this.encodingChanged();
  }

  /** Whether the request carries a body (a Content-Length above 0, or Transfer-Encoding). */
  get hasBody(): boolean {
    return this.carriesBody();
  }

  /** Called when `encoding` is assigned: the layers above drop what they decoded with the old one. */
  protected encodingChanged(): void {}

  protected buildMeta(): Record<string, string> {
    let pathInfo: string;
    try {
      pathInfo = this.path;
    } catch {
      pathInfo = this.rawPath;
    }
    return buildMeta(this.req, { method: this.method, rawQuery: this.rawQuery, pathInfo });
  }

  protected parseContentType(): void {
    const [type, params] = parseHeaderParameters(this.metaValue('CONTENT_TYPE', 'content-type') ?? '');
    this._contentType = type;
    this._contentParams = params;
  }

  /**
   * META[key] without building META when it is not built yet: a header read from rawHeaders by
   * the same rules (`header`: its lower-case name). Once META exists it is the source, so what a
   * middleware writes into it is seen.
   */
  protected metaValue(key: string, header: string | null): string | undefined {
    const meta = this._meta;
    if (meta !== null) return meta[key];
    if (header === null) return this.META[key];
    return rawHeaderValue(this.req.rawHeaders ?? [], header);
  }

  protected carriesBody(): boolean {
    return carriesBody(this.req.rawHeaders ?? []);
  }
}
