/**
 * Which router serves a request, for middleware that must look up a route other than the one
 * the request matched: CorsMiddleware answers a preflight (`OPTIONS` carrying
 * `Access-Control-Request-Method: PUT`) with the CORS options of the route the PUT would run,
 * though routing found no OPTIONS handler. Each app resolves its own settings object, and every
 * request carries it, so that object names the app; the router is registered once, at start.
 */
import type { HttpRequest } from '../http/http-request';
import type { Router } from '../routing/router';
import type { CompiledRoute } from './route-table';
import type { Settings } from './settings';

const routers = new WeakMap<Readonly<Settings>, Router<CompiledRoute>>();

/**
 * Records the router of the app whose settings these are (the Application does, once).
 * @internal
 */
export function registerRouter(settings: Readonly<Settings>, router: Router<CompiledRoute>): void {
  routers.set(settings, router);
}

/**
 * The route the request's app runs for `method` on the request's path, or null (no such route,
 * an undecodable path, or a request built outside an app).
 * @example routeForMethod(request, request.META.HTTP_ACCESS_CONTROL_REQUEST_METHOD)
 * @internal
 */
export function routeForMethod(request: HttpRequest, method: string): CompiledRoute | null {
  const router = routers.get(request.settings);
  if (router === undefined) return null;
  let path: string;
  try {
    path = request.path;
  } catch {
    return null;
  }
  return router.match(method, path)?.value ?? null;
}
