/**
 * Django's debug-only error for a form that posts to a URL without its trailing slash
 * (django/middleware/common.py, `CommonMiddleware.get_full_path_with_slash`): a redirect to the
 * slash URL would lose the body (browsers follow a 301 with GET), so instead of a bare 404 the
 * developer is told what is wrong and how to fix it. Without `debug` the request stays a 404.
 */
import type { HttpRequest } from '../http/http-request';
import { escapeLeadingSlashes } from '../http/escape-leading-slashes';

/**
 * The methods that carry data a redirect would drop. Django lists POST, PUT and PATCH; DELETE is
 * here too, since Reinhardt never redirects it either and its 404 would be as puzzling.
 */
const BODY_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Python's RuntimeError, the type Django raises here; the technical 500 names it. */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}

/** Whether a request to a path that exists with a slash is one Django explains instead of redirecting. */
export function losesDataOnSlashRedirect(method: string): boolean {
  return BODY_METHODS.has(method);
}

/**
 * Django's message, with Reinhardt's names: the method, and the URL the form should point to.
 * @example
 * appendSlashError(request).message
 * // "You called this URL via POST, but the URL doesn't end in a slash and you have appendSlash set. ..."
 */
export function appendSlashError(request: HttpRequest): RuntimeError {
  const method = request.method;
  // The host as sent: the error page must not fail on a host that the security middleware
  // would refuse (it has already answered 400 for those when it is installed).
  let host: string;
  try {
    host = request.getHost();
  } catch {
    host = request.req.headers.host ?? '';
  }
  return new RuntimeError(
    `You called this URL via ${method}, but the URL doesn't end in a slash and you have appendSlash set. ` +
      `Reinhardt can't redirect to the slash URL while maintaining ${method} data. ` +
      `Change your form to point to ${host}${escapeLeadingSlashes(request.getFullPath(true))} (note the trailing slash), ` +
      'or set appendSlash: false in your settings.',
  );
}
