import 'reflect-metadata';
import type { AuthenticatorSpec } from '../src/auth/route-authentication';
import { AUTHENTICATION } from './metadata-keys';
import type { ClassOrMethodDecorator } from './use';

/**
 * How the requests of one handler or, on a controller class, of every handler of the class are
 * authenticated (Django REST framework's `authentication_classes`): each authenticator in the
 * order written until one returns a user, which becomes `request.user`; if none does, the user
 * is anonymous — even when the session holds one, unless `SessionAuthentication` is listed. A
 * malformed or unknown token answers 401 with `WWW-Authenticate`; a guard that needs a login
 * (`@LoginRequired`, `@PermissionRequired`) answers an anonymous request 401 too, and a logged-in
 * user without the permission 403. It runs before every guard, before the body is read.
 *
 * CSRF: `CsrfMiddleware` leaves these routes to their authentication, which checks the CSRF token
 * only for requests a header did not authenticate, when `SessionAuthentication` is listed.
 * A handler's `@Authentication` replaces its class's. Classes are resolved once, from the app's
 * container.
 * @example
 * \@Controller('/api/polls', { api: true })
 * \@Authentication(TokenAuthentication, SessionAuthentication)
 * class PollApi {
 *   \@Post('/')
 *   \@LoginRequired()
 *   create(request: HttpRequest) { ... } // request.user: the token's user, or the session's
 * }
 */
export function Authentication(...authenticators: AuthenticatorSpec[]): ClassOrMethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(AUTHENTICATION, authenticators, target);
    else Reflect.defineMetadata(AUTHENTICATION, authenticators, target, propertyKey);
  }) as ClassOrMethodDecorator;
}

/** The authenticators of a route: its handler's `@Authentication`, else its class's; null when neither has one. */
export function getAuthentication(controller: Function, propertyKey: string): readonly AuthenticatorSpec[] | null {
  return Reflect.getMetadata(AUTHENTICATION, controller.prototype, propertyKey) ?? Reflect.getMetadata(AUTHENTICATION, controller) ?? null;
}
