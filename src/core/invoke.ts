import type { DependencyContainer } from 'tsyringe';
import type { ParamSource } from '../../decorators/params';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { resolveForRequest } from '../di/request-scope';
import { applyConditional } from './conditional';
import { toResponse } from './response-mapping';
import { addValidators, computeValidators, preconditionResponse, type ResourceValidators } from './view-conditions';
import type { CompiledRoute } from './route-table';

/**
 * Runs a matched route: the guards, the @Condition preconditions, then the body, then
 * `handler(request, ...pathArgs)` (decorated arguments replacing theirs); maps the result and
 * answers conditional GET and Range. This is the core of the onion, so a 304 or 416 still passes
 * through the middleware (Django's ConditionalGetMiddleware sits below SecurityMiddleware).
 *
 * Guards and preconditions come before the body: they need none, and a client that will be
 * redirected to the login page or answered 412 should not get its upload parsed and spilled to
 * disk first (RFC 9110 §13.2.2 evaluates preconditions "just before it would process the
 * request content"). A CSRF check that needs the form token has read the body already.
 */
export async function invokeRoute(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): Promise<HttpResponse> {
  if (route.guards !== null) {
    for (const guard of route.guards) {
      const answer = await guard(request);
      if (answer !== undefined && answer !== null) return answer;
    }
  }
  let validators: ResourceValidators | null = null;
  if (route.conditions !== null) {
    validators = await computeValidators(route.conditions, request, route.culprit);
    const answer = preconditionResponse(request, validators);
    if (answer !== null) return addValidators(request, answer, validators);
  }
  await request.loadBody();
  const instance = route.instance ?? resolveForRequest(container, route.controller, request);
  let result = route.plan === null ? callHandler(route, instance, request) : route.handler.apply(instance, await buildArguments(route, request));
  if (isThenable(result)) result = await result;
  if (validators === null) return finishRoute(route, request, result);
  return finishResponse(request, addValidators(request, toResponse(result, route.culprit), validators));
}

/** A promise or any promise-like (a library's own, `{ then }`): awaited. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs a matched route, synchronously when it can (a simple route, no body) and its handler
 * returned a value; otherwise the answer is a promise. Throws what a synchronous handler throws.
 */
export function runRoute(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): HttpResponse | Promise<HttpResponse> {
  return isSimpleRoute(route) && !request.hasBody ? runReadyRoute(route, request) : invokeRoute(route, request, container);
}

/**
 * Runs a simple route (see {@link isSimpleRoute}) whose request has no body or a loaded one: the
 * handler now, the response at once when it returned a value, else a promise. Throws what the
 * handler throws.
 */
export function runReadyRoute(route: CompiledRoute, request: HttpRequest): HttpResponse | Promise<HttpResponse> {
  const result = callHandler(route, route.instance as object, request);
  return isThenable(result) ? finishPendingRoute(route, request, result) : finishRoute(route, request, result);
}

/**
 * Whether `route` needs nothing awaited before its handler but the body: a singleton with no
 * guards, no conditions and no decorated arguments. The pipeline then calls the handler
 * synchronously and, when it returns a value rather than a promise, writes the response in the
 * same tick (an await costs about a tenth of a small endpoint's throughput).
 */
export function isSimpleRoute(route: CompiledRoute): boolean {
  return route.instance !== null && route.guards === null && route.conditions === null && route.plan === null;
}

/** Calls the handler with the request and the path parameters in pattern order. */
export function callHandler(route: CompiledRoute, instance: object, request: HttpRequest): unknown {
  const names = route.paramNames;
  if (names.length === 0) return route.handler.call(instance, request);
  if (names.length === 1) return route.handler.call(instance, request, request.params[names[0]]);
  return route.handler.apply(instance, [request, ...names.map((name) => request.params[name])]);
}

/**
 * Maps what the handler returned to a response and answers conditional GET and Range. Only
 * responses with validators (FileResponse has them) are concerned, so a plain JSON response never
 * reads the request's conditional headers.
 */
export function finishRoute(route: CompiledRoute, request: HttpRequest, result: unknown): HttpResponse {
  return finishResponse(request, toResponse(result, route.culprit));
}

function finishResponse(request: HttpRequest, response: HttpResponse): HttpResponse {
  if (response.streaming || response.hasHeader('etag') || response.hasHeader('last-modified')) {
    return applyConditional(request, response);
  }
  return response;
}

/** The rest of a synchronous route whose handler returned a promise. */
export async function finishPendingRoute(route: CompiledRoute, request: HttpRequest, pending: PromiseLike<unknown>): Promise<HttpResponse> {
  return finishRoute(route, request, await pending);
}

async function buildArguments(route: CompiledRoute, request: HttpRequest): Promise<unknown[]> {
  const plan = route.plan as readonly (ParamSource | undefined)[];
  const args: unknown[] = [request];
  for (const name of route.paramNames) args.push(request.params[name]);
  for (let i = 0; i < plan.length; i++) {
    const source = plan[i];
    if (source !== undefined) args[i] = await argumentFor(source, request);
  }
  return args;
}

function argumentFor(source: ParamSource, request: HttpRequest): unknown {
  switch (source.kind) {
    case 'param':
      return request.params[source.name];
    case 'body':
      return source.dto === null ? request.data : request.validate(source.dto, 'data');
    case 'query':
      return source.dto === null ? request.GET : request.validate(source.dto, 'query');
    case 'user':
      return request.user;
    case 'session':
      return request.session;
  }
}
