import 'reflect-metadata';
import { inject, injectable, injectAll } from 'tsyringe';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import { ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import type { Session } from '../sessions/session';
import { AnonymousUser, asRequestUser } from './anonymous-user';
import { announceAuthServices, registerAuthServices, type AuthServices } from './auth-services';
import { AuthenticationBackend, isAuthenticationBackend } from './authentication-backend';
import { constantTimeEquals, HASH_SESSION_KEY, SESSION_KEY, sessionAuthHash } from './login';
import type { RequestUser } from './request-user';
import { isUserProvider, UserProvider } from './user-provider';

/**
 * Sets `request.user` (Django's `AuthenticationMiddleware`, after `SessionMiddleware`): the
 * `UserProvider`'s user whose id `login()` stored in the session, else an `AnonymousUser`.
 *
 * Django sets a lazy object; `getUser` is async here, so the user is fetched before the handler,
 * and only when the session is a stored one holding a user id — a request without a session
 * cookie costs nothing. A user whose `getSessionAuthHash()` no longer matches the hash saved at
 * login (the password changed) is logged out, as in Django's `get_user`. Without a registered
 * UserProvider everyone is anonymous.
 * @example createApp({ controllers, middleware: [SessionMiddleware, AuthenticationMiddleware] });
 */
@injectable()
export class AuthenticationMiddleware implements MiddlewareClass, InlineMiddleware {
  private readonly services: AuthServices;
  private boundSettings: Readonly<Settings> | null;

  constructor(
    @inject(UserProvider) users: UserProvider,
    @injectAll(AuthenticationBackend, { isOptional: true }) backends: AuthenticationBackend[],
  ) {
    // tsyringe builds an unregistered class token itself: an empty instance means "none registered".
    this.services = { users: isUserProvider(users) ? users : null, backends: backends.filter(isAuthenticationBackend) };
    this.boundSettings = null;
    announceAuthServices(this.services);
  }

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  /** Synchronous unless a user id in the session has to be looked up. */
  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    if (this.boundSettings !== request.settings) {
      registerAuthServices(request.settings, this.services);
      this.boundSettings = request.settings;
    }
    const user = this.userFor(request);
    if (user instanceof Promise) return this.handleWhenFound(request, user, next);
    request.user = user;
    return next(request);
  }

  private async handleWhenFound(request: HttpRequest, user: Promise<RequestUser>, next: InlineNext): Promise<HttpResponse> {
    request.user = await user;
    return next(request);
  }

  private userFor(request: HttpRequest): MaybePromise<RequestUser> {
    const session = request.session as Session | null | undefined;
    if (session == null) {
      throw new ImproperlyConfigured('AuthenticationMiddleware requires SessionMiddleware before it in the middleware list.');
    }
    const users = this.services.users;
    if (users === null || session.sessionKey === null) return new AnonymousUser();
    const id = session.get(SESSION_KEY);
    if (typeof id !== 'string') return new AnonymousUser();
    return this.lookUp(users, session, id);
  }

  private async lookUp(users: UserProvider, session: Session, id: string): Promise<RequestUser> {
    const user = await users.getUser(id);
    if (user == null) return new AnonymousUser();
    const hash = sessionAuthHash(user);
    if (hash) {
      const stored = session.get(HASH_SESSION_KEY);
      if (typeof stored !== 'string' || !constantTimeEquals(stored, hash)) {
        await session.flush();
        return new AnonymousUser();
      }
    }
    return asRequestUser(user);
  }
}
