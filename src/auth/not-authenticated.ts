/**
 * The two 401 exceptions of API authentication (Django REST framework's `NotAuthenticated` and
 * `AuthenticationFailed`, rest_framework/exceptions.py). `responseForException` answers them 401
 * with `WWW-Authenticate: <challenge>`, or, when the route has no authenticator that can name a
 * challenge (session authentication only), 403, as DRF's `APIView.handle_exception` does: a 401
 * without `WWW-Authenticate` would break RFC 9110 §15.5.2.
 */
import { ReinhardtError } from '../http/errors';

/**
 * No credentials came with a request that needs them (a guard on a route with `@Authentication`
 * found the user anonymous). Detail: "Authentication credentials were not provided."
 * @example if (!request.user.isAuthenticated) throw new NotAuthenticated();
 */
export class NotAuthenticated extends ReinhardtError {
  /**
   * The `WWW-Authenticate` value the 401 carries (`Token`, `Bearer`); null until the route's
   * authentication step fills it in with its first authenticator's challenge.
   */
  challenge: string | null;

  constructor(message = 'Authentication credentials were not provided.', challenge: string | null = null) {
    super(message);
    this.challenge = challenge;
  }
}

/**
 * Credentials came but are wrong: an unknown or malformed token, an inactive user. Thrown by an
 * authenticator's `authenticateRequest`; no other authenticator is asked (DRF's contract).
 * @example throw new AuthenticationFailed('Invalid token.');
 */
export class AuthenticationFailed extends NotAuthenticated {
  constructor(message = 'Incorrect authentication credentials.', challenge: string | null = null) {
    super(message, challenge);
  }
}
