import type { DependencyContainer } from 'tsyringe';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import type { Middleware, MiddlewareClass, MiddlewareFunction, NextHandler } from './middleware';
import { responseForException, type ErrorViews } from './exception-to-response';

/**
 * Builds the onion once at start (Koa's compose in `callback()`): each layer is wrapped so an
 * exception becomes a response at that layer (Django's `convert_exception_to_response`), and every
 * outer middleware always sees a response.
 */
export function composeMiddleware(
  middleware: readonly Middleware[],
  core: NextHandler,
  container: DependencyContainer,
  views: ErrorViews,
): NextHandler {
  // The caller converts what the innermost layer throws; only a middleware in between needs the
  // core's exceptions turned into a response first.
  let next = middleware.length === 0 ? core : convertExceptions(core, 'the request handler', views);
  for (let i = middleware.length - 1; i >= 0; i--) {
    next = layer(middleware[i], next, container, views);
  }
  return next;
}

function isClass(candidate: Middleware): candidate is new (...args: any[]) => MiddlewareClass {
  return typeof candidate === 'function' && typeof (candidate.prototype as Partial<MiddlewareClass> | undefined)?.handle === 'function';
}

function layer(candidate: Middleware, inner: NextHandler, container: DependencyContainer, views: ErrorViews): NextHandler {
  if (isClass(candidate)) {
    const instance = container.resolve(candidate);
    return convertExceptions((request) => instance.handle(request, inner), candidate.name, views);
  }
  if (typeof candidate === 'function') {
    const fn = candidate as MiddlewareFunction;
    return convertExceptions((request) => fn(request, inner), fn.name || 'a middleware function', views);
  }
  if (candidate !== null && typeof candidate === 'object' && typeof candidate.handle === 'function') {
    return convertExceptions((request) => candidate.handle(request, inner), candidate.constructor.name, views);
  }
  throw new TypeError(`Middleware must be a function, a class with handle(request, next), or an instance of one; got ${String(candidate)}.`);
}

function convertExceptions(
  fn: (request: HttpRequest) => Promise<HttpResponse> | HttpResponse,
  name: string,
  views: ErrorViews,
): NextHandler {
  return async (request) => {
    try {
      const response = await fn(request);
      if (!(response instanceof HttpResponse)) {
        throw new TypeError(`${name} didn't return an HttpResponse object. It returned ${describe(response)} instead.`);
      }
      return response;
    } catch (error) {
      return responseForException(request, error, views);
    }
  };
}

function describe(value: unknown): string {
  return value === null || value === undefined ? String(value) : `a ${typeof value}`;
}
