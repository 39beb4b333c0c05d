import { PermissionDenied } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import { asRequestUser } from './anonymous-user';
import { AuthenticationBackend } from './authentication-backend';
import { authServicesFor, latestAuthServices } from './auth-services';
import type { RequestUser } from './request-user';

/**
 * Asks each registered `AuthenticationBackend` in turn and returns the first user one accepts,
 * or null (Django's `authenticate(request, **credentials)`). It does not log the user in: pass
 * the result to `login`. The backends are the ones `AuthenticationMiddleware` resolved from the
 * app's container (with `request` null, outside a request: those of the app created last with
 * AuthenticationMiddleware); pass `backends` to choose others.
 * @example
 * const user = await authenticate(request, { username, password });
 * if (user) await login(request, user);
 */
export async function authenticate(
  request: HttpRequest | null,
  credentials: Record<string, unknown>,
  backends?: readonly AuthenticationBackend[],
): Promise<RequestUser | null> {
  const candidates = backends ?? (request === null ? latestAuthServices() : authServicesFor(request))?.backends ?? [];
  for (const backend of candidates) {
    let user: object | null;
    try {
      user = await backend.authenticate(request, credentials);
    } catch (error) {
      // "This backend says to stop in our tracks - this user should not be allowed in at all."
      if (error instanceof PermissionDenied) return null;
      throw error;
    }
    if (user != null) return asRequestUser(user);
  }
  return null;
}
