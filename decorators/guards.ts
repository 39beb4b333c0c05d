import 'reflect-metadata';
import { loginRequiredGuard, permissionRequiredGuard } from '../src/auth/guards';
import { CSRF_EXEMPT } from './metadata-keys';
import { addGuards, type ClassOrMethodDecorator } from './use';

/**
 * Only logged-in users reach the handler (Django's `@login_required`); on a controller class,
 * every handler of the class. Anonymous: a 302 to the `loginUrl` setting with `?next=<path>`, or
 * 401 JSON for JSON clients.
 * @example
 * \@Get('/profile/')
 * \@LoginRequired()
 * profile(request: HttpRequest) { return { username: request.user.username }; }
 */
export function LoginRequired(): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => addGuards([loginRequiredGuard], target, propertyKey)) as ClassOrMethodDecorator;
}

/**
 * Only users with every one of `perms` reach the handler (or, on a controller class, any of its
 * handlers); others get 403 (Django's `@permission_required(..., raise_exception=True)`). A user
 * holds a permission when its `hasPerm(perm)` (sync or async) returns true, or when it is an
 * active superuser.
 * @example
 * \@Post('/polls/')
 * \@PermissionRequired('polls.add_poll')
 * create(request: HttpRequest) { ... }
 */
export function PermissionRequired(perms: string | readonly string[]): ClassOrMethodDecorator {
  const list = typeof perms === 'string' ? [perms] : [...perms];
  const guard = permissionRequiredGuard(list);
  // Named for `reinhardt routes`, which lists each route's guards.
  Object.defineProperty(guard, 'name', { value: `PermissionRequired(${list.join(', ')})` });
  return ((target: object, propertyKey?: string | symbol) => addGuards([guard], target, propertyKey)) as ClassOrMethodDecorator;
}

/**
 * Turns CSRF checks off for this handler or, on a controller class, for all its handlers
 * (Django's `@csrf_exempt`), e.g. for a webhook that authenticates otherwise.
 * @example
 * \@Post('/webhooks/payment/')
 * \@CsrfExempt()
 * payment(request: HttpRequest) { ... }
 */
export function CsrfExempt(): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(CSRF_EXEMPT, true, target);
    else Reflect.defineMetadata(CSRF_EXEMPT, true, target, propertyKey);
  }) as ClassOrMethodDecorator;
}

/** Whether `@CsrfExempt()` is on the handler or on its controller class. */
export function isCsrfExempt(controller: Function, propertyKey: string): boolean {
  return Reflect.getMetadata(CSRF_EXEMPT, controller.prototype, propertyKey) === true || Reflect.getMetadata(CSRF_EXEMPT, controller) === true;
}
