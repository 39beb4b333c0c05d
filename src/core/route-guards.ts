import type { DependencyContainer } from 'tsyringe';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { ImproperlyConfigured } from '../http/errors';
import type { RouteInfo } from '../routing/resolver-match';

/**
 * A check run before a route's handler (FoalTS's hooks, DRF's permission classes): it returns
 * nothing to let the request through, returns a response to answer instead of the handler, or
 * throws (`PermissionDenied` → 403, `Http404` → 404, ...). `route` is the route that matched,
 * so one guard can serve many routes.
 * @example
 * const staffOnly: RouteGuard = (request) => {
 *   if (request.user?.isStaff !== true) throw new PermissionDenied();
 * };
 */
export type RouteGuard = (request: HttpRequest, route: RouteInfo) => HttpResponse | void | Promise<HttpResponse | void>;

/**
 * A guard as a class, resolved once from the app's container when the app starts (so its
 * constructor may take services), then called for every request through `check`.
 * @example
 * \@injectable()
 * class ApiKeyGuard implements RouteGuardClass {
 *   constructor(private readonly keys: ApiKeyStore) {}
 *   async check(request: HttpRequest) {
 *     if (!(await this.keys.isValid(request.headers.get('X-Api-Key')))) throw new PermissionDenied();
 *   }
 * }
 */
export interface RouteGuardClass {
  check(request: HttpRequest, route: RouteInfo): HttpResponse | void | Promise<HttpResponse | void>;
}

/**
 * What `@UseGuards(...)` accepts: a guard function, a class with `check`, or an instance of one.
 * @example \@UseGuards(staffOnly, ApiKeyGuard, new IpAllowList(['10.0.0.0/8']))
 */
export type Guard = RouteGuard | (new (...args: any[]) => RouteGuardClass) | RouteGuardClass;

function isGuardClass(candidate: unknown): candidate is new (...args: any[]) => RouteGuardClass {
  return typeof candidate === 'function' && typeof (candidate.prototype as Partial<RouteGuardClass> | undefined)?.check === 'function';
}

/** `class X {}` without `check`: calling it would throw a TypeError on every request. */
function isClassWithoutCheck(candidate: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(candidate));
}

/**
 * Turns declared guards into plain functions, once, when the app starts: a class is resolved from
 * the container (one instance per class per app, kept in `resolved`) and its `check` bound, so a
 * request calls every guard the same way and allocates nothing for it. A value that cannot be a
 * guard fails here, naming the route.
 */
export function resolveGuards(
  declared: readonly Guard[],
  container: DependencyContainer,
  resolved: Map<Function, RouteGuard>,
  culprit: string,
): RouteGuard[] {
  return declared.map((candidate) => {
    if (isGuardClass(candidate)) {
      let guard = resolved.get(candidate);
      if (guard === undefined) {
        const instance = container.resolve(candidate);
        guard = named(instance.check.bind(instance), candidate.name);
        resolved.set(candidate, guard);
      }
      return guard;
    }
    if (typeof candidate === 'function' && !isClassWithoutCheck(candidate)) return candidate as RouteGuard;
    if (candidate !== null && typeof candidate === 'object' && typeof (candidate as RouteGuardClass).check === 'function') {
      const instance = candidate as RouteGuardClass;
      return named(instance.check.bind(instance), instance.constructor.name);
    }
    throw new ImproperlyConfigured(
      `A guard of ${culprit} is not a function, a class with check(request, route), or an instance of one; got ${describe(candidate)}.`,
    );
  });
}

/** Bound functions are called `bound check`; `reinhardt routes` lists guards by name. */
function named(guard: RouteGuard, name: string): RouteGuard {
  Object.defineProperty(guard, 'name', { value: name });
  return guard;
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `the class ${value.name} (it has no check method)`;
  return value === null || value === undefined ? String(value) : `a ${typeof value}`;
}
