/** The contract of an authentication backend (Django's `django.contrib.auth.backends`), and the token it is registered under. */
import type { HttpRequest } from '../http/http-request';

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

