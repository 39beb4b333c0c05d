import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { JsonResponse } from '../http/json-response';
import {
  BadRequest,
  Http404,
  MultiValueDictKeyError,
  PermissionDenied,
  ServiceUnavailable,
  SuspiciousOperation,
  ValidationError,
} from '../http/errors';
import { BUILTIN_500, escapeHtml, prefersJson, type ErrorView, type ErrorViewContext } from './error-views';

/** The four error views an app answers with (its own or the defaults). */
export interface ErrorViews {
  handler400: (request: HttpRequest, error: unknown, status?: number) => HttpResponse | Promise<HttpResponse>;
  handler403: ErrorView;
  handler404: (request: HttpRequest, error: unknown, context?: ErrorViewContext) => HttpResponse | Promise<HttpResponse>;
  handler500: ErrorView;
  context: ErrorViewContext;
  /** Where errors are logged: 5xx with their stack, security events as warnings. */
  log(level: 'error' | 'warn', message: string, error: unknown): void;
}

/**
 * Turns an exception into a response, in one place (Django's `response_for_exception`): a thrown
 * response is sent as it is; Http404 -> 404 view; PermissionDenied -> 403 view; the
 * SuspiciousOperation family and BadRequest -> 400 view (413 for the too-big kinds);
 * ValidationError -> 400 view with `validationErrorStatus` (the default answers `{"errors": ...}`);
 * ServiceUnavailable -> 503;
 * a missing GET/POST key (MultiValueDictKeyError) -> 400; anything else -> 500 view, logged with its stack. If an error view itself throws, the built-in
 * 500 response is used, so the caller always gets a response.
 */
export async function responseForException(request: HttpRequest, error: unknown, views: ErrorViews): Promise<HttpResponse> {
  if (error instanceof HttpResponse) return error;
  try {
    if (error instanceof Http404) return await views.handler404(request, error, views.context);
    if (error instanceof PermissionDenied) {
      views.log('warn', `Forbidden (Permission denied): ${describe(request)}`, error);
      return await views.handler403(request, error);
    }
    if (error instanceof ValidationError) {
      return await views.handler400(request, error, error.status ?? request.settings.validationErrorStatus);
    }
    if (error instanceof SuspiciousOperation) {
      views.log('warn', `${error.name}: ${error.message}`, error);
      return await views.handler400(request, error, error.statusCode);
    }
    if (error instanceof BadRequest) return await views.handler400(request, error, 400);
    // A missing GET/POST key is the client's mistake; Django answers 500 here, we answer 400.
    if (error instanceof MultiValueDictKeyError) {
      return await views.handler400(request, new BadRequest(`Missing parameter ${error.message}.`), 400);
    }
    if (error instanceof ServiceUnavailable) {
      views.log('error', `Service Unavailable: ${describe(request)}: ${error.message}`, error);
      const detail = error.message || 'Service Unavailable';
      return prefersJson(request)
        ? new JsonResponse({ detail }, { status: 503 })
        : new HttpResponse(`<!doctype html>\n<title>Service Unavailable (503)</title>\n<h1>Service Unavailable (503)</h1>\n<p>${escapeHtml(detail)}</p>\n`, { status: 503 });
    }
    views.log('error', `Internal Server Error: ${describe(request)}`, error);
    return await views.handler500(request, error);
  } catch (viewError) {
    return errorViewFailed(request, views, viewError);
  }
}

/** An error view threw: log it and answer the built-in 500 page. */
export function errorViewFailed(request: HttpRequest, views: ErrorViews, viewError: unknown): HttpResponse {
  views.log('error', `The error view failed while handling ${describe(request)}`, viewError);
  return builtin500();
}

/** The last resort: never depends on templates, settings (its charset is utf-8 whatever the default) or the request. */
export function builtin500(): HttpResponse {
  return new HttpResponse(BUILTIN_500, { status: 500, charset: 'utf-8' });
}

function describe(request: HttpRequest): string {
  try {
    return `${request.method} ${request.path}`;
  } catch {
    return request.method;
  }
}
