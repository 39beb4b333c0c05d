import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { getConditions } from '../../decorators/conditional';
import { getControllerMetadata } from '../../decorators/controller';
import { CSRF_EXEMPT, GUARDS } from '../../decorators/metadata-keys';
import { getParamSources, type ParamSource } from '../../decorators/params';
import { getRouteMetadata } from '../../decorators/route';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { ImproperlyConfigured } from '../http/errors';
import type { RouteInfo } from '../routing/resolver-match';
import { Router } from '../routing/router';
import type { ViewConditions } from './view-conditions';

/** A function run before a handler; a returned response answers instead of the handler. */
export type RouteGuard = (request: HttpRequest) => HttpResponse | void | Promise<HttpResponse | void>;

/**
 * Everything the pipeline needs about one route, computed once at start (Fastify's per-route
 * context): the bound instance for singletons, the handler, the argument plan, the guards and the
 * conditions. It is also the `RouteInfo` that `request.route` points to, so matching a route
 * allocates nothing.
 */
export interface CompiledRoute extends RouteInfo {
  /** The singleton instance; null for `{ scope: 'request' }` controllers. */
  readonly instance: object | null;
  readonly controller: new (...args: any[]) => object;
  readonly handler: (...args: unknown[]) => unknown;
  /** Path parameter names in pattern order: the handler's arguments after the request. */
  readonly paramNames: readonly string[];
  /** Decorated arguments by index; null when the handler has none (the fast path). */
  readonly plan: readonly (ParamSource | undefined)[] | null;
  /** null when the route has no guards, so the common case pays nothing. */
  readonly guards: readonly RouteGuard[] | null;
  /** The @Condition / @ETag / @LastModified functions; null when it has none (the common case). */
  readonly conditions: ViewConditions | null;
  /** `Controller.method`, for errors that name the culprit. */
  readonly culprit: string;
}

const PARAMETER = /<(?:([^>:]+):)?([^>]+)>/g;

/** Joins a controller prefix and a route path into one pattern with exactly one slash between. */
export function joinPath(prefix: string, path: string): string {
  let joined: string;
  if (prefix === '' || prefix === '/') joined = path;
  else if (path === '') joined = prefix;
  else joined = prefix.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
  return joined.startsWith('/') ? joined : '/' + joined;
}

/**
 * Reads the decorators of every controller and fills a compiled router. Misuse fails here, at start,
 * with the controller and method named.
 */
export function buildRouter(controllers: Function[], container: DependencyContainer): Router<CompiledRoute> {
  const router = new Router<CompiledRoute>();
  for (const controller of controllers) {
    const meta = getControllerMetadata(controller);
    if (meta === undefined) {
      throw new ImproperlyConfigured(`${controller.name || String(controller)} is not a controller: decorate it with @Controller().`);
    }
    const routes = getRouteMetadata(controller);
    if (routes.length === 0) {
      throw new ImproperlyConfigured(`Controller ${controller.name} declares no routes (use @Get, @Post, ...).`);
    }
    const ctor = controller as new (...args: any[]) => object;
    const instance = meta.scope === 'singleton' ? container.resolve(ctor) : null;
    for (const spec of routes) {
      const culprit = `${controller.name}.${spec.propertyKey}`;
      const handler = (controller.prototype as Record<string, unknown>)[spec.propertyKey];
      if (typeof handler !== 'function') {
        throw new ImproperlyConfigured(`${culprit} is not a method.`);
      }
      const pattern = joinPath(meta.prefix, spec.path);
      const sources = getParamSources(controller.prototype, spec.propertyKey);
      const guards: RouteGuard[] = Reflect.getMetadata(GUARDS, controller.prototype, spec.propertyKey) ?? [];
      const compiled: CompiledRoute = {
        routeName: spec.name,
        route: pattern,
        controllerName: controller.name,
        methodName: spec.propertyKey,
        csrfExempt: Reflect.getMetadata(CSRF_EXEMPT, controller.prototype, spec.propertyKey) === true,
        instance,
        controller: ctor,
        handler: handler as (...args: unknown[]) => unknown,
        paramNames: Array.from(pattern.matchAll(PARAMETER), (m) => m[2]),
        plan: sources.some((s) => s !== undefined) ? sources : null,
        guards: guards.length > 0 ? guards : null,
        conditions: getConditions(controller.prototype, spec.propertyKey),
        culprit,
      };
      // A route with several methods shares one name; only its first registration carries it.
      spec.methods.forEach((method, i) => {
        try {
          router.add(method, pattern, compiled, i === 0 ? spec.name : null);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new ImproperlyConfigured(`${culprit} (${method} ${pattern}): ${reason}`);
        }
      });
    }
  }
  router.compile();
  return router;
}
