import diagnosticsChannel from 'node:diagnostics_channel';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';

/*
 * Every diagnostics channel Reinhardt publishes, in one module (undici's `lib/core/diagnostics.js`),
 * so an APM or an OpenTelemetry instrumentation subscribes without patching anything. Each is a
 * `TracingChannel`: `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd` and `:error`, with
 * one context object per operation that every event of that operation receives.
 *
 * Node publishes `http.server.request.start` and `http.server.response.finish` itself; these
 * channels add what only the framework knows (the route, the controller, the session store) and
 * do not repeat those.
 *
 * Every publish site reads `hasSubscribers` first and, when nobody listens, calls the work
 * directly: no context object, no event, and the synchronous fast path stays synchronous.
 * docs/tracing.md lists each channel and its payload.
 */

/**
 * The context of `reinhardt:request`: one request's dispatch, from after routing to the response
 * (middleware, handler, error views); not the writing of the response, which Node's
 * `http.server.response.finish` marks.
 */
export interface RequestTrace {
  readonly request: HttpRequest;
  /** The matched route's pattern (`/polls/<int:id>/`); null when no route matched (404, 405). */
  readonly route: string | null;
  /** The controller class's name; null without a route. */
  readonly controller: string | null;
  /** The handler's method name on the controller; null without a route. */
  readonly method: string | null;
  /** The response, set before `end` (sync) or `asyncStart` (async). */
  result?: HttpResponse;
  /** The last exception a handler or middleware threw and the pipeline turned into `result`. */
  error?: unknown;
}

/** The context of `reinhardt:middleware`: one middleware layer's turn. */
export interface MiddlewareTrace {
  readonly request: HttpRequest;
  /** The middleware's class or function name. */
  readonly middleware: string;
  result?: HttpResponse;
  error?: unknown;
}

/**
 * The store operations a request runs: `SessionMiddleware`'s `load` and `save`, and the session's
 * own calls on login and logout (`cycleKey`'s new record is a `save`, its and `flush`'s deletes a
 * `delete`).
 */
export type SessionStoreOperation = 'load' | 'save' | 'delete';

/** The context of `reinhardt:session-store`: one store call made for a request. */
export interface SessionStoreTrace {
  readonly request: HttpRequest;
  readonly operation: SessionStoreOperation;
  /** The store's class name (`MemorySessionStore`, `RedisSessionStore`, ...). */
  readonly store: string;
  error?: unknown;
}

// The context type is given for both type parameters: @types/node 20 declares
// `TracingChannel<StoreType, ContextType extends object>` and @types/node 24+ swapped them to
// `<ContextType extends object, StoreType>`, so only `<T, T>` type-checks for users on either.
/**
 * `reinhardt:request`: each request's dispatch (route, controller, method, response).
 * @example
 * const statusOf = (trace: RequestTrace) => trace.result && console.log(trace.route, trace.result.statusCode);
 * requestChannel.subscribe({
 *   start: (trace) => console.log(trace.request.method, trace.route ?? '(no route)'),
 *   end: statusOf, // set when the dispatch answered synchronously
 *   asyncStart: () => {},
 *   asyncEnd: statusOf,
 *   error: (trace) => console.log('raised', trace.error),
 * });
 */
export const requestChannel = diagnosticsChannel.tracingChannel<RequestTrace, RequestTrace>('reinhardt:request');

/**
 * `reinhardt:middleware`: each middleware layer of the app's onion and of `@UseMiddleware`.
 * @example
 * diagnosticsChannel.subscribe('tracing:reinhardt:middleware:start', (trace) => console.log((trace as MiddlewareTrace).middleware));
 */
export const middlewareChannel = diagnosticsChannel.tracingChannel<MiddlewareTrace, MiddlewareTrace>('reinhardt:middleware');

/**
 * `reinhardt:session-store`: a request's session store calls (`SessionMiddleware`'s load and
 * save, login's and logout's save and deletes).
 * @example
 * diagnosticsChannel.subscribe('tracing:reinhardt:session-store:error', (trace) => {
 *   const { operation, store } = trace as SessionStoreTrace;
 *   console.warn(`session ${operation} failed on ${store}`);
 * });
 */
export const sessionStoreChannel = diagnosticsChannel.tracingChannel<SessionStoreTrace, SessionStoreTrace>('reinhardt:session-store');
