import { PermissionDenied } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import { asRequestUser } from './anonymous-user';
import { authServicesFor, latestAuthServices } from './auth-services';
import type { RequestUser } from './request-user';

/**
 * A way to check credentials (Django's authentication backends), and the DI token to register
 * backends under; register several and `authenticate` asks each in registration order. A class
 * merged with this interface, like `SessionStore`.
 * @example
 * \@injectable()
 * class PasswordBackend implements AuthenticationBackend<Account> {
 *   constructor(private readonly accounts: AccountRepository) {}
 *   async authenticate(request: HttpRequest | null, { username, password }: Record<string, unknown>) {
 *     const account = await this.accounts.findByUsername(String(username));
 *     // No such account: checkPassword(..., null) still hashes once, so timing does not tell.
 *     return (await checkPassword(String(password), account?.password ?? null)) ? account : null;
 *   }
 * }
 * container.register(AuthenticationBackend, { useClass: PasswordBackend });
 */
export interface AuthenticationBackend<User extends object = any> {
  /**
   * The user these credentials identify, or null to let the next backend try. Throw
   * `PermissionDenied` to stop: no other backend is asked (Django's contract).
   */
  authenticate(request: HttpRequest | null, credentials: Record<string, unknown>): Promise<User | null> | User | null;
}
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class AuthenticationBackend<User extends object = any> {}

/** Whether a resolved value really is a backend (an unregistered class token resolves to an empty instance). */
export function isAuthenticationBackend(value: unknown): value is AuthenticationBackend {
  return typeof (value as AuthenticationBackend | null)?.authenticate === 'function';
}

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
