import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import {
  BadRequest,
  Http404,
  MultiValueDictKeyError,
  MultiPartParserError,
  PermissionDenied,
  ServiceUnavailable,
  SuspiciousOperation,
  ValidationError,
} from '../http/errors';
import { Ratelimited } from '../ratelimit/ratelimited';
import { NotAuthenticated } from '../auth/not-authenticated';
import { anonymousChallengeOf } from '../auth/route-authentication';
import { BUILTIN_500, serviceUnavailable, unauthorized, type ErrorView, type ErrorViewContext } from './error-views';
import type { Settings } from './settings';
import { requestChannel } from '../tracing/channels';
import { publishRequestError } from '../tracing/request-trace';
import type { LogFields } from '../logging/logger';
import { loggablePath, markLogged } from '../logging/log-response';

/** Django's `django.request`: the logger of 4xx and 5xx answers (django/utils/log.py log_response). */
const REQUEST_LOGGER = 'reinhardt.request';

/** The four error views an app answers with (its own or the defaults). */
export interface ErrorViews {
  handler400: (request: HttpRequest, error: unknown, status?: number) => HttpResponse | Promise<HttpResponse>;
  handler403: ErrorView;
  handler404: (request: HttpRequest, error: unknown, context?: ErrorViewContext) => HttpResponse | Promise<HttpResponse>;
  handler500: ErrorView;
  /** Requests over a rate limit (`Ratelimited`). */
  handler429: ErrorView;
  context: ErrorViewContext;
  /**
   * Logs a record about `request` through `request.log` (so it carries the request ID), or
   * through the app's logger when there is no request: 5xx with their `err`, 4xx as warnings.
   */
  log(request: HttpRequest | null, level: 'error' | 'warn', fields: LogFields, message: string): void;
}

/**
 * Turns an exception into a response, in one place (Django's `response_for_exception`): a thrown
 * response is sent as it is; Http404 -> 404 view; PermissionDenied -> 403 view; the
 * SuspiciousOperation family and BadRequest -> 400 view (413 for the too-big kinds);
 * ValidationError -> 400 view with `validationErrorStatus` (the default answers `{"errors": ...}`);
 * NotAuthenticated / AuthenticationFailed -> 401 with `WWW-Authenticate` (403 view without a challenge);
 * ServiceUnavailable -> 503 (its message shown only with `debug`, always logged);
 * a missing GET/POST key (MultiValueDictKeyError) -> 400; anything else -> 500 view, logged with its stack. If an error view itself throws, the built-in
 * 500 response is used, so the caller always gets a response. A response whose exception was
 * logged here is marked (Django's `_has_been_logged`); the app logs the others like any returned
 * 4xx/5xx (`Bad Request: /path`, `Too Many Requests: /path`; src/logging/log-response.ts).
 */
