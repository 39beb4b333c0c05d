/**
 * Conditional view processing (Django's `condition` in django/views/decorators/http.py): a
 * route's ETag and Last-Modified functions run before its handler, so that `If-Match` /
 * `If-Unmodified-Since` stop a state-changing request *before* it changes anything
 * (RFC 9110 §13.2.2: preconditions are evaluated "just before it would process the request
 * content ... or perform the action associated with the request method"), and `If-None-Match`
 * / `If-Modified-Since` answer 304 without building the page.
 */
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { HttpResponseNotModified, HttpResponsePreconditionFailed } from '../http/response-subclasses';
import { checkPreconditions, ETAG } from './conditional';

/** What an ETag / Last-Modified function may return: no value means "the resource does not exist". */
type Maybe<T> = T | null | undefined;

/**
 * Computes the current ETag of the resource a request is about, before the handler runs: quoted
 * or not (`'v3'` is sent as `"v3"`), weak with a `W/` prefix, or null when the resource does not
 * exist. Receives the request (without its body: preconditions are checked before the body is
 * read) and the route's parameters as the handler sees them (`Params`: their type, e.g.
 * `{ id: number }` for `/<int:id>/`).
 */
export type EtagFunction<Params = any> = (request: HttpRequest, params: Params) => Maybe<string> | Promise<Maybe<string>>;

/**
 * Computes when the resource a request is about last changed, before the handler runs; null
 * when it does not exist. HTTP dates have whole seconds: milliseconds are dropped.
 */
export type LastModifiedFunction<Params = any> = (request: HttpRequest, params: Params) => Maybe<Date> | Promise<Maybe<Date>>;

/** A route's validator functions, read once at start-up into its compiled route. */
export interface ViewConditions {
  readonly etag: EtagFunction | null;
  readonly lastModified: LastModifiedFunction | null;
}

/** The resource's validators as the functions computed them: a quoted ETag, seconds since the epoch. */
export interface ResourceValidators {
  readonly etag: string | null;
  readonly lastModified: number | null;
}

/**
 * Django's `quote_etag`: an entity-tag already quoted (optionally weak) is kept, anything else is
 * wrapped in double quotes.
 * @example quoteEtag('v3') // '"v3"'; quoteEtag('W/"v3"') // 'W/"v3"'
 */
export function quoteEtag(etag: string): string {
  return ETAG.test(etag) ? etag : `"${etag}"`;
}

/**
 * Runs a route's ETag and Last-Modified functions (in that order, as Django) with the request
 * and its converted path parameters. A Last-Modified function that returns anything but a valid
 * Date is a programming error and names the route.
 */
export async function computeValidators(conditions: ViewConditions, request: HttpRequest, culprit: string): Promise<ResourceValidators> {
  let etag: string | null = null;
  if (conditions.etag !== null) {
    const value = await conditions.etag(request, request.params);
    if (value != null) etag = quoteEtag(String(value));
  }
  let lastModified: number | null = null;
  if (conditions.lastModified !== null) {
    const value = await conditions.lastModified(request, request.params);
    if (value != null) {
      if (!(value instanceof Date) || !Number.isFinite(value.getTime())) {
        throw new TypeError(`The @LastModified function of ${culprit} returned ${String(value)}, not a valid Date.`);
      }
      lastModified = Math.floor(value.getTime() / 1000);
    }
  }
  return { etag, lastModified };
}

/**
 * The answer instead of the handler when a precondition decides (Django's
 * `get_conditional_response` without a response): 412 Precondition Failed, or 304 Not Modified
 * for GET and HEAD; null when the handler should run.
 */
export function preconditionResponse(request: HttpRequest, validators: ResourceValidators): HttpResponse | null {
  const status = checkPreconditions(request, validators.etag ?? undefined, validators.lastModified);
  if (status === 0) return null;
  return status === 304 ? new HttpResponseNotModified() : new HttpResponsePreconditionFailed();
}

/**
 * Puts the computed validators on a GET or HEAD response that lacks them (Django sets them
 * "if the request method is safe"): after a PUT or DELETE they describe the resource as it was
 * before the change, and RFC 9110 §9.3.4 forbids sending a validator for a PUT unless it is the
 * stored representation's.
 */
export function addValidators(request: HttpRequest, response: HttpResponse, validators: ResourceValidators): HttpResponse {
  const method = request.method;
  if (method !== 'GET' && method !== 'HEAD') return response;
  if (validators.lastModified !== null && !response.hasHeader('last-modified')) {
    response.headers.set('Last-Modified', new Date(validators.lastModified * 1000).toUTCString());
  }
  if (validators.etag !== null && !response.hasHeader('etag')) {
    response.headers.set('ETag', validators.etag);
  }
  return response;
}
