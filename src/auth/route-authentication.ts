import type { DependencyContainer } from 'tsyringe';
import type { RouteGuard } from '../core/route-guards';
import { ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { enforceCsrf } from '../middleware/csrf';
import { AnonymousUser, asRequestUser } from './anonymous-user';
import { isRequestAuthenticator, type RequestAuthenticator } from './authentication-backend';
import { NotAuthenticated } from './not-authenticated';
import { SessionAuthentication } from './session-authentication';

/** What `@Authentication(...)` accepts: an authenticator class (resolved from the app's container) or an instance. */
export type AuthenticatorSpec = (new (...args: any[]) => RequestAuthenticator) | RequestAuthenticator;

/** One route's authentication, compiled when the app starts (DRF's `APIView.get_authenticators`). */
interface RouteAuthentication {
  readonly authenticators: readonly RequestAuthenticator[];
  /** A session authenticator is listed and the route is not `@CsrfExempt()`: requests not authenticated by a header need the CSRF token. */
  readonly checksCsrf: boolean;
}

/**
 * The challenge (null: none) of a route whose authentication found the request anonymous, for
 * the guards after it (`@LoginRequired`, `@PermissionRequired`): set only on such routes, read
 * only for anonymous users, so no other request touches it.
 */
const anonymousChallenges = new WeakMap<HttpRequest, string | null>();

/**
 * DRF's `permission_denied`: the error a guard throws for an anonymous user on a route with
 * `@Authentication` — `NotAuthenticated`, answered 401 with the route's `WWW-Authenticate`
 * challenge, or 403 when it has none (sessions only) — or null on other routes, where the guard
 * keeps its own answer.
 * @example const error = notAuthenticatedFor(request); if (error !== null) throw error;
 */
export function notAuthenticatedFor(request: HttpRequest): NotAuthenticated | null {
  const challenge = anonymousChallenges.get(request);
  return challenge === undefined ? null : new NotAuthenticated(undefined, challenge);
}

/**
 * The `WWW-Authenticate` challenge of the route that found this request anonymous, or null (no
 * `@Authentication`, an authenticated user, or no authenticator with a challenge): what a
 * `NotAuthenticated` thrown without one — by a guard of your own — is answered with, as DRF's
 * `handle_exception` fills in `get_authenticate_header()` whoever raised it.
 * @example const challenge = error.challenge ?? anonymousChallengeOf(request);
 */
export function anonymousChallengeOf(request: HttpRequest): string | null {
  return anonymousChallenges.get(request) ?? null;
}

/**
 * Turns a route's `@Authentication(...)` into the guard that runs first, before every other: each
 * authenticator in turn until one returns a user (`request.user`), else `request.user` is an
 * `AnonymousUser`. CSRF is checked unless a header authenticated the request (DRF's
 * `SessionAuthentication.enforce_csrf`, and for anonymous requests too when sessions are allowed).
 * Classes are resolved once per app (`resolved`). A value that cannot authenticate fails here,
 * naming the route.
 */
export function authenticationGuard(
  specs: readonly AuthenticatorSpec[],
  csrfExempt: boolean,
  container: DependencyContainer,
  resolved: Map<Function, RequestAuthenticator>,
  culprit: string,
): RouteGuard {
  const authenticators = specs.map((spec) => resolve(spec, container, resolved, culprit));
  const route: RouteAuthentication = {
    authenticators,
    checksCsrf: !csrfExempt && authenticators.some((a) => a instanceof SessionAuthentication),
  };
  const guard: RouteGuard = (request) => authenticateRoute(route, request);
  // Named for `reinhardt routes`, which lists each route's guards.
  Object.defineProperty(guard, 'name', { value: `Authentication(${authenticators.map((a) => a.constructor.name).join(', ')})` });
  return guard;
}

/** DRF's `get_authenticate_header`: the first challenge an authenticator of the route gives; null: a missing login is 403. */
function routeChallenge(route: RouteAuthentication, request: HttpRequest): string | null {
  for (const authenticator of route.authenticators) {
    const challenge = authenticator.authenticateHeader?.(request) ?? null;
    if (challenge !== null) return challenge;
  }
  return null;
}

function resolve(spec: AuthenticatorSpec, container: DependencyContainer, resolved: Map<Function, RequestAuthenticator>, culprit: string): RequestAuthenticator {
  if (typeof spec === 'function') {
    let instance = resolved.get(spec);
    if (instance === undefined) {
      if (typeof (spec.prototype as Partial<RequestAuthenticator> | undefined)?.authenticateRequest !== 'function') {
        throw new ImproperlyConfigured(`@Authentication on ${culprit}: ${spec.name} has no authenticateRequest(request) method.`);
      }
      instance = container.resolve(spec);
      resolved.set(spec, instance);
    }
    return instance;
  }
  if (isRequestAuthenticator(spec)) return spec;
  throw new ImproperlyConfigured(`@Authentication on ${culprit}: expected authenticator classes or instances (with authenticateRequest), got ${typeof spec}.`);
}

/** DRF's `Request._authenticate`, then the CSRF check for requests no header authenticated. */
async function authenticateRoute(route: RouteAuthentication, request: HttpRequest): Promise<HttpResponse | void> {
  for (const authenticator of route.authenticators) {
    let user: object | null;
    try {
      user = await authenticator.authenticateRequest(request);
    } catch (error) {
      // The client used this authenticator's scheme: its 401 names that scheme.
      if (error instanceof NotAuthenticated && error.challenge === null) {
        error.challenge = authenticator.authenticateHeader?.(request) ?? routeChallenge(route, request);
      }
      throw error;
    }
    if (user != null) {
      request.user = asRequestUser(user);
      if (route.checksCsrf && authenticator instanceof SessionAuthentication) return csrfRefusal(request);
      return;
    }
  }
  // No authenticator accepted: anonymous, even if the session holds a user the route does not
  // accept sessions from — else a session cookie would count on a route that skips CSRF.
  request.user = new AnonymousUser();
  anonymousChallenges.set(request, routeChallenge(route, request));
  if (route.checksCsrf) return csrfRefusal(request);
}

async function csrfRefusal(request: HttpRequest): Promise<HttpResponse | void> {
  return (await enforceCsrf(request)) ?? undefined;
}
