import 'reflect-metadata';
import { loginRequiredGuard, permissionRequiredGuard, type RouteGuard } from '../src/auth/guards';
import { CSRF_EXEMPT, GUARDS } from './metadata-keys';

/**
 * Adds `guard` in front of the guards already on the method. Decorators apply bottom-up, so
 * prepending makes guards run top to bottom as written — the outermost first, as Django's
 * stacked decorators: `@LoginRequired()` above `@PermissionRequired(...)` sends an anonymous
 * visitor to the login page instead of answering 403.
 */
function addGuard(target: object, propertyKey: string | symbol, guard: RouteGuard): void {
  const existing: RouteGuard[] = Reflect.getMetadata(GUARDS, target, propertyKey) ?? [];
  Reflect.defineMetadata(GUARDS, [guard, ...existing], target, propertyKey);
}

/**
 * Only logged-in users reach the handler (Django's `@login_required`). Anonymous: a 302 to the
 * `loginUrl` setting with `?next=<path>`, or 401 JSON for JSON clients.
 * @example
 * \@Get('/profile/')
 * \@LoginRequired()
 * profile(request: HttpRequest) { return { username: request.user.username }; }
 */
export function LoginRequired(): MethodDecorator {
  return (target, propertyKey) => addGuard(target, propertyKey, loginRequiredGuard);
}

/**
 * Only users with every one of `perms` reach the handler; others get 403 (Django's
 * `@permission_required(..., raise_exception=True)`). A user holds a permission when its
 * `hasPerm(perm)` (sync or async) returns true, or when it is an active superuser.
 * @example
 * \@Post('/polls/')
 * \@PermissionRequired('polls.add_poll')
 * create(request: HttpRequest) { ... }
 */
export function PermissionRequired(perms: string | readonly string[]): MethodDecorator {
  const list = typeof perms === 'string' ? [perms] : [...perms];
  const guard = permissionRequiredGuard(list);
  // Named for `reinhardt routes`, which lists each route's guards.
  Object.defineProperty(guard, 'name', { value: `PermissionRequired(${list.join(', ')})` });
  return (target, propertyKey) => addGuard(target, propertyKey, guard);
}

/**
 * Turns CSRF checks off for this handler (Django's `@csrf_exempt`), e.g. for a webhook that
 * authenticates otherwise.
 * @example
 * \@Post('/webhooks/payment/')
 * \@CsrfExempt()
 * payment(request: HttpRequest) { ... }
 */
export function CsrfExempt(): MethodDecorator {
  return (target, propertyKey) => Reflect.defineMetadata(CSRF_EXEMPT, true, target, propertyKey);
}
