import 'reflect-metadata';
import type { Middleware } from '../src/core/middleware';
import type { Guard } from '../src/core/route-guards';
import { GUARDS, ROUTE_MIDDLEWARE } from './metadata-keys';

/** A decorator for a handler, or for a controller class (then for every handler of the class). */
export type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

/**
 * Puts `entries` in front of the list already stored under `key` on a method (`propertyKey`
 * given) or on a class. Decorators apply bottom-up, so prepending makes stacked decorators run
 * top to bottom as written — the outermost first, as Django's stacked view decorators:
 * `@LoginRequired()` above `@PermissionRequired(...)` sends an anonymous visitor to the login
 * page instead of answering 403. Inherited entries are kept: a subclass of a guarded controller
 * stays guarded.
 */
export function prependMetadata(key: symbol, entries: readonly unknown[], target: object, propertyKey?: string | symbol): void {
  if (propertyKey === undefined) {
    const existing: unknown[] = Reflect.getMetadata(key, target) ?? [];
    Reflect.defineMetadata(key, [...entries, ...existing], target);
  } else {
    const existing: unknown[] = Reflect.getMetadata(key, target, propertyKey) ?? [];
    Reflect.defineMetadata(key, [...entries, ...existing], target, propertyKey);
  }
}

/** Adds guards to a handler or to a controller class (see {@link UseGuards}). */
export function addGuards(guards: readonly Guard[], target: object, propertyKey?: string | symbol): void {
  prependMetadata(GUARDS, guards, target, propertyKey);
}

/**
 * Runs guards before the handler — before its body is read — on one handler or, on a controller
 * class, on every handler of the class. A guard is a function `(request, route)`, a class with
 * `check(request, route)` (resolved once from the app's container, so it may inject services),
 * or an instance of one. It lets the request through by returning nothing, answers instead of
 * the handler by returning a response, or throws (`PermissionDenied` is a 403). Order: the class's
 * guards before the method's, each in the order written.
 * @example
 * \@Controller('/admin')
 * \@UseGuards(StaffOnly)
 * class AdminController {
 *   \@Post('/purge/')
 *   \@UseGuards(superuserOnly)
 *   purge(request: HttpRequest) { ... }
 * }
 */
export function UseGuards(...guards: Guard[]): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => addGuards(guards, target, propertyKey)) as ClassOrMethodDecorator;
}

/**
 * Wraps one handler, or every handler of a controller class, in middleware (Django's
 * `decorator_from_middleware`): the same functions and classes `createApp({ middleware })` takes,
 * composed once at start-up into an onion around the route, inside the app's middleware. They see
 * every response the route gives — its guards' too — and an exception inside them becomes a
 * response at their layer, as in the app's onion. Order: the class's middleware outside the
 * method's, each outermost first as written.
 * @example
 * \@Controller('/reports')
 * \@UseMiddleware(TimingMiddleware)
 * class ReportController {
 *   \@Get('/')
 *   \@UseMiddleware(addNoIndexHeader)
 *   list(request: HttpRequest) { ... }
 * }
 */
export function UseMiddleware(...middleware: Middleware[]): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => prependMetadata(ROUTE_MIDDLEWARE, middleware, target, propertyKey)) as ClassOrMethodDecorator;
}

/** The class's entries under `key`, then the method's: the class is the outer decorator. */
function classThenMethod<T>(key: symbol, controller: Function, propertyKey: string): T[] {
  const onClass: T[] = Reflect.getMetadata(key, controller) ?? [];
  const onMethod: T[] = Reflect.getMetadata(key, controller.prototype, propertyKey) ?? [];
  return [...onClass, ...onMethod];
}

/** The guards a route runs: its controller's, then its handler's. */
export function getGuards(controller: Function, propertyKey: string): Guard[] {
  return classThenMethod<Guard>(GUARDS, controller, propertyKey);
}

/** The middleware wrapping a route, outermost first: its controller's, then its handler's. */
export function getRouteMiddleware(controller: Function, propertyKey: string): Middleware[] {
  return classThenMethod<Middleware>(ROUTE_MIDDLEWARE, controller, propertyKey);
}
