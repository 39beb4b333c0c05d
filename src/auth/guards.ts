import { wantsJson } from '../http/content-negotiation';
import { PermissionDenied } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { JsonResponse } from '../http/json-response';
import { QueryDict } from '../http/query-dict';
import { HttpResponseRedirect } from '../http/response-redirects';
import { urlSplit, urlUnsplit, type UrlSplitResult } from '../http/url-split';
import type { RouteGuard } from '../core/route-guards';
import type { RequestUser } from './request-user';
import { notAuthenticatedFor } from './route-authentication';

/**
 * A redirect to the login page carrying where to come back to (Django's `redirect_to_login`):
 * `/accounts/login/?next=/polls/3/%3Fpage%3D2` — `/` left as is, the rest of the path and query
 * percent-encoded; a query already on the login URL is kept.
 * @example return redirectToLogin(request.getFullPath(), '/login/');
 */
export function redirectToLogin(next: string, loginUrl: string, redirectFieldName: string | null = 'next'): HttpResponseRedirect {
  const parts = splitOrEmpty(loginUrl);
  if (!redirectFieldName) return new HttpResponseRedirect(urlUnsplit(parts));
  const qs = new QueryDict(parts.query, { mutable: true });
  qs.setItem(redirectFieldName, next);
  return new HttpResponseRedirect(urlUnsplit({ ...parts, query: qs.urlencode('/') }));
}

/**
 * `@LoginRequired()`'s check (Django's `login_required`): anonymous JSON clients get 401
 * `{"detail": "Authentication credentials were not provided."}`, others a 302 to `loginUrl`
 * with `?next=` — the path alone when the login page is on this site, else the absolute URL.
 */
export function loginRequiredGuard(request: HttpRequest): HttpResponse | void {
  if (request.user?.isAuthenticated) return;
  // On a route with @Authentication: 401 with its challenge, or 403 without one (DRF).
  const notAuthenticated = notAuthenticatedFor(request);
  if (notAuthenticated !== null) throw notAuthenticated;
  if (wantsJson(request)) {
    return new JsonResponse({ detail: 'Authentication credentials were not provided.' }, { status: 401 });
  }
  const settings = request.settings;
  const absolute = request.buildAbsoluteUri();
  const { scheme: loginScheme, netloc: loginNetloc } = splitOrEmpty(settings.loginUrl);
  const { scheme, netloc } = splitOrEmpty(absolute);
  const samePlace = (!loginScheme || loginScheme === scheme) && (!loginNetloc || loginNetloc === netloc);
  return redirectToLogin(samePlace ? request.getFullPath() : absolute, settings.loginUrl, settings.redirectFieldName);
}

/**
 * urlsplit's parts; a URL Python would refuse (`http://[`) is taken as a bare path, so the
 * redirect keeps it as written rather than failing the request (Django would raise ValueError).
 */
function splitOrEmpty(url: string): UrlSplitResult {
  return urlSplit(url) ?? { scheme: '', netloc: '', path: url, query: '', fragment: '' };
}

/** Django's `has_perm`: active superusers have every permission; else the user's own `hasPerm`. */
async function hasPerm(user: RequestUser, perm: string): Promise<boolean> {
  if (user.isActive !== false && user.isSuperuser === true) return true;
  return typeof user.hasPerm === 'function' ? (await user.hasPerm(perm)) === true : false;
}

/**
 * `@PermissionRequired(perms)`'s check (Django's `permission_required(..., raise_exception=True)`):
 * every permission must be held, else `PermissionDenied` — the 403 view.
 */
export function permissionRequiredGuard(perms: readonly string[]): RouteGuard {
  return async (request: HttpRequest): Promise<void> => {
    const user = request.user;
    if (user == null) throw new PermissionDenied();
    // DRF's permission_denied: an anonymous request to a route with @Authentication is a 401 (with a challenge).
    if (!user.isAuthenticated) {
      const notAuthenticated = notAuthenticatedFor(request);
      if (notAuthenticated !== null) throw notAuthenticated;
    }
    for (const perm of perms) {
      if (!(await hasPerm(user, perm))) throw new PermissionDenied();
    }
  };
}
