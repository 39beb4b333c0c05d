/**
 * Status subclasses, one-liners over HttpResponse as in Django's django/http/response.py
 * (`class HttpResponseNotFound(HttpResponse): status_code = 404`) and django-extras'
 * django_extras/http. Each takes HttpResponse's `(content?, init?)`; `init.status` still wins.
 */
import { HttpResponse, type HttpResponseInit, type ResponseContent } from './http-response';
import {
  HttpResponsePermanentRedirect,
  HttpResponseRedirect,
  HttpResponseRedirectBase,
  HttpResponseSeeOther,
} from './response-redirects';

export { HttpResponseRedirectBase, HttpResponseRedirect, HttpResponsePermanentRedirect, HttpResponseSeeOther };
export { iriToUri, MAX_URL_REDIRECT_LENGTH, type RedirectInit } from './response-redirects';

// -- 2xx --
/** 201 Created. @example new HttpResponseCreated(JSON.stringify(poll), { contentType: 'application/json' }) */
export class HttpResponseCreated extends HttpResponse { static override statusCode = 201; }
/** 202 Accepted. */
export class HttpResponseAccepted extends HttpResponse { static override statusCode = 202; }
/** 203 Non-Authoritative Information. */
export class HttpResponseNonAuthoritative extends HttpResponse { static override statusCode = 203; }
/** 204 No Content (what a handler returning null/undefined answers). */
export class HttpResponseNoContent extends HttpResponse { static override statusCode = 204; }
/** 205 Reset Content. */
export class HttpResponseResetContent extends HttpResponse { static override statusCode = 205; }
/** 206 Partial Content. */
export class HttpResponsePartialContent extends HttpResponse { static override statusCode = 206; }

// -- 3xx (redirects are in response-redirects.ts) --

/**
 * 304 Not Modified: no body and no Content-Type (Django deletes it). Setting content throws.
 * @example return new HttpResponseNotModified();
 */
export class HttpResponseNotModified extends HttpResponse {
  static override statusCode = 304;

  constructor(content?: ResponseContent, init?: HttpResponseInit) {
    super(undefined, init);
    this.headers.delete('content-type');
    if (content != null) this.assignContent(content);
  }

  override get writable(): boolean {
    return false;
  }

  override write(_chunk?: string | Uint8Array): void {
    throw new Error('You cannot set content to a 304 (Not Modified) response');
  }

  protected override assignContent(value: ResponseContent): void {
    const empty = value == null || value === '' || (value instanceof Uint8Array && value.length === 0);
    if (!empty) throw new Error('You cannot set content to a 304 (Not Modified) response');
    super.assignContent(undefined);
  }
}

// -- 4xx --
/** 400 Bad Request. */
export class HttpResponseBadRequest extends HttpResponse { static override statusCode = 400; }
/** 401 Unauthorized (django-extras' spelling; `HttpResponseUnauthorized` is the same class). */
export class HttpResponseUnAuthorised extends HttpResponse { static override statusCode = 401; }
/** 401 Unauthorized: the same class as `HttpResponseUnAuthorised`. */
export const HttpResponseUnauthorized = HttpResponseUnAuthorised;
export type HttpResponseUnauthorized = HttpResponseUnAuthorised;
/** 402 Payment Required. */
export class HttpResponsePaymentRequired extends HttpResponse { static override statusCode = 402; }
/** 403 Forbidden. */
export class HttpResponseForbidden extends HttpResponse { static override statusCode = 403; }
/** 404 Not Found (a response; `Http404` is the exception). */
export class HttpResponseNotFound extends HttpResponse { static override statusCode = 404; }

/**
 * 405 Method Not Allowed, with `Allow` listing the permitted methods (RFC 9110 §15.5.6).
 * @example new HttpResponseNotAllowed(['GET', 'POST']).headers.get('Allow') // 'GET, POST'
 */
export class HttpResponseNotAllowed extends HttpResponse {
  static override statusCode = 405;

  constructor(permittedMethods: Iterable<string>, content?: ResponseContent, init?: HttpResponseInit) {
    super(content, init);
    this.headers.set('Allow', Array.from(permittedMethods, (method) => method.toUpperCase()).join(', '));
  }

