import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpRequest } from '../http/http-request';

/** Holds the request being handled for code deep in a call chain (Django has no equivalent; Flask's `request`). */
const storage = new AsyncLocalStorage<HttpRequest>();

/**
 * The request being handled, for services that cannot take it as an argument.
 * Throws outside a request, where there is nothing sensible to return.
 * @example
 * \@injectable()
 * class AuditLog {
 *   record(action: string) { console.log(currentRequest().user.username, action); }
 * }
 */
export function currentRequest(): HttpRequest {
  const request = storage.getStore();
  if (request === undefined) {
    throw new Error('currentRequest() was called outside of a request handled by a Reinhardt app.');
  }
  return request;
}

/** Runs `fn(request)` with `request` as the current request. Used by the application only. */
export function runWithRequest<R>(request: HttpRequest, fn: (request: HttpRequest) => R): R {
  return storage.run(request, fn, request);
}
