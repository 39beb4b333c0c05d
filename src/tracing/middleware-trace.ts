import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import type { InlineNext, MaybePromise } from '../core/middleware';
import { middlewareChannel, type MiddlewareTrace } from './channels';
import { traced } from './trace';

/**
 * Wraps one composed middleware layer, at start-up, so that it publishes `reinhardt:middleware`
 * while someone listens. Subscribers may come at any time, so the choice is made per call: one
 * `hasSubscribers` read per layer, and the layer called directly when it is false. The trace
 * spans the layer and everything inside it, as an onion does (its `end` after the inner layers').
 */
export function traceableLayer(name: string, layer: InlineNext): InlineNext {
  return (request) => (middlewareChannel.hasSubscribers ? traceLayer(name, layer, request) : layer(request));
}

function traceLayer(name: string, layer: InlineNext, request: HttpRequest): MaybePromise<HttpResponse> {
  const trace: MiddlewareTrace = { request, middleware: name };
  return traced(middlewareChannel, trace, layer, request);
}
