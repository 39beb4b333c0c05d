import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import { getResponsePatches, type ResponsePatch } from '../../decorators/cache';
import { getPageCache } from '../../decorators/cache-page';
import { getConditions } from '../../decorators/conditional';
import { getControllerMetadata } from '../../decorators/controller';
import { isCsrfExempt } from '../../decorators/guards';
import { getParamSources, type ParamSource } from '../../decorators/params';
import { getRouteMetadata } from '../../decorators/route';
import { getGuards, getRouteMiddleware } from '../../decorators/use';
import { getAuthentication } from '../../decorators/authentication';
import { authenticationGuard } from '../auth/route-authentication';
import type { RequestAuthenticator } from '../auth/authentication-backend';
import { ImproperlyConfigured } from '../http/errors';
import type { PageCache } from '../cache/page-cache';
import type { RouteInfo } from '../routing/resolver-match';
import { Router } from '../routing/router';
import type { InlineNext, Middleware } from './middleware';
import { resolveGuards, type RouteGuard } from './route-guards';
import type { ViewConditions } from './view-conditions';

export type { RouteGuard } from './route-guards';

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
  /** The controller's guards then the handler's, classes resolved; null when it has none (the common case). */
  readonly guards: readonly RouteGuard[] | null;
  /** The @UseMiddleware of the controller then the handler, outermost first; null when it has none. */
  readonly middleware: readonly Middleware[] | null;
  /**
   * That middleware composed around the route (see `composeRouteMiddleware`), set once when the
   * app starts; null when the route has none, and the route then pays nothing for it.
   */
  chain: InlineNext | null;
  /** The @Condition / @ETag / @LastModified functions; null when it has none (the common case). */
  readonly conditions: ViewConditions | null;
  /**
   * The header patches of @CacheControl / @NeverCache / @VaryOnHeaders / @VaryOnCookie, applied
   * in order to whatever the route answers; null when it has none (the common case).
   */
  readonly responsePatches: readonly ResponsePatch[] | null;
  /** The @CachePage cache; null when the route has none (the common case). */
  readonly pageCache: PageCache | null;
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
  // One instance of each guard class per app, however many routes use it.
  const guardInstances = new Map<Function, RouteGuard>();
  // And of each @Authentication class.
  const authenticatorInstances = new Map<Function, RequestAuthenticator>();
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
      const guards = resolveGuards(getGuards(controller, spec.propertyKey), container, guardInstances, culprit);
      // @Authentication runs before every guard (DRF: authentication, then permissions and
      // throttles) and checks CSRF itself; CsrfMiddleware leaves it alone, as DRF's views are csrf_exempt.
      const authenticators = getAuthentication(controller, spec.propertyKey);
      const csrfExempt = isCsrfExempt(controller, spec.propertyKey);
      if (authenticators !== null) guards.unshift(authenticationGuard(authenticators, csrfExempt, container, authenticatorInstances, culprit));
      const middleware = getRouteMiddleware(controller, spec.propertyKey);
      const compiled: CompiledRoute = {
        routeName: spec.name,
        route: pattern,
        controllerName: controller.name,
        methodName: spec.propertyKey,
        csrfExempt: csrfExempt || authenticators !== null,
        api: meta.api,
        instance,
        controller: ctor,
        handler: handler as (...args: unknown[]) => unknown,
        paramNames: Array.from(pattern.matchAll(PARAMETER), (m) => m[2]),
        plan: sources.some((s) => s !== undefined) ? sources : null,
        guards: guards.length > 0 ? guards : null,
        middleware: middleware.length > 0 ? middleware : null,
        chain: null,
        conditions: getConditions(controller.prototype, spec.propertyKey),
        responsePatches: getResponsePatches(controller, spec.propertyKey),
        pageCache: getPageCache(controller.prototype, spec.propertyKey),
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