  /** Django's repr, with the methods: `<HttpResponseNotAllowed [GET, POST] statusCode=405, "...">`. */
  override toString(): string {
    return super.toString().replace(' ', ` [${this.headers.get('allow') ?? ''}] `);
  }
}

/** 406 Not Acceptable. */
export class HttpResponseNotAcceptable extends HttpResponse { static override statusCode = 406; }
/** 408 Request Timeout. */
export class HttpResponseRequestTimeout extends HttpResponse { static override statusCode = 408; }
/** 409 Conflict. */
export class HttpResponseConflict extends HttpResponse { static override statusCode = 409; }
/** 410 Gone. */
export class HttpResponseGone extends HttpResponse { static override statusCode = 410; }
/** 411 Length Required. */
export class HttpResponseLengthRequired extends HttpResponse { static override statusCode = 411; }
/** 412 Precondition Failed. */
export class HttpResponsePreconditionFailed extends HttpResponse { static override statusCode = 412; }
/** 413 Content Too Large. */
export class HttpResponseRequestEntityTooLarge extends HttpResponse { static override statusCode = 413; }
/** 415 Unsupported Media Type. */
export class HttpResponseUnsupportedMediaType extends HttpResponse { static override statusCode = 415; }
/** 417 Expectation Failed. */
export class HttpResponseExpectationFailed extends HttpResponse { static override statusCode = 417; }
/** 422 Unprocessable Content. */
export class HttpResponseUnprocessableEntity extends HttpResponse { static override statusCode = 422; }
/** 423 Locked (WebDAV). */
export class HttpResponseLocked extends HttpResponse { static override statusCode = 423; }
/** 424 Failed Dependency (WebDAV). */
export class HttpResponseFailedDependency extends HttpResponse { static override statusCode = 424; }
/** 426 Upgrade Required. */
export class HttpResponseUpgradeRequired extends HttpResponse { static override statusCode = 426; }

// -- 5xx --
/** 500 Internal Server Error. */
export class HttpResponseServerError extends HttpResponse { static override statusCode = 500; }
/** 501 Not Implemented. */
export class HttpResponseNotImplemented extends HttpResponse { static override statusCode = 501; }
/** 502 Bad Gateway. */
export class HttpResponseBadGateway extends HttpResponse { static override statusCode = 502; }
/** 503 Service Unavailable. */
export class HttpResponseServiceUnavailable extends HttpResponse { static override statusCode = 503; }
/** 504 Gateway Timeout. */
export class HttpResponseGatewayTimeout extends HttpResponse { static override statusCode = 504; }
/** 507 Insufficient Storage (WebDAV). */
export class HttpResponseInsufficientStorage extends HttpResponse { static override statusCode = 507; }

/**
 * Every status subclass whose constructor is HttpResponse's `(content?, init?)`, by name
 * (redirects take a URL and 405 takes methods, so they are not here).
 * @example for (const [name, klass] of Object.entries(STATUS_RESPONSE_CLASSES)) new klass().statusCode;
 */
export const STATUS_RESPONSE_CLASSES = Object.freeze({
  HttpResponseCreated,
  HttpResponseAccepted,
  HttpResponseNonAuthoritative,
  HttpResponseNoContent,
  HttpResponseResetContent,
  HttpResponsePartialContent,
  HttpResponseNotModified,
  HttpResponseBadRequest,
  HttpResponseUnAuthorised,
  HttpResponsePaymentRequired,
  HttpResponseForbidden,
  HttpResponseNotFound,
  HttpResponseNotAcceptable,
  HttpResponseRequestTimeout,
  HttpResponseConflict,
  HttpResponseGone,
  HttpResponseLengthRequired,
  HttpResponsePreconditionFailed,
  HttpResponseRequestEntityTooLarge,
  HttpResponseUnsupportedMediaType,
  HttpResponseExpectationFailed,
  HttpResponseUnprocessableEntity,
  HttpResponseLocked,
  HttpResponseFailedDependency,
  HttpResponseUpgradeRequired,
  HttpResponseServerError,
  HttpResponseNotImplemented,
  HttpResponseBadGateway,
  HttpResponseServiceUnavailable,
  HttpResponseGatewayTimeout,
  HttpResponseInsufficientStorage,
});
