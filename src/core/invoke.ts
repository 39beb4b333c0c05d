import type { DependencyContainer } from 'tsyringe';
import type { ParamSource } from '../../decorators/params';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { resolveForRequest } from '../di/request-scope';
import { applyConditional } from './conditional';
import { toResponse } from './response-mapping';
import type { CompiledRoute } from './route-table';

/**
 * Runs a matched route: loads the body, runs the guards, calls
 * `handler(request, ...pathArgs)` (decorated arguments replacing theirs), maps the result and
 * answers conditional GET and Range. This is the core of the onion, so a 304 or 416 still passes
 * through the middleware (Django's ConditionalGetMiddleware sits below SecurityMiddleware).
 * The common case (a singleton with no guards and no decorated arguments) allocates only the
 * argument list it must.
 */
export async function invokeRoute(route: CompiledRoute, request: HttpRequest, container: DependencyContainer): Promise<HttpResponse> {
  await request.loadBody();
  if (route.guards !== null) {
    for (const guard of route.guards) {
      const answer = await guard(request);
      if (answer !== undefined && answer !== null) return answer;
    }
  }
  const instance = route.instance ?? resolveForRequest(container, route.controller, request);
  const names = route.paramNames;
  let result: unknown;
  if (route.plan === null) {
    if (names.length === 0) result = route.handler.call(instance, request);
    else if (names.length === 1) result = route.handler.call(instance, request, request.params[names[0]]);
    else result = route.handler.apply(instance, [request, ...names.map((name) => request.params[name])]);
  } else {
    result = route.handler.apply(instance, await buildArguments(route, request));
  }
  if (result instanceof Promise) result = await result;
  const response = toResponse(result, route.culprit);
  // Conditional GET and Range concern only responses with validators (FileResponse has them), so
  // a plain JSON response never reads the request's conditional headers.
  if (response.streaming || response.hasHeader('etag') || response.hasHeader('last-modified')) {
    return applyConditional(request, response);
  }
  return response;
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