export async function responseForException(request: HttpRequest, error: unknown, views: ErrorViews): Promise<HttpResponse> {
  if (error instanceof HttpResponse) return error;
  // reinhardt:request's error event: the dispatch never throws, so this is where the exception shows.
  if (requestChannel.hasSubscribers) publishRequestError(request, error);
  try {
    if (error instanceof Http404) return await views.handler404(request, error, views.context);
    if (error instanceof NotAuthenticated) {
      views.log(request, 'warn', { name: REQUEST_LOGGER, status: 401 }, `Unauthorized (${error.message}): ${loggablePath(request)}`);
      // DRF's handle_exception: a 401 needs a challenge — the route's when the error has none (a
      // custom guard's `throw new NotAuthenticated()`); a route without one answers 403.
      const challenge = error.challenge ?? anonymousChallengeOf(request);
      if (challenge === null) return markLogged(await views.handler403(request, new PermissionDenied(error.message)));
      return markLogged(unauthorized(request, error.message, challenge));
    }
    if (error instanceof PermissionDenied) {
      views.log(request, 'warn', { name: REQUEST_LOGGER, status: 403 }, `Forbidden (Permission denied): ${loggablePath(request)}`);
      return markLogged(await views.handler403(request, error));
    }
    if (error instanceof ValidationError) {
      return await views.handler400(request, error, error.status ?? request.settings.validationErrorStatus);
    }
    if (error instanceof MultiPartParserError) {
      // Django's response_for_exception: MultiPartParserError is not a SuspiciousOperation there,
      // so it is logged on django.request, as a client error, not on django.security. Django's
      // record carries the exception (exc_info); ours says its message after the path, as the 503's.
      views.log(request, 'warn', { name: REQUEST_LOGGER, status: 400 }, `Bad request (Unable to parse request body): ${loggablePath(request)}: ${error.message}`);
      return markLogged(await views.handler400(request, error, 400));
    }
    if (error instanceof SuspiciousOperation) {
      // Django logs these on `django.security.<class name>` at ERROR (response_for_exception),
      // through log_response, so not again on django.request; one line, without the stack: the
      // message says what the client sent.
      views.log(request, 'error', { name: `reinhardt.security.${error.name}`, status: error.statusCode }, error.message);
      return markLogged(await views.handler400(request, error, error.statusCode));
    }
    if (error instanceof BadRequest) return markLogged(await badRequest(request, error, views));
    // A missing GET/POST key is the client's mistake; Django answers 500 here, we answer 400.
    if (error instanceof MultiValueDictKeyError) {
      return markLogged(await badRequest(request, new BadRequest(`Missing parameter ${error.message}.`), views));
    }
    if (error instanceof Ratelimited) {
      // Not logged here: the 429 is logged as any returned 4xx, `Too Many Requests: /path`
      // (src/logging/log-response.ts).
      const response = await views.handler429(request, error);
      // A custom view that forgot it still tells the client when to come back (RFC 6585 §4).
      if (!response.hasHeader('retry-after')) response.setHeader('Retry-After', String(error.retryAfter));
      return response;
    }
    if (error instanceof ServiceUnavailable) {
      views.log(request, 'error', { name: REQUEST_LOGGER, status: 503, err: error }, `Service Unavailable: ${loggablePath(request)}: ${error.message}`);
      return markLogged(serviceUnavailable(request, error));
    }
    views.log(request, 'error', { name: REQUEST_LOGGER, status: 500, err: error }, `Internal Server Error: ${loggablePath(request)}`);
    return markLogged(await views.handler500(request, error));
  } catch (viewError) {
    return errorViewFailed(request, views, viewError);
  }
}

/**
 * Django's BadRequest branch: logged on `reinhardt.request` as `"<message>: <path>"` (its
 * `log_response("%s: %s", str(exc), request.path)`), so the record says what was wrong. The
 * message's closing full stop is left out (our messages are sentences, Django's rarely), and a
 * BadRequest without a message says `Bad Request`. Then the 400 view.
 */
async function badRequest(request: HttpRequest, error: BadRequest, views: ErrorViews): Promise<HttpResponse> {
  const said = error.message.endsWith('.') ? error.message.slice(0, -1) : error.message;
  views.log(request, 'warn', { name: REQUEST_LOGGER, status: 400 }, `${said === '' ? 'Bad Request' : said}: ${loggablePath(request)}`);
  return await views.handler400(request, error, 400);
}

/** Each app's error views, by the app's settings object (what every request it makes carries). */
const viewsBySettings = new WeakMap<Readonly<Settings>, ErrorViews>();

/** Called once by the app at start-up, so that {@link respondToException} finds its views. */
export function registerErrorViews(settings: Readonly<Settings>, views: ErrorViews): void {
  viewsBySettings.set(settings, views);
}

/**
 * {@link responseForException} with the error views of the app that made the request, for a
 * built-in middleware whose own request phase failed and that must still treat the response
 * (SecurityMiddleware's host check: Django raises DisallowedHost in CommonMiddleware, inside
 * SecurityMiddleware, so the 400 gets the security headers). Only ever on a failure path: a
 * request that succeeds never looks the views up. A request made outside an app gets the error
 * back, to be converted by whoever called the middleware.
 */
export function respondToException(request: HttpRequest, error: unknown): Promise<HttpResponse> {
  const views = viewsBySettings.get(request.settings);
  return views === undefined ? Promise.reject(error) : responseForException(request, error, views);
}

/** An error view threw: log it and answer the built-in 500 page. */
export function errorViewFailed(request: HttpRequest, views: ErrorViews, viewError: unknown): HttpResponse {
  views.log(request, 'error', { name: REQUEST_LOGGER, status: 500, err: viewError }, `The error view failed while handling ${loggablePath(request)}`);
  return markLogged(builtin500());
}

/** The last resort: never depends on templates, settings (its charset is utf-8 whatever the default) or the request. */
export function builtin500(): HttpResponse {
  return new HttpResponse(BUILTIN_500, { status: 500, charset: 'utf-8' });
}

