import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import type { MaybePromise } from '../core/middleware';
import type { RouteInfo } from '../routing/resolver-match';
import { requestChannel, type RequestTrace } from './channels';
import { traced } from './trace';

/** The trace of each request being traced, for {@link publishRequestError}; only filled while someone listens. */
const tracesByRequest = new WeakMap<HttpRequest, RequestTrace>();

/**
 * Runs a routed request's dispatch inside `reinhardt:request`'s events (see `channels.ts`).
 * The caller checks `requestChannel.hasSubscribers` first and calls `dispatch` itself otherwise,
 * as Fastify's request `tracingChannel` does.
 */
export function traceRequest(request: HttpRequest, dispatch: (request: HttpRequest) => MaybePromise<HttpResponse>): MaybePromise<HttpResponse> {
  const route = request.route as RouteInfo | null;
  const trace: RequestTrace = {
    request,
    route: route === null ? null : route.route,
    controller: route === null ? null : route.controllerName,
    method: route === null ? null : route.methodName,
  };
  tracesByRequest.set(request, trace);
  return traced(requestChannel, trace, dispatch, request);
}

/**
 * A handler or middleware threw and the pipeline is turning the exception into a response
 * (`responseForException`): `reinhardt:request`'s `error` event, with the exception as the
 * trace's `error`. The dispatch itself never throws — the exception's response is its result —
 * so this is where an APM learns of the exception (Django sends `got_request_exception` there).
 */
export function publishRequestError(request: HttpRequest, error: unknown): void {
  const trace = tracesByRequest.get(request);
  if (trace === undefined) return;
  trace.error = error;
  requestChannel.error.publish(trace);
}
