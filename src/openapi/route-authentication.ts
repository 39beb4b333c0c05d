/**
 * A route's `@Authentication(...)` (Django REST framework's `authentication_classes`) in the
 * document: each authenticator is one alternative in `security` — `TokenAuthentication` as the
 * `Authorization: Token <key>` header (drf-spectacular writes DRF's the same way), its
 * `BearerAuthentication` subclass as HTTP bearer, `SessionAuthentication` as the session cookie
 * with, on unsafe methods, the CSRF pair — and its challenge decides the 401 (DRF's
 * `permission_denied`: 401 with `WWW-Authenticate` when an authenticator has a challenge, else 403).
 */
import type { DependencyContainer } from 'tsyringe';
import { getAuthentication } from '../../decorators/authentication';
import type { RequestAuthenticator } from '../auth/authentication-backend';
import type { AuthenticatorSpec } from '../auth/route-authentication';
import { SessionAuthentication } from '../auth/session-authentication';
import { TokenAuthentication } from '../auth/token-authentication';
import type { SecurityRequirementObject, SecuritySchemeObject } from './openapi-types';

/** What one route's authentication says in the document. */
export interface RouteAuthenticationDoc {
  /** The alternatives its authenticators give, in their order (before the anonymous one). */
  readonly requirements: readonly SecurityRequirementObject[];
  /** Whether a missing or bad credential is a 401 (an authenticator has a challenge). */
  readonly challenges: boolean;
  /** Whether SessionAuthentication is listed: its requests need the CSRF token on unsafe methods. */
  readonly sessions: boolean;
}

/** The schemes authenticators add, collected for `components.securitySchemes`. */
export class AuthenticationSchemes {
  readonly schemes: Record<string, SecuritySchemeObject> = {};

  constructor(
    private readonly container: DependencyContainer,
    /** The session scheme name, and the CSRF pair's, shared with the middleware's (security-schemes.ts). */
    private readonly session: () => string,
    private readonly csrf: () => readonly string[],
  ) {}

  /** The route's authentication, or null when it has no `@Authentication`. */
  forRoute(controller: Function, methodName: string, unsafe: boolean, csrfExempt: boolean): RouteAuthenticationDoc | null {
    const specs = getAuthentication(controller, methodName);
    if (specs === null) return null;
    const requirements: SecurityRequirementObject[] = [];
    let challenges = false;
    let sessions = false;
    for (const spec of specs) {
      if (isClassOf(spec, SessionAuthentication)) {
        sessions = true;
        const requirement: SecurityRequirementObject = { [this.session()]: [] };
        if (unsafe && !csrfExempt) for (const scheme of this.csrf()) requirement[scheme] = [];
        requirements.push(requirement);
        continue;
      }
      const authenticator = this.instance(spec);
      if (authenticator instanceof TokenAuthentication) {
        challenges = true;
        requirements.push({ [this.tokenScheme(authenticator.keyword)]: [] });
      } else if (challengeOf(authenticator) !== null) {
        challenges = true;
      }
    }
    return { requirements, challenges, sessions };
  }

  /** The CSRF pair's scheme names (added to the document when first asked for). */
  csrfSchemeNames(): readonly string[] {
    return this.csrf();
  }

  private instance(spec: AuthenticatorSpec): RequestAuthenticator | null {
    if (typeof spec !== 'function') return spec;
    try {
      // The app resolved it from this container when it started, so it resolves again here.
      return this.container.resolve(spec);
    } catch {
      return null;
    }
  }

  private tokenScheme(keyword: string): string {
    if (keyword.toLowerCase() === 'bearer') {
      this.schemes.bearerAuth = { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <token>' };
      return 'bearerAuth';
    }
    const name = `${keyword.charAt(0).toLowerCase()}${keyword.slice(1)}Auth`;
    this.schemes[name] = { type: 'apiKey', in: 'header', name: 'Authorization', description: `Token-based authentication with the required prefix "${keyword}": Authorization: ${keyword} <token>` };
    return name;
  }
}

function isClassOf(spec: AuthenticatorSpec, kind: Function): boolean {
  return typeof spec === 'function' ? spec === kind || spec.prototype instanceof kind : spec instanceof kind;
}

/** An authenticator's challenge; one whose `authenticateHeader` needs the request counts as having one. */
function challengeOf(authenticator: RequestAuthenticator | null): string | null {
  if (authenticator === null || typeof authenticator.authenticateHeader !== 'function') return null;
  try {
    return authenticator.authenticateHeader(undefined as never);
  } catch {
    return 'unknown';
  }
}
