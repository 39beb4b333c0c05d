import { AsyncLocalStorage } from 'node:async_hooks';
import type { HttpRequest } from '../http/http-request';

/**
 * `currentRequest()`: "the request this code runs for", found after any number of awaits.
 *
 * Only AsyncLocalStorage can answer that, and only for requests that started inside its `run()`:
 * switching it on later (as this module once did, at the first call) leaves the requests already
 * in flight unknown, so a service using it failed whenever its first call came while several
 * requests were in flight, right after each deploy (issue 25 item 9). So an app with the
 * `requestContext` setting tracks its requests from the first one, and an app without it makes
 * `currentRequest()` throw on every call, naming the setting: correct always or never, not
 * depending on the load. It is opt-in because of its cost on Node 20 (below): about 4 µs per
 * request with an async handler, measured with wrk (bench/README.md).
 *
 * The cost is Node's: on Node 20 an AsyncLocalStorage in use turns on the async hooks, which run
 * for every promise and async resource of the process. The application keeps its synchronous
 * fast path inside `run()` (a GET answered in the tick it arrived creates no promise), so what
 * tracking adds there is one `run()` per request (see bench/README.md). Node 22's
 * `--experimental-async-context-frame`, the default from Node 24, propagates the store with the
 * promise itself (V8's continuation-preserved embedder data) and needs no hooks.
 */
const storage = new AsyncLocalStorage<HttpRequest>();

/** Whether some app was created without `requestContext` (for the error's hint). */
let untrackedApp = false;

/**
 * The request being handled, for services that cannot take it as an argument. Throws outside a
 * request, where there is nothing sensible to return, and in an app without the
 * `requestContext` setting.
 * @example
 * \@injectable()
 * class AuditLog {
 *   record(action: string) { console.log(currentRequest().user.username, action); }
 * }
 */
export function currentRequest(): HttpRequest {
  const request = storage.getStore();
  if (request !== undefined) return request;
  throw new Error(
    untrackedApp
      ? 'currentRequest() was called outside of a request handled by a Reinhardt app, or in an app without the requestContext setting (createApp({ settings: { requestContext: true } })).'
      : 'currentRequest() was called outside of a request handled by a Reinhardt app.',
  );
}

/**
 * The storage an app runs its requests in, or null without its `requestContext` setting.
 * The application calls it once, when it is created.
 * @internal
 */
export function requestStorage(tracked: boolean): AsyncLocalStorage<HttpRequest> | null {
  if (tracked) return storage;
  untrackedApp = true;
  return null;
}
