/**
 * HttpRequest: Django's request object (django/http/request.py, `HttpRequest` and
 * `WSGIRequest`) over a Node `IncomingMessage`.
 *
 * Creating one is on every request's path, so the constructor only splits the URL; everything
 * else (META, headers, COOKIES, GET, the path's decoding, the body's parsing) is a getter on the
 * prototype that computes on first access and caches in an underscore field, as Django's
 * `cached_property` attributes do. The fields are all assigned in the constructor, always in the
 * same order, so every request shares one hidden class.
 *
 * The body is the one asynchronous part: `loadBody()` reads it (within the limits of SPEC §6)
 * before the handler runs; `body`, `POST`, `FILES` and `data` then parse it lazily.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestUser } from '../auth/request-user';
import type { Settings } from '../core/settings';
import { unsignCookieValue } from '../core/signing';
import type { ResolverMatch, RouteInfo } from '../routing/resolver-match';
import type { Session } from '../sessions/session';
import type { InferSchemaOutput, StandardSchemaV1 } from '../validation/standard-schema';
import { validateWith, type Validator } from '../validation/validator';
import { BadSignature, DisallowedHost, KeyError, MultiValueDictKeyError, RawPostDataException } from './errors';
import { DEBUG_ALLOWED_HOSTS, buildAbsoluteUri, decodePath, escapeUriPath, iriToUri, pyRepr, splitDomainPort, validateHost } from './host';
import { type MediaType, acceptedType, getPreferredType, parseAccept, parseHeaderParameters } from './media-type';
import { MultiValueDict } from './multi-value-dict';
import { removeUploadedFiles } from './multipart-parser';
import { QueryDict, isKnownCharset } from './query-dict';
import { carriesBody, isJsonType, parseFormBody, parseJsonBody, receiveBuffered, receiveMultipart, takeBuffered, toPlainObject } from './request-body';
import { parseCookieHeader } from './request-cookies';
import { HttpHeaders, type SocketInfo, buildMeta, metaKeyToHeader, rawHeaderValue } from './request-headers';
import type { UploadedFile } from './uploaded-file';

/**
 * Set to `true` on a request made by the test `Client`: the host `testserver` is then allowed
 * besides `allowedHosts`, as Django's test runner adds it.
 */
export const FROM_TEST_CLIENT = Symbol('reinhardt:test-client');

/** Where `request.validate()` takes its input from: the parsed body, the query, or a given object. */
export type ValidationSource = 'data' | 'body' | 'query' | object;

/** Options of `getSignedCookie`. */
export interface SignedCookieOptions<D> {
  /** Returned when the cookie is missing or its signature is bad or expired (else those throw). */
  default?: D;
  /** Must match the salt given to `setSignedCookie`. Default ''. */
  salt?: string;
  /** Refuse a value signed more than this many seconds ago (SignatureExpired). */
  maxAge?: number;
}

const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
const EMPTY_PARAMS: Record<string, unknown> = Object.freeze(Object.create(null));
const EMPTY_BODY = Buffer.alloc(0);
const RESOLVED = Promise.resolve();
const UNSET = Symbol('unset');
/** Methods whose input is their body, for `validate()` without a source. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Host header values that passed validation, per settings object (see getHost). */
const knownHosts = new WeakMap<Readonly<Settings>, Set<string>>();
const KNOWN_HOSTS_MAX = 64;

// Body states.
const NOT_LOADED = 0;
const LOADING = 1;
const LOADED = 2;
const FAILED = 3;

/**
 * The request a handler receives (SPEC §4).
 *
 * @example
 * @Post('/<int:id>/vote/')
 * async vote(request: HttpRequest, id: number) {
 *   const choice = request.POST.getItem('choice');
 *   if (!request.accepts('application/json')) throw new BadRequest('JSON only');
 *   return { id, choice, from: request.getHost() };
 * }
 */
export class HttpRequest {
  /** The Node request this wraps (read: method, url, headers, rawHeaders, socket, body stream). */
  readonly req: IncomingMessage;
  readonly settings: Readonly<Settings>;
  /** Upper case, e.g. 'GET'. */
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string;
  /** The query string as sent (no '?'), '' when none. */
  readonly rawQuery: string;
  /** The converted path parameters by name (set by the pipeline). */
  params: Record<string, unknown>;
  /** The route that matched (set by the pipeline), or null. */
  route: RouteInfo | null;
  /** Set by `SessionMiddleware`; undefined without it. */
  session: Session;
  /** Set by `AuthenticationMiddleware`; undefined without it. */
  user: RequestUser;
  /** The test Client sets it to skip CSRF checks (Django's `_dont_enforce_csrf_checks`). */
  dontEnforceCsrfChecks: boolean;

