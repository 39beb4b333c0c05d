/**
 * What the technical 500 shows of the request (Django's "Request information": USER, GET, POST,
 * FILES, COOKIES, META, Settings), plus what Reinhardt knows beyond Django's page: the session's
 * data and the route that matched. Credentials are masked as Django's SafeExceptionReporterFilter
 * masks them (../core/safe-exception-reporter-filter.ts). Nothing here does I/O: the session is
 * shown only when the session middleware had loaded it, and the body only when it was read.
 */
import type { HttpRequest } from '../http/http-request';
import type { UploadedFile } from '../http/uploaded-file';
import { escapeHtml, safePath } from '../core/page-text';
import {
  CLEANSED_SUBSTITUTE,
  cleanseSetting,
  safeCookies,
  safePostParameters,
  safeRequestMeta,
  safeSettings,
} from '../core/safe-exception-reporter-filter';
import { requestSection, type Rows } from './page-parts';

/**
 * The request's URL as sent, for the summary (Django's `request_insecure_uri`): the host is not
 * validated here, since a refused host must not hide the page that explains the error.
 */
export function requestUrl(request: HttpRequest): string {
  try {
    return request.buildAbsoluteUri();
  } catch {
    const host = request.req.headers.host;
    return host === undefined ? safePath(request) : `${request.scheme}://${host}${safePath(request)}`;
  }
}

/** Who made the request (Django's `user_str`), or null when no authentication ran. */
export function userDescription(request: HttpRequest): string | null {
  const user = request.user as unknown;
  if (user === undefined || user === null || typeof user !== 'object') return null;
  try {
    const { isAnonymous, username, id } = user as { isAnonymous?: boolean; username?: unknown; id?: unknown };
    if (isAnonymous === true) return 'AnonymousUser';
    if (typeof username === 'string' && username !== '') return username;
    return id === undefined ? String(user) : `user ${String(id)}`;
  } catch {
    return null;
  }
}

/** The route that matched (Django's `ResolverMatch`), or null for a request no route took. */
export function resolverRows(request: HttpRequest): Rows {
  const match = request.resolverMatch;
  if (match === null) return [];
  return [
    ['route', match.route],
    ['name', match.routeName ?? '(unnamed)'],
    ['view', `${match.controllerName}#${match.methodName}`],
    ...Object.entries(match.params).map(([name, value]): [string, string] => [`params.${name}`, shown(cleanseSetting(name, value))]),
  ];
}

/**
 * The session's data, masked by key name, when the session middleware loaded one. Reading it
 * here must not count as the view's use (`accessed` adds `Vary: Cookie`), so the flag is kept.
 */
export function sessionRows(request: HttpRequest): Rows {
  const session = request.session;
  if (session === undefined || session === null) return [];
  const accessed = session.accessed;
  try {
    return session.items().map(([key, value]): [string, string] => [key, shown(cleanseSetting(key, value))]);
  } finally {
    session.accessed = accessed;
  }
}

/** Every section of "Request information", in Django's order with the session and route after COOKIES. */
export function requestInformation(request: HttpRequest): string {
  const user = userDescription(request);
  return (
    (user === null ? '' : `<h3 id="user-info">USER</h3>\n<p>${escapeHtml(user)}</p>\n`) +
    requestSection('get-info', 'GET', 'No GET data', () => request.GET.lists().map(([k, v]) => [k, JSON.stringify(v)])) +
    requestSection('post-info', 'POST', 'No POST data', () => (safePostParameters(request) ?? []).map(([k, v]) => [k, shown(v)])) +
    requestSection('files-info', 'FILES', 'No FILES data', () =>
      (request.hasUploadedFiles ? request.FILES.lists() : []).map(([k, files]) => [k, files.map(describeFile).join(', ')]),
    ) +
    requestSection('cookie-info', 'COOKIES', 'No cookie data', () => safeCookies(request)) +
    requestSection('session-info', 'SESSION', 'No session data', () => sessionRows(request)) +
    requestSection('resolver-info', 'Resolver match', 'No route matched', () => resolverRows(request)) +
    requestSection('meta-info', 'META', 'No META data', () => safeRequestMeta(request).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) +
    requestSection('settings-info', 'Settings', 'No settings', () => safeSettings(request.settings).map(([k, v]) => [k, shown(v)]))
  );
}

function describeFile(file: UploadedFile): string {
  return `${file.name} (${file.contentType}, ${file.size} bytes)`;
}

/** A value as the page shows it: the mask as it is, anything else as JSON (Django's `pprint`). */
export function shown(value: unknown): string {
  if (value === CLEANSED_SUBSTITUTE) return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle or a BigInt: the value's own text.
    return String(value);
  }
}
