/**
 * HttpRequest: Django's request object (django/http/request.py, `HttpRequest` and
 * `WSGIRequest`) over a Node `IncomingMessage`.
 *
 * It is built in layers, one concept each, every one a base class of the next:
 * request-environ.ts (the method, the path, META, headers, Content-Type, encoding),
 * request-location.ts (host, scheme, full paths, absolute URIs), request-body-reader.ts (loading
 * the body, and reading it as a stream), request-data.ts (COOKIES, GET, POST, FILES, data,
 * validate); this file adds what the pipeline and the middleware set (params, route, session,
 * user), the request ID and logger, the CSP nonce, signed cookies and content negotiation.
 *
 * Creating one is on every request's path, so the constructors only split the URL; everything
 * else is a getter on a prototype that computes on first access and caches in an underscore
 * field. The fields are all assigned in the constructors, always in the same order, so every
 * request shares one hidden class.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestUser } from '../auth/request-user';
import type { Settings } from '../core/settings';
import { appLoggerFor } from '../logging/app-loggers';
import type { Logger } from '../logging/logger';
import { requestIdFor } from '../logging/request-id';
import type { ResolverMatch, RouteInfo } from '../routing/resolver-match';
import type { Session } from '../sessions/session';
import { unsignCookieValue } from '../signing';
import { BadSignature, KeyError } from './errors';
import { pyRepr } from './host';
import { type MediaType, acceptedType, getPreferredType, parseAccept } from './media-type';
import { RequestData } from './request-data';

export { FROM_TEST_CLIENT } from './request-location';
export type { ValidationSource } from './request-data';

/** Options of `getSignedCookie`. */
export interface SignedCookieOptions<D> {
  /** Returned when the cookie is missing or its signature is bad or expired (else those throw). */
  default?: D;
  /** Must match the salt given to `setSignedCookie`. Default ''. */
  salt?: string;
  /** Refuse a value signed more than this many seconds ago (SignatureExpired). */
  maxAge?: number;
}

const EMPTY_PARAMS: Record<string, unknown> = Object.freeze(Object.create(null));

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
export class HttpRequest extends RequestData {
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

  private _acceptedTypes: MediaType[] | null;
  private _resolverMatch: ResolverMatch | null;
  /**
   * The CSP nonce's state: undefined without ContentSecurityPolicyMiddleware, which sets null;
   * the nonce once `cspNonce` was read.
   * @internal
   */
  _cspNonce: string | null | undefined;
  private _id: string | null;
  private _log: Logger | null;

  constructor(req: IncomingMessage, settings: Readonly<Settings>) {
    super(req, settings);
    this.params = EMPTY_PARAMS;
    this.route = null;
    this.session = undefined as unknown as Session;
    this.user = undefined as unknown as RequestUser;
    this.dontEnforceCsrfChecks = false;
    this._acceptedTypes = null;
    this._resolverMatch = null;
    this._cspNonce = undefined;
    this._id = null;
    this._log = null;
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

  // -- Logging (docs/logging.md) -------------------------------------------------------------

  /**
   * This request's ID, made on first read (src/logging/request-id.ts): the trusted proxy's
   * `requestIdHeader` when `trustRequestIdHeader` allows it and it is valid, else generated. Once
   * made, the response carries it in `requestIdHeader`.
   * @example request.log.info(`Vote ${request.id} counted`);
   */
  get id(): string {
    return this._id ?? (this._id = requestIdFor(this.req, this.settings));
  }

  /** Whether `id` was made (the response then echoes it). @internal */
  get hasId(): boolean {
    return this._id !== null;
  }

  /**
   * The app's logger with this request's `requestId` on every record (Fastify's `request.log`),
   * made on first use, so a request nothing logs about pays nothing.
   * @example request.log.warn({ name: 'polls', poll: id }, 'Vote for a closed poll');
   */
  get log(): Logger {
    return this._log ?? (this._log = appLoggerFor(this.settings).child({ requestId: this.id }));
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

  override toString(): string {
    return `<HttpRequest: ${this.method} ${pyRepr(this.rawPath + (this.rawQuery ? '?' + this.rawQuery : ''))}>`;
  }
}
