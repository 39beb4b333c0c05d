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
