import 'reflect-metadata';
import { injectable } from 'tsyringe';
import type { HttpRequest } from '../http/http-request';
import type { RequestAuthenticator } from './authentication-backend';
import type { RequestUser } from './request-user';

/**
 * Authenticates a request by its session (Django REST framework's `SessionAuthentication`): the
 * user `AuthenticationMiddleware` found from the session cookie, when logged in and active.
 * A browser sends that cookie with requests other sites make, so on a route that lists it every
 * unsafe request not authenticated by a header needs the CSRF token — the session user's (DRF's
 * `enforce_csrf`) and, unlike DRF, an anonymous one's too (a login form is a CSRF target). It has
 * no challenge: a route with only sessions answers 403, not 401, to a missing login.
 * @example \@Authentication(TokenAuthentication, SessionAuthentication)
 */
@injectable()
export class SessionAuthentication implements RequestAuthenticator {
  authenticateRequest(request: HttpRequest): RequestUser | null {
    const user = request.user as RequestUser | undefined;
    // DRF: "Unauthenticated, CSRF validation not required" — the route step checks CSRF after.
    if (user === undefined || !user.isAuthenticated || user.isActive === false) return null;
    return user;
  }

  authenticateHeader(): null {
    return null;
  }
}
