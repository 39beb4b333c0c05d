import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import { DisallowedHost, UnreadablePostError } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { addNewCsrfCookie, checkTokenFormat, doesTokenMatch, getSecret, InvalidTokenFormat, REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, states } from './csrf-token';
import { defaultCsrfFailureView } from '../templates/csrf-failure-view';
import { addVary } from '../http/cache-headers';
import { REASON_BAD_ORIGIN, refererCheck, RejectRequest, trustedOriginsFor } from './csrf-origins';
import { isSameDomain } from '../http/host';
import { markLogged } from '../logging/log-response';
import { urlSplit } from '../http/url-split';

export { csrfToken, rotateToken } from './csrf-token';
export {
  REASON_BAD_ORIGIN,
  REASON_BAD_REFERER,
  REASON_INSECURE_REFERER,
  REASON_MALFORMED_REFERER,
  REASON_NO_REFERER,
} from './csrf-origins';

export { REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE } from './csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** Python's `str.title()` for header names: X-CSRFTOKEN -> X-Csrftoken (Django's `HttpHeaders.parse_header_name`). */
function headerDisplayName(metaName: string): string {
  const bare = metaName.startsWith('HTTP_') ? metaName.slice(5) : metaName;
  return bare.replace(/_/g, '-').toLowerCase().replace(/(^|[^a-z])([a-z])/g, (_m, pre: string, ch: string) => pre + ch.toUpperCase());
}

function badTokenMessage(reason: string, source: string): string {
  const where = source === 'POST' ? 'POST' : `the '${headerDisplayName(source)}' HTTP header`;
  return `CSRF token from ${where} ${reason}.`;
}

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/**
 * Cross-site request forgery protection, as Django 4.1+'s `CsrfViewMiddleware` (SPEC §10).
 *
 * Unsafe methods (not GET, HEAD, OPTIONS, TRACE) must carry the secret of the `csrftoken`
 * cookie, masked or not, in the `csrfmiddlewaretoken` form field or the `X-CSRFToken` header
 * (`csrfHeaderName`). Before that, an `Origin` header must be this host or a `csrfTrustedOrigins`
 * entry (`https://*.example.com` for subdomains); on HTTPS without Origin, the `Referer` must be
 * an https URL of this host or a trusted one. Failure: the `csrfFailureView` setting's response,
 * by default 403 with Django's reason, JSON (`{"detail": "CSRF Failed: <reason>"}`) for JSON
 * clients, else the app's `403_csrf.html` or a built-in page. Skipped for
 * `@CsrfExempt()` routes and for the test Client unless `enforceCsrfChecks`.
 * @example createApp({ controllers, middleware: [SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware] });
 */
@injectable()
export class CsrfMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  /** Synchronous for safe methods and exempt routes; an unsafe request's check may read the body. */
  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    // process_request: remember the cookie's secret; a malformed cookie gets a new one.
    try {
      const secret = getSecret(request);
      if (secret !== null) states.set(request, { secret, needsUpdate: false });
    } catch (error) {
      if (!(error instanceof InvalidTokenFormat)) throw error;
      addNewCsrfCookie(request);
    }
    const reason = this.rejection(request);
    return reason instanceof Promise ? this.respondLater(request, reason, next) : this.respond(request, reason, next);
  }

  private async respondLater(request: HttpRequest, reason: Promise<string | null>, next: InlineNext): Promise<HttpResponse> {
    return this.respond(request, await reason, next);
  }

  private respond(request: HttpRequest, reason: string | null, next: InlineNext): MaybePromise<HttpResponse> {
    if (reason !== null) {
      const refused = rejectionResponse(request, reason);
      return refused instanceof Promise ? processResponseLater(request, refused) : processResponse(request, refused);
    }
    const response = next(request);
    return response instanceof Promise ? processResponseLater(request, response) : processResponse(request, response);
  }

  /** Django's `process_view`: null to accept, else the reason to refuse (a promise when the token is checked). */
  private rejection(request: HttpRequest): string | null | Promise<string | null> {
    if (SAFE_METHODS.has(request.method)) return null;
    // Django runs process_view only for a resolved view: with no route no handler runs (the
    // pipeline answers 404 or 405), so there is nothing to protect and the client sees the 404.
    if (request.route === null || request.route.csrfExempt || request.dontEnforceCsrfChecks) return null;
    return csrfFailure(request);
  }
}

/**
 * DRF's `SessionAuthentication.enforce_csrf`: the check `CsrfMiddleware` makes, for a route with
 * `@Authentication` (which the middleware leaves alone, as DRF's views are `csrf_exempt`) whose
 * request is not authenticated by a header. The 403 to answer with, or null to go on. Safe
 * methods and the test Client (unless `enforceCsrfChecks`) pass.
 * @example const refused = await enforceCsrf(request); if (refused !== null) return refused;
 */
export async function enforceCsrf(request: HttpRequest): Promise<HttpResponse | null> {
  if (SAFE_METHODS.has(request.method) || request.dontEnforceCsrfChecks) return null;
  const reason = await csrfFailure(request);
  return reason === null ? null : await rejectionResponse(request, reason);
}

