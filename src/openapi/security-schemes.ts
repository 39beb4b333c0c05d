/**
 * Security schemes from the app's own middleware and settings: the session cookie when
 * SessionMiddleware runs, and Django's CSRF pair (the `csrftoken` cookie and the `X-CSRFToken`
 * header that must echo it) when CsrfMiddleware runs. OpenAPI has no scheme for "a header equal
 * to a cookie", so the pair is two apiKey schemes required together.
 */
import type { Middleware } from '../core/middleware';
import type { Settings } from '../core/settings';
import { CsrfMiddleware } from '../middleware/csrf';
import { SessionMiddleware } from '../sessions/session-middleware';
import type { SecuritySchemeObject } from './openapi-types';

/** The schemes, and which of them an operation names. */
export interface AppSecuritySchemes {
  readonly schemes: Record<string, SecuritySchemeObject>;
  readonly session: string | null;
  readonly csrf: readonly string[] | null;
}

/** Whether `middleware` (a class, an instance of one, or a function) is `kind`. */
function runs(middleware: readonly Middleware[], kind: Function): boolean {
  return middleware.some((m) => m === kind || (typeof m === 'object' && m !== null && m instanceof kind));
}

/**
 * The request header a META key names: `HTTP_X_CSRFTOKEN` is sent as `X-CSRFToken` (Django's
 * default spelling; header names are case-insensitive, RFC 9110 section 5.1).
 */
export function headerNameOf(metaKey: string): string {
  if (metaKey === 'HTTP_X_CSRFTOKEN') return 'X-CSRFToken';
  return metaKey
    .replace(/^HTTP_/, '')
    .split('_')
    .map((word) => word.charAt(0) + word.slice(1).toLowerCase())
    .join('-');
}

/** Adds the session cookie scheme to `schemes`; returns its name. */
export function addSessionScheme(schemes: Record<string, SecuritySchemeObject>, settings: Readonly<Settings>): string {
  schemes.sessionCookie = { type: 'apiKey', in: 'cookie', name: settings.sessionCookieName, description: 'The session cookie set at login.' };
  return 'sessionCookie';
}

/** Adds the CSRF cookie and header schemes to `schemes`; returns their names. */
export function addCsrfSchemes(schemes: Record<string, SecuritySchemeObject>, settings: Readonly<Settings>): readonly string[] {
  schemes.csrfCookie = { type: 'apiKey', in: 'cookie', name: settings.csrfCookieName, description: 'The CSRF cookie; the header must carry its token.' };
  schemes.csrfHeader = {
    type: 'apiKey',
    in: 'header',
    name: headerNameOf(settings.csrfHeaderName),
    description: 'The CSRF token of the cookie, required on POST, PUT, PATCH and DELETE.',
  };
  return CSRF_SCHEMES;
}

const CSRF_SCHEMES: readonly string[] = Object.freeze(['csrfCookie', 'csrfHeader']);

export function securitySchemes(settings: Readonly<Settings>, middleware: readonly Middleware[]): AppSecuritySchemes {
  const schemes: Record<string, SecuritySchemeObject> = {};
  const session = runs(middleware, SessionMiddleware) ? addSessionScheme(schemes, settings) : null;
  const csrf = runs(middleware, CsrfMiddleware) ? addCsrfSchemes(schemes, settings) : null;
  return { schemes, session, csrf };
}
