import type { HttpRequest } from '../http/http-request';
import { sessionStoreChannel, type SessionStoreOperation, type SessionStoreTrace } from './channels';
import { traced } from './trace';

/**
 * Runs one of a request's session store operations (`SessionMiddleware`'s `session.load(key)`
 * and `session.save()`, `RequestSession`'s record creation and deletes for `cycleKey` and
 * `flush`) inside `reinhardt:session-store`'s events. The caller checks
 * `sessionStoreChannel.hasSubscribers` first and calls the store itself otherwise.
 */
export function traceSessionStore(request: HttpRequest, operation: SessionStoreOperation, store: object, run: () => Promise<void>): Promise<void> {
  const trace: SessionStoreTrace = { request, operation, store: store.constructor.name };
  return traced(sessionStoreChannel, trace, callRun, run) as Promise<void>;
}

function callRun(run: () => Promise<void>): Promise<void> {
  return run();
}
