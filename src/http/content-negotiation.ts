/**
 * Which answer format a client wants for the framework's own responses (error views, guards,
 * the CSRF failure): JSON or HTML. Kept apart from the views that use it so that guards and
 * middleware can ask without importing the error views.
 */
import type { HttpRequest } from './http-request';

/**
 * JSON for requests that prefer it (Accept), HTML otherwise. Clients send the same few Accept
 * values, so the answer is remembered per value (bounded) instead of parsing it on every error.
 */
export function prefersJson(request: HttpRequest): boolean {
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

/** A JSON client: it prefers `application/json` to HTML, or it sent JSON. */
export function wantsJson(request: HttpRequest): boolean {
  if (prefersJson(request)) return true;
  const type = request.contentType;
  return type === 'application/json' || (typeof type === 'string' && type.endsWith('+json'));
}
