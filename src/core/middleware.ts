import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';

/** The rest of the onion: calls the next middleware, or routing and the handler at the core. */
export type NextHandler = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * A middleware as a plain function, Django's modern style: do something before, call `next`,
 * do something with the response after.
 * @example
 * const timing: MiddlewareFunction = async (request, next) => {
 *   const response = await next(request);
 *   response.headers.set('X-Handled-By', 'reinhardt');
 *   return response;
 * };
 */
export type MiddlewareFunction = (request: HttpRequest, next: NextHandler) => Promise<HttpResponse> | HttpResponse;

/** A middleware as a class resolved once from the container (so its constructor may inject). */
export interface MiddlewareClass {
  handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> | HttpResponse;
}

/** What `createApp({ middleware })` accepts: functions, classes with `handle`, or instances of them. */
export type Middleware = MiddlewareFunction | (new (...args: any[]) => MiddlewareClass) | MiddlewareClass;

/** A value now, or a promise of it later. */
export type MaybePromise<T> = T | Promise<T>;

/** The rest of the onion as the framework composes it: a layer may answer synchronously. */
export type InlineNext = (request: HttpRequest) => MaybePromise<HttpResponse>;

/**
 * The built-in middleware's own entry point: `handle` with a `next` that may answer
 * synchronously, answering synchronously itself when nothing it runs needs awaiting (no session
 * store lookup, no body to read). With it, the default stack serves a GET to a synchronous
 * handler without creating a promise; each await costs several percent of a small endpoint's
 * throughput (bench/README.md). User middleware keep the documented contract (SPEC §3): their
 * `next` always returns a promise.
 */
export const handleInline: unique symbol = Symbol('reinhardt:handleInline');

/** A middleware with {@link handleInline} (the built-in ones). */
export interface InlineMiddleware {
  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse>;
}

/** Whether `candidate` implements {@link handleInline}. */
export function isInlineMiddleware(candidate: unknown): candidate is InlineMiddleware {
  return typeof (candidate as Partial<InlineMiddleware> | null)?.[handleInline] === 'function';
}
