/**
 * The contract of an authentication backend (Django's `django.contrib.auth.backends`) and the
 * token it is registered under, and that of a request authenticator (DRF's authentication
 * classes), which reads the credentials from the request itself.
 */
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

/**
 * A way to authenticate a request from the request itself (Django REST framework's
 * `BaseAuthentication`): an `Authorization` header, a session. `@Authentication(...)` lists them
 * per controller or handler; the first to return a user wins, and `request.user` is that user or
 * an `AnonymousUser`. An `AuthenticationBackend` may be one too (`TokenAuthentication` is both).
 * @example
 * \@injectable()
 * class ApiKeyAuthentication implements RequestAuthenticator<Account> {
 *   constructor(private readonly accounts: AccountRepository) {}
 *   async authenticateRequest(request: HttpRequest) {
 *     const key = request.headers.get('X-Api-Key');
 *     if (key == null) return null; // not this scheme: the next authenticator is asked
 *     const account = await this.accounts.findByApiKey(key);
 *     if (account === null) throw new AuthenticationFailed('Invalid API key.');
 *     return account;
 *   }
 *   authenticateHeader() { return 'ApiKey'; }
 * }
 */
export interface RequestAuthenticator<User extends object = any> {
  /**
   * The user the request's own credentials identify; null when it carries none of this kind (the
   * next authenticator is asked). Throw `AuthenticationFailed` for credentials that are wrong:
   * the request is answered 401 and no other authenticator is asked.
   */
  authenticateRequest(request: HttpRequest): Promise<User | null> | User | null;
  /**
   * The `WWW-Authenticate` challenge of a 401 (`Token`, `Bearer`), or null for a way that has
   * none (sessions): DRF's `authenticate_header`. The route's first authenticator with one names
   * the challenge of "credentials were not provided".
   */
  authenticateHeader?(request: HttpRequest): string | null;
}

/** Whether a value can authenticate a request (`authenticateRequest`). */
export function isRequestAuthenticator(value: unknown): value is RequestAuthenticator {
  return typeof (value as RequestAuthenticator | null)?.authenticateRequest === 'function';
}

/** Whether a resolved value really is a backend (an unregistered class token resolves to an empty instance). */
export function isAuthenticationBackend(value: unknown): value is AuthenticationBackend {
  return typeof (value as AuthenticationBackend | null)?.authenticate === 'function';
}