  private _path: string | null;
  private _meta: Record<string, string> | null;
  private _headers: HttpHeaders | null;
  private _cookies: Record<string, string> | null;
  private _get: QueryDict | null;
  private _post: QueryDict | null;
  private _multipartPost: QueryDict | null;
  private _files: MultiValueDict<UploadedFile> | null;
  private _request: QueryDict | null;
  private _contentType: string | null;
  private _contentParams: Record<string, string> | null;
  private _encoding: string | null;
  private _bodyState: number;
  private _bodyPromise: Promise<void> | null;
  private _bodyError: unknown;
  private _body: Buffer | null;
  private _data: unknown;
  private _json: unknown;
  private _acceptedTypes: MediaType[] | null;
  private _host: string | null;
  private _schemeHost: string | null;
  private _resolverMatch: ResolverMatch | null;
  /**
   * The CSP nonce's state: undefined without ContentSecurityPolicyMiddleware, which sets null;
   * the nonce once `cspNonce` was read.
   * @internal
   */
  _cspNonce: string | null | undefined;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    this.req = req;
    this.settings = settings;
    this.method = (req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.rawPath = q === -1 ? url : url.slice(0, q);
    this.rawQuery = q === -1 ? '' : url.slice(q + 1);
    this.params = EMPTY_PARAMS;
    this.route = null;
    this.session = undefined as unknown as Session;
    this.user = undefined as unknown as RequestUser;
    this.dontEnforceCsrfChecks = false;
    this._path = null;
    this._meta = null;
    this._headers = null;
    this._cookies = null;
    this._get = null;
    this._post = null;
    this._multipartPost = null;
    this._files = null;
    this._request = null;
    this._contentType = null;
    this._contentParams = null;
    this._encoding = null;
    this._bodyState = NOT_LOADED;
    this._bodyPromise = null;
    this._bodyError = null;
    this._body = null;
    this._data = UNSET;
    this._json = UNSET;
    this._acceptedTypes = null;
    this._host = null;
    this._schemeHost = null;
    this._resolverMatch = null;
    this._cspNonce = undefined;
  }

  // -- URL ---------------------------------------------------------------------------------

  /** The percent-decoded path, e.g. '/music/bands/the_beatles/'. Throws BadRequest when undecodable. */
  get path(): string {
    return this._path ?? (this._path = decodePath(this.rawPath));
  }

  /** Same as `path` (there is no SCRIPT_NAME: the app is mounted at the root). */
  get pathInfo(): string {
    return this.path;
  }

  /**
   * The path with the query string, re-encoded as a URI (`forceAppendSlash` adds a missing '/').
   * @example request.getFullPath() // '/music/bands/the_beatles/?print=true'
   */
  getFullPath(forceAppendSlash = false): string {
    const path = this.path;
    const slash = forceAppendSlash && !path.endsWith('/') ? '/' : '';
    return escapeUriPath(path) + slash + (this.rawQuery ? '?' + iriToUri(this.rawQuery) : '');
  }

  /** The route that matched, with its params, or null (Django's `resolver_match`). */
  get resolverMatch(): ResolverMatch | null {
    const route = this.route;
    if (route === null) return null;
    const cached = this._resolverMatch;
    if (cached !== null && cached.params === this.params && cached.route === route.route && cached.methodName === route.methodName) {
      return cached;
    }
    const params = this.params;
    return (this._resolverMatch = {
      routeName: route.routeName,
      urlName: route.routeName,
      route: route.route,
      controllerName: route.controllerName,
      methodName: route.methodName,
      csrfExempt: route.csrfExempt,
      params,
      kwargs: params,
    });
  }

  /**
   * This request's Content-Security-Policy nonce (Django 6.0's `request.csp_nonce`): 16 random
   * bytes in base64url (`secrets.token_urlsafe(16)`), made on first read, then the same for the
   * whole request. `ContentSecurityPolicyMiddleware` puts `'nonce-<it>'` where the policy has
   * `CSP.NONCE` only when it was read, as Django's LazyNonce. Undefined without that middleware.
   * @example
   * return new HttpResponse(`<script nonce="${request.cspNonce}">boot()</script>`);
   */
  get cspNonce(): string | undefined {
    const nonce = this._cspNonce;
    return nonce === null ? (this._cspNonce = randomBytes(16).toString('base64url')) : nonce;
  }

