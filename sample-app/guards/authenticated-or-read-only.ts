import { NotAuthenticated, type HttpRequest } from 'reinhardt';

/** The methods that only read (RFC 9110 §9.2.1), as DRF's `SAFE_METHODS`. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Django REST framework's `IsAuthenticatedOrReadOnly` as a class-level guard: anyone may read,
 * only an authenticated user (a token's, or the session's) may write. An anonymous unsafe request
 * is a `NotAuthenticated`, answered 401 with the route's `WWW-Authenticate` challenge (`Token`
 * under `@Authentication(TokenAuthentication, ...)`), as DRF's `permission_denied` does.
 *
 * A guard function, not a class: it needs no service, so there is nothing to inject.
 * @example
 * \@Controller('/api/polls', { api: true })
 * \@Authentication(TokenAuthentication, SessionAuthentication)
 * \@UseGuards(authenticatedOrReadOnly)
 * export class PollApiController { ... }
 */
export function authenticatedOrReadOnly(request: HttpRequest): void {
  if (SAFE_METHODS.has(request.method) || request.user.isAuthenticated) return;
  throw new NotAuthenticated();
}
