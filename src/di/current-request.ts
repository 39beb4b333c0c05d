import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpRequest } from '../http/http-request';

/**
 * `currentRequest()` support. AsyncLocalStorage is the only sound way to find "the request this
 * code runs for" after an `await`, but on Node 20 it makes every async resource in the process
 * pay for async hooks (about a quarter of the throughput of a small JSON endpoint, measured with
 * bench/). So it is switched on only when needed: from the start with the `requestContext`
 * setting, else at the first call of `currentRequest()`. Until then the app only keeps the set of
 * requests in flight, which answers that first call whenever it is unambiguous.
 */
let storage: AsyncLocalStorage<HttpRequest> | null = null;
/** Requests in flight, and the one request when there is exactly one and it is known. */
let inFlight = 0;
let soleRequest: HttpRequest | null = null;

/** Turns request tracking on for every request dispatched from now on. */
export function enableRequestContext(): void {
  storage ??= new AsyncLocalStorage<HttpRequest>();
}

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
  const tracked = storage?.getStore();
  if (tracked !== undefined) return tracked;
  enableRequestContext();
  // A request that began before tracking was on: unambiguous while it is the only one in flight.
  if (soleRequest !== null) return soleRequest;
  if (inFlight === 0) {
    throw new Error('currentRequest() was called outside of a request handled by a Reinhardt app.');
  }
  throw new Error(
    'currentRequest() was first called while several requests were in flight, so it cannot tell which one this is. ' +
      'It works for every request from now on; set the requestContext setting to true to track requests from the start.',
  );
}

/** Whether requests are tracked with AsyncLocalStorage (see {@link enableRequestContext}). */
export function requestContextEnabled(): boolean {
  return storage !== null;
}

/** Runs `fn(request)` with `request` as the current request. Used by the application only. */
export function runWithRequest<R>(request: HttpRequest, fn: (request: HttpRequest) => R): R {
  return storage === null ? fn(request) : storage.run(request, fn, request);
}

/**
 * Counts `request` as in flight (the application calls it around each request). A counter and
 * one slot, not a set: this runs for every request, and only the first currentRequest() call
 * ever reads it.
 */
export function requestStarted(request: HttpRequest): void {
  soleRequest = ++inFlight === 1 ? request : null;
}

export function requestFinished(request: HttpRequest): void {
  if (--inFlight === 0 || soleRequest === request) soleRequest = null;
}