/** Django's `process_view` past its exemptions: the Origin/Referer checks, then the token. */
async function csrfFailure(request: HttpRequest): Promise<string | null> {
  try {
    const origin = request.headers.get('Origin');
    if (origin != null) {
      if (!originVerified(request, origin)) return REASON_BAD_ORIGIN.replace('%s', origin);
    } else if (request.isSecure()) {
      // An HTTPS request without Origin: a man in the middle on plain HTTP could have made it,
      // so the Referer must be an https page of this site (Django's _check_referer).
      refererCheck(request, request.headers.get('Referer') ?? null);
    }
    await checkToken(request);
    return null;
  } catch (error) {
    if (error instanceof RejectRequest) return error.reason;
    throw error;
  }
}

/** Django's `_check_token`. */
async function checkToken(request: HttpRequest): Promise<void> {
  let secret: string | null;
  try {
    // The cookie, not the remembered secret: rotateToken() may have run meanwhile.
    secret = getSecret(request);
  } catch (error) {
    throw new RejectRequest(`CSRF cookie ${(error as InvalidTokenFormat).message}.`);
  }
  // No cookie, no POST: this also stops login CSRF, where there is no session yet.
  if (secret === null) throw new RejectRequest(REASON_NO_CSRF_COOKIE);
  let token = '';
  if (request.method === 'POST' && FORM_TYPES.has(request.contentType)) {
    try {
      await request.loadBody();
      token = request.POST.get('csrfmiddlewaretoken', '') ?? '';
    } catch (error) {
      // Django's _check_token: a connection broken while reading the POST data is not the
      // client's token being wrong; go on to the header and answer 403 without one. Any other
      // error (a body too big, a malformed one) keeps its own answer.
      if (!(error instanceof UnreadablePostError)) throw error;
    }
  }
  let source = 'POST';
  if (token === '') {
    const headerName = request.settings.csrfHeaderName;
    const header = request.META[headerName];
    if (header === undefined) throw new RejectRequest(REASON_CSRF_TOKEN_MISSING);
    token = header;
    source = headerName;
  }
  try {
    checkTokenFormat(token);
  } catch (error) {
    throw new RejectRequest(badTokenMessage((error as InvalidTokenFormat).message, source));
  }
  if (!doesTokenMatch(token, secret)) throw new RejectRequest(badTokenMessage('incorrect', source));
}

/**
 * The response to a refused request: the `csrfFailureView` setting's (Django's CSRF_FAILURE_VIEW),
 * else {@link defaultCsrfFailureView}; logged like Django's `log_response`.
 */
function rejectionResponse(request: HttpRequest, reason: string): MaybePromise<HttpResponse> {
  // Django's CsrfViewMiddleware._reject: django.security.csrf, WARNING, with the status. The path
  // is the client's: the logger escapes it, so it cannot start a line of its own (CVE-2025-48432).
  request.log.warn({ name: 'reinhardt.security.csrf', status: 403 }, `Forbidden (${reason}): ${request.path}`);
  const view = request.settings.csrfFailureView;
  const response = view === null ? defaultCsrfFailureView(request, reason) : view(request, reason);
  // _reject's log_response marks the 403, so django.request does not log it again.
  return response instanceof Promise ? response.then(markLogged) : markLogged(response);
}

/** Django's `process_response`: the cookie when the secret is new or was rotated. */
function processResponse(request: HttpRequest, response: HttpResponse): HttpResponse {
  const state = states.get(request);
  if (state !== undefined && state.needsUpdate) {
    setCsrfCookie(request.settings, state.secret, response);
    state.needsUpdate = false;
  }
  return response;
}

async function processResponseLater(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
  return processResponse(request, await pending);
}

/** Django's `_origin_verified`: this host (scheme included), an exact trusted origin, or a trusted wildcard. */
function originVerified(request: HttpRequest, origin: string): boolean {
  try {
    if (origin === `${request.isSecure() ? 'https' : 'http'}://${request.getHost()}`) return true;
  } catch (error) {
    if (!(error instanceof DisallowedHost)) throw error;
  }
  const trusted = trustedOriginsFor(request.settings);
  if (trusted.exact.has(origin)) return true;
  const parsed = urlSplit(origin);
  if (parsed === null) return false; // urlsplit's ValueError
  return (trusted.subdomains.get(parsed.scheme) ?? []).some((host) => isSameDomain(parsed.netloc, host));
}

function setCsrfCookie(settings: Readonly<Settings>, secret: string, response: HttpResponse): void {
  response.setCookie(settings.csrfCookieName, secret, {
    maxAge: settings.csrfCookieAge,
    domain: settings.csrfCookieDomain,
    path: settings.csrfCookiePath,
    secure: settings.csrfCookieSecure,
    httpOnly: settings.csrfCookieHttpOnly,
    sameSite: settings.csrfCookieSameSite,
  });
  // The response differs with the cookie.
  addVary(response, ['Cookie']);
}
