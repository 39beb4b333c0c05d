import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { AuthenticationBackend, RequestAuthenticator } from './authentication-backend';
import { AuthenticationFailed } from './not-authenticated';
import { findToken, isTokenStore, TokenStore } from './token-store';
import { isUserProvider, UserProvider } from './user-provider';

/** Printable ASCII but the space: what a token string may hold before it is looked up. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * Authenticates a request by `Authorization: Token <token>` (Django REST framework's
 * `TokenAuthentication`): the token is looked up in the app's `TokenStore` (hashed, compared in
 * constant time) and its user fetched from the `UserProvider`. A request without that header is
 * left to the next authenticator; one with a malformed, unknown or revoked token, or the token of
 * an inactive or deleted user, is answered 401 with `WWW-Authenticate: Token` (DRF's messages).
 * A request authenticated by a header cannot be forged by another site, so its unsafe methods
 * need no CSRF token. Subclass it to change the keyword (`BearerAuthentication`).
 * @example
 * container.registerInstance(TokenStore, new MemoryTokenStore());
 * \@Controller('/api', { api: true })
 * \@Authentication(TokenAuthentication, SessionAuthentication)
 * class PollApi { ... }
 */
@injectable()
export class TokenAuthentication implements RequestAuthenticator, AuthenticationBackend {
  /** The scheme before the token, matched case-insensitively (RFC 9110 §11.1), and the challenge of its 401s. */
  readonly keyword: string = 'Token';

  constructor(
    @inject(TokenStore) private readonly store: TokenStore,
    @inject(UserProvider) private readonly users: UserProvider,
  ) {
    // tsyringe builds an unregistered class token itself: an empty instance means "none registered".
    if (!isTokenStore(store)) {
      throw new ImproperlyConfigured(`${new.target.name} needs a TokenStore: container.registerInstance(TokenStore, new MemoryTokenStore()) or your own store.`);
    }
    if (!isUserProvider(users)) {
      throw new ImproperlyConfigured(`${new.target.name} needs a UserProvider to turn a token's user id into a user: register one.`);
    }
  }

  /**
   * DRF's `TokenAuthentication.authenticate`: the header split on whitespace must be exactly the
   * keyword and one token; anything else with this keyword is refused, never passed on.
   */
  async authenticateRequest(request: HttpRequest): Promise<object | null> {
    const header = request.headers.get('Authorization');
    if (header == null) return null;
    const parts = header.split(/[ \t]+/).filter((part) => part !== '');
    if (parts.length === 0 || parts[0].toLowerCase() !== this.keyword.toLowerCase()) return null;
    if (parts.length === 1) throw new AuthenticationFailed('Invalid token header. No credentials provided.');
    if (parts.length > 2) throw new AuthenticationFailed('Invalid token header. Token string should not contain spaces.');
    if (!TOKEN_CHARACTERS.test(parts[1])) {
      throw new AuthenticationFailed('Invalid token header. Token string should not contain invalid characters.');
    }
    return this.userForToken(parts[1]);
  }

  /** The 401's challenge: the keyword (DRF's `authenticate_header`). */
  authenticateHeader(): string {
    return this.keyword;
  }

  /**
   * As a backend: `authenticate(request, { token })` gives the token's user, or null for anything
   * else (other credentials, an unknown token), so it can sit beside a password backend.
   */
  async authenticate(_request: HttpRequest | null, credentials: Record<string, unknown>): Promise<object | null> {
    const token = credentials.token;
    if (typeof token !== 'string' || Object.keys(credentials).length !== 1) return null;
    try {
      return await this.userForToken(token);
    } catch (error) {
      if (error instanceof AuthenticationFailed) return null;
      throw error;
    }
  }

  /** DRF's `authenticate_credentials`. */
  private async userForToken(token: string): Promise<object> {
    const stored = await findToken(this.store, token);
    if (stored === null) throw new AuthenticationFailed('Invalid token.');
    const user: { isActive?: unknown } | null = await this.users.getUser(stored.userId);
    if (user == null || user.isActive === false) throw new AuthenticationFailed('User inactive or deleted.');
    return user;
  }
}

/**
 * `TokenAuthentication` with the `Bearer` keyword (RFC 6750's scheme): `Authorization: Bearer
 * <token>`, 401s with `WWW-Authenticate: Bearer`. The tokens are the same opaque ones from the
 * `TokenStore`, not JWTs.
 * @example \@Authentication(BearerAuthentication)
 */
@injectable()
export class BearerAuthentication extends TokenAuthentication {
  override readonly keyword: string = 'Bearer';
}
