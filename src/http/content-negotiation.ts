/**
 * Which answer format a client wants for the framework's own responses (error views, guards,
 * the CSRF failure): JSON or HTML. Kept apart from the views that use it so that guards and
 * middleware can ask without importing the error views.
 */
import { isUnderApiPrefix } from './api-prefixes';
import type { HttpRequest } from './http-request';

/**
 * JSON for requests that prefer it (Accept), HTML otherwise. Under an API controller
 * (`@Controller('/api', { api: true })`) always JSON, whatever Accept says: the route that matched
 * says so, and a path no route matched is looked up in the app's API prefixes. Clients send the
 * same few Accept values, so the answer is remembered per value (bounded) instead of parsing it
 * on every error.
 * @example if (prefersJson(request)) return new JsonResponse({ detail: 'Gone.' }, { status: 410 });
 */
export function prefersJson(request: HttpRequest): boolean {
  if (isApiRequest(request)) return true;
  const accept = request.req.headers.accept;
  if (accept === undefined || accept === '*/*') return false;
  let answer = preferences.get(accept);
  if (answer === undefined) {
    try {
      answer = request.getPreferredType(['text/html', 'application/json']) === 'application/json';
    } catch {
      answer = false;
    }
    if (preferences.size < PREFERENCES_MAX) preferences.set(accept, answer);
  }
  return answer;
}

const preferences = new Map<string, boolean>();
const PREFERENCES_MAX = 256;

/**
 * Whether the request is for an API controller (`api: true`): its matched route is one, or no
 * route matched and its path lies under an API controller's prefix. Asked on error paths only.
 * @example if (isApiRequest(request)) return new JsonResponse({ detail: 'Not found.' }, { status: 404 });
 */
export function isApiRequest(request: HttpRequest): boolean {
  const route = request.route;
  return route !== null ? route.api === true : isUnderApiPrefix(request);
}

/** A JSON client: it prefers `application/json` to HTML, or it sent JSON. */
export function wantsJson(request: HttpRequest): boolean {
  if (prefersJson(request)) return true;
  const type = request.contentType;
  return type === 'application/json' || (typeof type === 'string' && type.endsWith('+json'));
}
