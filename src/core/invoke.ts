import type { DependencyContainer } from 'tsyringe';
import type { ResponsePatch } from '../../decorators/cache';
import type { ParamSource } from '../../decorators/params';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { resolveForRequest } from '../di/request-scope';
import { ImproperlyConfigured } from '../http/errors';
import type { Router } from '../routing/router';
import { composeMiddleware } from './compose';
import { applyConditional } from './conditional';
import type { ErrorViews } from './exception-to-response';
import type { MaybePromise } from './middleware';
import { toResponse } from './response-mapping';
import { addValidators, computeValidators, preconditionResponse, type ResourceValidators } from './view-conditions';
import type { CompiledRoute } from './route-table';

/**
 * Runs a matched route: through its @UseMiddleware onion when it has one, else straight to
 * {@link invokeHandler}.
 */
export function invokeRoute(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): MaybePromise<HttpResponse> {
  return route.chain === null ? invokeHandler(route, request, container) : route.chain(request);
}

/**
 * Composes each route's @UseMiddleware, once, when the app starts (Django's
 * `decorator_from_middleware`): the same onion as the app's middleware, with the same exception
 * conversion at every layer, around {@link invokeHandler}. Routes without any keep `chain` null.
 */
export function composeRouteMiddleware(router: Router<CompiledRoute>, container: DependencyContainer, views: ErrorViews): void {
  const composed = new Set<CompiledRoute>();
  for (const { value } of router.handlers()) {
    if (value.middleware === null || composed.has(value)) continue;
    composed.add(value);
    const route = value;
    try {
      route.chain = composeMiddleware(route.middleware!, (request) => invokeHandler(route, request, container), container, views);
    } catch (error) {
      throw new ImproperlyConfigured(`@UseMiddleware on ${route.culprit}: ${(error as Error).message}`);
    }
  }
}

/**
 * Runs a matched route's own work: the guards, the @Condition preconditions, then the body, then
 * `handler(request, ...pathArgs)` (decorated arguments replacing theirs); maps the result and
 * answers conditional GET and Range. This is the core of the onion, so a 304 or 416 still passes
 * through the middleware (Django's ConditionalGetMiddleware sits below SecurityMiddleware).
 *
 * Guards and preconditions come before the body: they need none, and a client that will be
 * redirected to the login page or answered 412 should not get its upload parsed and spilled to
 * disk first (RFC 9110 §13.2.2 evaluates preconditions "just before it would process the
 * request content"). A CSRF check that needs the form token has read the body already.
 */
export async function invokeHandler(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): Promise<HttpResponse> {
  if (route.guards !== null) {
    for (const guard of route.guards) {
      const answer = await guard(request, route);
      if (answer !== undefined && answer !== null) return patched(route, answer);
    }
  }
  // @CachePage: a stored page answers without the handler (after the guards, so never past them).
  if (route.pageCache !== null) {
    const hit = await route.pageCache.fetch(request);
    if (hit !== null) return finishResponse(request, hit);
  }
  let validators: ResourceValidators | null = null;
  if (route.conditions !== null) {
    validators = await computeValidators(route.conditions, request, route.culprit);
    const answer = preconditionResponse(request, validators);
    if (answer !== null) return patched(route, addValidators(request, answer, validators));
  }
  await request.loadBody();
  const instance = route.instance ?? resolveForRequest(container, route.controller, request);
  let result = route.plan === null ? callHandler(route, instance, request) : route.handler.apply(instance, await buildArguments(route, request));
  if (isThenable(result)) result = await result;
  if (route.pageCache !== null) {
    // Stored before the conditional check turns it into a 304, as cache_page sits inside
    // ConditionalGetMiddleware in Django; the header patches first, so their Vary is in the key.
    const response = toResponse(result, route.culprit);
    const full = patched(route, validators === null ? response : addValidators(request, response, validators));
    return finishResponse(request, await route.pageCache.update(request, full));
  }
  if (validators === null) return finishRoute(route, request, result);
  return finishResponse(request, patched(route, addValidators(request, toResponse(result, route.culprit), validators)));
}

/** A promise or any promise-like (a library's own, `{ then }`): awaited. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs a matched route, synchronously when it can (a simple route, no body) and its handler
 * returned a value; otherwise the answer is a promise. Throws what a synchronous handler throws.
 */
export function runRoute(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): MaybePromise<HttpResponse> {
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
 * middleware, no guards, no conditions and no decorated arguments. The pipeline then calls the handler
 * synchronously and, when it returns a value rather than a promise, writes the response in the
 * same tick (an await costs about a tenth of a small endpoint's throughput).
 */
export function isSimpleRoute(route: CompiledRoute): boolean {
  return route.instance !== null && route.middleware === null && route.guards === null && route.conditions === null && route.plan === null && route.pageCache === null;
}

/** Calls the handler with the request and the path parameters in pattern order. */
export function callHandler(route: CompiledRoute, instance: object, request: HttpRequest): unknown {
  const names = route.paramNames;
  if (names.length === 0) return route.handler.call(instance, request);
  if (names.length === 1) return route.handler.call(instance, request, request.params[names[0]]);
  return route.handler.apply(instance, [request, ...names.map((name) => request.params[name])]);
}

/**
 * Maps what the handler returned to a response, applies the route's header patches, and
 * answers conditional GET and Range. Only responses with validators (FileResponse has them) are
 * concerned, so a plain JSON response never reads the request's conditional headers.
 */
export function finishRoute(route: CompiledRoute, request: HttpRequest, result: unknown): HttpResponse {
  const response = toResponse(result, route.culprit);
  if (route.responsePatches !== null) applyPatches(route.responsePatches, response);
  return finishResponse(request, response);
}

/**
 * The route's @CacheControl / @NeverCache / @VaryOnHeaders / @VaryOnCookie patches, innermost
 * first, on any response the route answers with (a guard's, a precondition's, the handler's),
 * before the conditional check so that a 304 carries them (RFC 9110 §15.4.5). An exception
 * passes by them, as it passes through Django's decorators.
 */
function patched(route: CompiledRoute, response: HttpResponse): HttpResponse {
  if (route.responsePatches !== null) applyPatches(route.responsePatches, response);
  return response;
}

function applyPatches(patches: readonly ResponsePatch[], response: HttpResponse): void {
  for (let i = 0; i < patches.length; i++) patches[i](response);
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