  // -- Headers and environ -----------------------------------------------------------------

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

  /** Cookie name -> value (Django's lenient parsing, see request-cookies.ts). */
  get COOKIES(): Record<string, string> {
    if (this._cookies === null) {
      const header = this.metaValue('HTTP_COOKIE', 'cookie');
      this._cookies = header ? parseCookieHeader(header) : Object.create(null);
    }
    return this._cookies as Record<string, string>;
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
   * The charset GET and POST are decoded with: the Content-Type's `charset` when Node knows it,
   * else `settings.defaultCharset`. Setting it re-decodes GET and POST on their next access.
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

  set encoding(value: string) {
    this._encoding = value;
    this._get = null;
    this._post = null;
    this._request = null;
    this._data = UNSET;
    this._json = UNSET;
  }

  // -- Query and form data -----------------------------------------------------------------

  /** The query string's parameters (immutable QueryDict). */
  get GET(): QueryDict {
    return (
      this._get ??
      (this._get = new QueryDict(this.rawQuery, { encoding: this.encoding, maxNumFields: this.settings.dataUploadMaxNumberFields }))
    );
  }

  /**
   * The form fields of an `application/x-www-form-urlencoded` or `multipart/form-data` body
   * (immutable QueryDict); empty for any other body.
   */
  get POST(): QueryDict {
    if (this._multipartPost !== null) return this._multipartPost;
    if (this._post === null) {
      this.assertBodyLoaded('POST');
      this._post = this.contentType === FORM ? this.parseUrlencoded() : new QueryDict(null, { encoding: this.encoding });
    }
    return this._post;
  }

  /** The uploaded files of a multipart body (empty otherwise). */
  get FILES(): MultiValueDict<UploadedFile> {
    if (this._files === null) {
      this.assertBodyLoaded('FILES');
      this._files = new MultiValueDict<UploadedFile>();
    }
    return this._files;
  }

  /** POST then GET: a key's values come from POST when POST has it (Django's old MergeDict). */
  get REQUEST(): QueryDict {
    if (this._request === null) {
      const post = this.POST;
      const merged = new QueryDict(null, { mutable: true, encoding: this.encoding });
      for (const [key, list] of post.lists()) merged.setList(key, list);
      for (const [key, list] of this.GET.lists()) if (!post.has(key)) merged.setList(key, list);
      merged._freeze();
      this._request = merged;
    }
    return this._request;
  }

  /** The last value of `key` in POST, else in GET; throws MultiValueDictKeyError. */
  getItem(key: string): string {
    const post = this.POST;
    if (post.has(key)) return post.getItem(key);
    const get = this.GET;
    if (get.has(key)) return get.getItem(key);
    throw new MultiValueDictKeyError(key);
  }

  /** Does POST or GET have `key`? */
  hasKey(key: string): boolean {
    return this.POST.has(key) || this.GET.has(key);
  }

  // -- Body --------------------------------------------------------------------------------

  /**
   * Read the body (idempotent). The pipeline awaits it before the handler; a middleware that
   * needs the body earlier awaits it too. Rejects with RequestDataTooBig over the limits,
   * BadRequest when the body is cut short, or the multipart parser's errors.
   */
  loadBody(): Promise<void> {
    if (this._bodyPromise !== null) return this._bodyPromise;
    if (!this.carriesBody()) {
      this.markEmptyBody();
      return RESOLVED;
    }
    this._bodyState = LOADING;
    return (this._bodyPromise = this.readBodyNow());
  }

  /**
   * Takes a body that is not multipart when the stream's buffer already holds all of it, without
   * a promise: true when the body is then loaded. Anything else (a body still arriving, one to
   * refuse, multipart) is left to `loadBody()`. The bare pipeline calls it on the tick after the
   * head, when node:http has pushed the body that came with it.
   * @internal
   */
  loadBufferedBody(): boolean {
    if (this._bodyPromise !== null || this.contentType === MULTIPART) return false;
    const body = takeBuffered(this.req, this.settings);
    if (body === null) return false;
    this._body = body;
    this._bodyState = LOADED;
    this._bodyPromise = RESOLVED;
    return true;
  }

  /**
   * True when the body stream was not read to its end (refused early, aborted, or never read):
   * the connection then carries unread bytes and should be closed after the response.
   */
  get bodyIncomplete(): boolean {
    // A body taken whole from the stream's buffer was read, though the stream ends later.
    return this._bodyState !== LOADED && !this.req.readableEnded && this.carriesBody();
  }

  /** The raw body (empty Buffer when none). Throws RawPostDataException after a multipart body was streamed. */
  get body(): Buffer {
    this.assertBodyLoaded('body');
    if (this._multipartPost !== null) throw new RawPostDataException("You cannot access body after reading from request's data stream");
    return this._body as Buffer;
  }

  /** Alias of `body` (Django 1.x's name). */
  get rawPostData(): Buffer {
    return this.body;
  }

  /**
   * The body parsed by its content type: the JSON value for `application/json` and `*+json`
   * (`{}` for an empty body), the POST QueryDict for form and multipart bodies, else undefined
   * (read `body` for anything else). Throws BadRequest ("JSON parse error - ...") on bad JSON.
   */
  get data(): unknown {
    if (this._data === UNSET) {
      this.assertBodyLoaded('data');
      const type = this.contentType;
      if (isJsonType(type)) this._data = this.json();
      else if (type === FORM || type === MULTIPART) this._data = this.POST;
      else this._data = undefined;
    }
    return this._data;
  }

  /**
   * The body parsed as JSON, whatever the content type (`{}` for an empty body). Throws
   * BadRequest ("JSON parse error - ...") when it is not JSON.
   * @example const { title } = request.json<{ title: string }>();
   */
  json<T = unknown>(): T {
    if (this._json === UNSET) this._json = parseJsonBody(this.body, this.encoding);
    return this._json as T;
  }

  /**
   * Validate input into a `Dto` instance (class-validator, SPEC §8) or through a Standard Schema
   * (Zod, Valibot, ...; resolves with the schema's output). The source defaults to the body
   * (`data`) for requests with one (and POST/PUT/PATCH), else the query. Form and query data
   * become a plain object whose repeated keys hold arrays (files of a multipart body included);
   * for a DTO their text is converted to the declared property types as Django's form fields do
   * (`"5"` for an `@IsInt()` field, `"false"` for a boolean); a JSON body is validated as it
   * came, so `"5"` is not an integer there. Rejects with ValidationError.
   * @example
   * const signup = await request.validate(SignupDto);
   * const page = await request.validate(z.object({ page: z.coerce.number() }), 'query'); // { page: number }
   */
  validate<T extends object>(dto: new () => T, source?: ValidationSource): Promise<T>;
  validate<S extends StandardSchemaV1>(schema: S, source?: ValidationSource): Promise<InferSchemaOutput<S>>;
  validate(validator: Validator, source?: ValidationSource): Promise<unknown>;
  async validate(validator: Validator, source?: ValidationSource): Promise<unknown> {
    const input = this.validationInput(source);
    return validateWith(validator, input.value, { textual: input.textual });
  }

  /** Whether the request carries a body (a Content-Length above 0, or Transfer-Encoding). */
  get hasBody(): boolean {
    return this.carriesBody();
  }

  /** Whether the request brought uploaded files that `cleanup()` will remove. */
  get hasUploadedFiles(): boolean {
    return this._files !== null && this._files.size > 0;
  }

  /** Remove spilled upload files (the pipeline calls it once the response is finished). */
  cleanup(): Promise<void> {
    const files = this._files;
    if (files === null || files.size === 0) return RESOLVED;
    return removeUploadedFiles(files);
  }

  // -- Host, scheme, absolute URIs ---------------------------------------------------------

  /**
   * The host the client asked for, with its port ('example.com:8000'), checked against
   * `allowedHosts`; throws DisallowedHost (400) when it is malformed or not allowed.
   */
  getHost(): string {
    if (this._host !== null) return this._host;
    const host = this.rawHost();
    const settings = this.settings;
    let known = knownHosts.get(settings);
    if (known !== undefined && known.has(host)) return (this._host = host);
    const allowed = settings.debug && settings.allowedHosts.length === 0 ? DEBUG_ALLOWED_HOSTS : settings.allowedHosts;
    const [domain] = splitDomainPort(host);
    if (domain && validateHost(domain, allowed)) {
      // Clients send the same few Host values; remember those that passed (bounded, so a flood
      // of distinct valid names under a wildcard cannot grow it without limit).
      if (known === undefined) knownHosts.set(settings, (known = new Set()));
      if (known.size < KNOWN_HOSTS_MAX) known.add(host);
      return (this._host = host);
    }
    if (domain === 'testserver' && this.fromTestClient()) return (this._host = host);
    let message = `Invalid HTTP_HOST header: ${pyRepr(host)}.`;
    if (domain) message += ` You may need to add ${pyRepr(domain)} to allowedHosts.`;
    else message += ' The domain name provided is not valid according to RFC 1034/1035.';
    throw new DisallowedHost(message);
  }

  /** The port, as a string: X-Forwarded-Port with `useXForwardedPort`, else SERVER_PORT. */
  getPort(): string {
    if (this.settings.useXForwardedPort) {
      const forwarded = this.metaValue('HTTP_X_FORWARDED_PORT', 'x-forwarded-port');
      if (forwarded !== undefined) return forwarded;
    }
    return this.META.SERVER_PORT;
  }

  /** 'https' when the proxy header of `secureProxySslHeader` says so or the socket is TLS, else 'http'. */
  get scheme(): 'http' | 'https' {
    const pair = this.settings.secureProxySslHeader;
    if (pair !== null) {
      const value = this.metaValue(pair[0], metaKeyToHeader(pair[0]));
      if (value !== undefined) {
        // A proxy chain appends to the header: the leftmost value is the one the client's proxy set.
        const comma = value.indexOf(',');
        return (comma === -1 ? value : value.slice(0, comma)).trim() === pair[1] ? 'https' : 'http';
      }
    }
    return (this.req.socket as SocketInfo)?.encrypted ? 'https' : 'http';
  }

  isSecure(): boolean {
    return this.scheme === 'https';
  }

  /** Sent by XMLHttpRequest-based libraries: `X-Requested-With: XMLHttpRequest`. */
  isAjax(): boolean {
    return this.metaValue('HTTP_X_REQUESTED_WITH', 'x-requested-with') === 'XMLHttpRequest';
  }

  /**
   * `location` as an absolute URI on this request's scheme and host (Django's rules: an absolute
   * URL is kept, `//host/x` keeps its host, `///x` stays on this host, a relative one is joined to
   * the current path). Without `location`: this request's full URI.
   * @example request.buildAbsoluteUri('/login/') // 'https://example.com/login/'
   */
  buildAbsoluteUri(location?: string): string {
    const target = location === undefined ? '//' + this.getFullPath() : String(location);
    return buildAbsoluteUri(target, this.scheme, () => this.currentSchemeHost(), this.path);
  }

  // -- Cookies and content negotiation -----------------------------------------------------

  /**
   * The value of a cookie set with `setSignedCookie`. A missing cookie throws KeyError, a bad
   * signature BadSignature, an old one (`maxAge` seconds) SignatureExpired, unless a `default`
   * is given, which is then returned. Values signed with one of `secretKeyFallbacks` verify too.
   * @example request.getSignedCookie('name', { salt: 'greeting', default: null })
   */
  getSignedCookie(key: string): string;
  getSignedCookie<D = never>(key: string, options: SignedCookieOptions<D>): string | D;
  getSignedCookie<D>(key: string, options: SignedCookieOptions<D> = {}): string | D {
    const hasDefault = Object.prototype.hasOwnProperty.call(options, 'default');
    const value = this.COOKIES[key];
    if (value === undefined) {
      if (hasDefault) return options.default as D;
      throw new KeyError(key);
    }
    try {
      const settings = this.settings;
      return unsignCookieValue(key, value, settings.secretKey, options.salt ?? '', options.maxAge, { fallbackSecrets: settings.secretKeyFallbacks });
    } catch (error) {
      if (hasDefault && error instanceof BadSignature) return options.default as D;
      throw error;
    }
  }

  /** The Accept header's media ranges, most preferred first (q=0 ranges left out). */
  get acceptedTypes(): MediaType[] {
    return this._acceptedTypes ?? (this._acceptedTypes = parseAccept(this.metaValue('HTTP_ACCEPT', 'accept') ?? '*/*'));
  }

  /** The accepted range that covers `mediaType` best, or null. */
  acceptedType(mediaType: string): MediaType | null {
    return acceptedType(this.acceptedTypes, mediaType);
  }

  /**
   * Does the client accept `mediaType`? (`*\/*` and `type/*` ranges count; `q=0` refuses.)
   * @example if (request.accepts('text/html')) return render(request, 'page.html', {});
   */
  accepts(mediaType: string): boolean {
    return this.acceptedType(mediaType) !== null;
  }

  /**
   * The one of `mediaTypes` the client prefers, or null when it accepts none (Django 5.2).
   * @example request.getPreferredType(['text/html', 'application/json'])
   */
  getPreferredType(mediaTypes: readonly string[]): string | null {
    return getPreferredType(this.acceptedTypes, mediaTypes);
  }

  toString(): string {
    return `<HttpRequest: ${this.method} ${pyRepr(this.rawPath + (this.rawQuery ? '?' + this.rawQuery : ''))}>`;
  }

  // -- Internals ---------------------------------------------------------------------------

  private buildMeta(): Record<string, string> {
    let pathInfo: string;
    try {
      pathInfo = this.path;
    } catch {
      pathInfo = this.rawPath;
    }
    return buildMeta(this.req, { method: this.method, rawQuery: this.rawQuery, pathInfo });
  }

  private parseContentType(): void {
    const [type, params] = parseHeaderParameters(this.metaValue('CONTENT_TYPE', 'content-type') ?? '');
    this._contentType = type;
    this._contentParams = params;
  }

  private rawHost(): string {
    if (this.settings.useXForwardedHost) {
      const forwarded = this.metaValue('HTTP_X_FORWARDED_HOST', 'x-forwarded-host');
      if (forwarded !== undefined) return forwarded;
    }
    const host = this.metaValue('HTTP_HOST', 'host');
    if (host !== undefined) return host;
    // PEP 333's reconstruction.
    const port = this.getPort();
    const name = this.META.SERVER_NAME;
    return port === (this.isSecure() ? '443' : '80') ? name : `${name}:${port}`;
  }

  /**
   * META[key] without building META when it is not built yet: a header read from rawHeaders by
   * the same rules (`header`: its lower-case name). Once META exists it is the source, so what a
   * middleware writes into it is seen.
   */
  private metaValue(key: string, header: string | null): string | undefined {
    const meta = this._meta;
    if (meta !== null) return meta[key];
    if (header === null) return this.META[key];
    return rawHeaderValue(this.req.rawHeaders ?? [], header);
  }

  private currentSchemeHost(): string {
    return this._schemeHost ?? (this._schemeHost = `${this.scheme}://${this.getHost()}`);
  }

  private fromTestClient(): boolean {
    return (this.req as unknown as Record<symbol, unknown>)[FROM_TEST_CLIENT] === true;
  }

  private carriesBody(): boolean {
    return carriesBody(this.req.rawHeaders ?? []);
  }

  private markEmptyBody(): void {
    this._bodyState = LOADED;
    this._body = EMPTY_BODY;
    this._bodyPromise = RESOLVED;
  }

  private async readBodyNow(): Promise<void> {
    try {
      if (this.contentType === MULTIPART) {
        const { post, files } = await receiveMultipart(this.req, {
          contentType: this.metaValue('CONTENT_TYPE', 'content-type') ?? '',
          encoding: this.encoding,
          settings: this.settings,
          fieldsAlreadyCounted: QueryDict.countFields(this.rawQuery),
        });
        this._multipartPost = post;
        this._files = files;
      } else {
        // node:http pushes a body that came with the head just after the 'request' event: after
        // one await it is usually all in the stream's buffer, taken without a further promise.
        await undefined;
        this._body = takeBuffered(this.req, this.settings) ?? (await receiveBuffered(this.req, this.settings));
      }
      this._bodyState = LOADED;
    } catch (error) {
      this._bodyState = FAILED;
      this._bodyError = error;
      throw error;
    }
  }

  private assertBodyLoaded(attribute: string): void {
    const state = this._bodyState;
    if (state === LOADED) return;
    if (state === FAILED) throw this._bodyError;
    if (state === NOT_LOADED && !this.carriesBody()) {
      this.markEmptyBody();
      return;
    }
    throw new Error(`request.${attribute} was read before the request body was loaded: await request.loadBody() first.`);
  }

  private parseUrlencoded(): QueryDict {
    const max = this.settings.dataUploadMaxNumberFields;
    // GET and POST fields share the one limit.
    return parseFormBody(this.body, this.encoding, max === null ? null : max - QueryDict.countFields(this.rawQuery));
  }

  /** The input to validate, and whether it is text (form, query, a given object) to convert. */
  private validationInput(source: ValidationSource | undefined): { value: unknown; textual: boolean } {
    const from = source ?? (this.carriesBody() || BODY_METHODS.has(this.method) ? 'data' : 'query');
    if (from === 'query') return { value: toPlainObject(this.GET, null), textual: true };
    if (from === 'data' || from === 'body') {
      const data = this.data;
      if (data instanceof QueryDict) return { value: toPlainObject(data, this._files), textual: true };
      return { value: data === undefined ? {} : data, textual: false };
    }
    return { value: from, textual: true };
  }
}
