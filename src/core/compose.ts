import type { DependencyContainer } from 'tsyringe';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import {
  handleInline,
  isInlineMiddleware,
  type InlineNext,
  type MaybePromise,
  type Middleware,
  type MiddlewareClass,
  type MiddlewareFunction,
  type NextHandler,
} from './middleware';
import { responseForException, type ErrorViews } from './exception-to-response';
import { traceableLayer } from '../tracing/middleware-trace';

/**
 * Builds the onion once at start (Koa's compose in `callback()`): each layer is wrapped so an
 * exception becomes a response at that layer (Django's `convert_exception_to_response`), and every
 * outer middleware always sees a response. A layer answers synchronously when its middleware and
 * everything inside it did (see `handleInline`); a user middleware's `next` is always a promise.
 */
export function composeMiddleware(
  middleware: readonly Middleware[],
  core: InlineNext,
  container: DependencyContainer,
  views: ErrorViews,
): InlineNext {
  // The caller converts what the innermost layer throws; only a middleware in between needs the
  // core's exceptions turned into a response first.
  let next = middleware.length === 0 ? core : convertExceptions(core, undefined, 'the request handler', views);
  for (let i = middleware.length - 1; i >= 0; i--) {
    next = layer(middleware[i], next, container, views);
    // reinhardt:middleware (src/tracing/channels.ts), one hasSubscribers read per layer when nobody listens.
    next = traceableLayer(layerName(middleware[i]), next);
  }
  return next;
}

function layerName(candidate: Middleware): string {
  const named = typeof candidate === 'function' ? candidate : candidate.constructor;
  return named.name || 'a middleware function';
}

function isClass(candidate: Middleware): candidate is new (...args: any[]) => MiddlewareClass {
  return typeof candidate === 'function' && typeof (candidate.prototype as Partial<MiddlewareClass> | undefined)?.handle === 'function';
}

function layer(candidate: Middleware, inner: InlineNext, container: DependencyContainer, views: ErrorViews): InlineNext {
  const instance: MiddlewareClass | MiddlewareFunction | null = isClass(candidate)
    ? container.resolve(candidate)
    : typeof candidate === 'function' || (candidate !== null && typeof candidate === 'object' && typeof candidate.handle === 'function')
      ? candidate
      : null;
  if (instance === null) {
    throw new TypeError(`Middleware must be a function, a class with handle(request, next), or an instance of one; got ${String(candidate)}.`);
  }
  if (isInlineMiddleware(instance)) {
    return convertExceptions(instance[handleInline].bind(instance), inner, instance.constructor.name, views);
  }
  const next = promised(inner);
  if (typeof instance === 'function') return convertExceptions(instance, next, instance.name || 'a middleware function', views);
  return convertExceptions((request, nextLayer) => instance.handle(request, nextLayer), next, instance.constructor.name, views);
}

/** `inner` for a user middleware, whose `next` returns a promise (SPEC §3). */
function promised(inner: InlineNext): NextHandler {
  return (request) => {
    try {
      const response = inner(request);
      return response instanceof Promise ? response : Promise.resolve(response);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * One layer: `fn(request, next)`, with what it throws or answers that is not a response turned
 * into a response here (a promise settled first). One closure per layer, built once.
 */
function convertExceptions<N>(
  fn: (request: HttpRequest, next: N) => MaybePromise<HttpResponse>,
  next: N,
  name: string,
  views: ErrorViews,
): InlineNext {
  return (request) => {
    try {
      const response = fn(request, next);
      if (response instanceof HttpResponse) return response;
      return response instanceof Promise ? settle(request, response, name, views) : checked(response, name);
    } catch (error) {
      return responseForException(request, error, views);
    }
  };
}

async function settle(request: HttpRequest, pending: Promise<HttpResponse>, name: string, views: ErrorViews): Promise<HttpResponse> {
  try {
    return checked(await pending, name);
  } catch (error) {
    return responseForException(request, error, views);
  }
}

function checked(response: unknown, name: string): HttpResponse {
  if (!(response instanceof HttpResponse)) {
    throw new TypeError(`${name} didn't return an HttpResponse object. It returned ${describe(response)} instead.`);
  }
  return response;
}

function describe(value: unknown): string {
  return value === null || value === undefined ? String(value) : `a ${typeof value}`;
}
