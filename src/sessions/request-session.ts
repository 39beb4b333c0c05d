import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { Logger } from '../logging/logger';
import { sessionStoreChannel } from '../tracing/channels';
import { traceSessionStore } from '../tracing/session-store-trace';
import { Session } from './session';
import type { SessionStore } from './session-store';

/**
 * The `request.session` that `SessionMiddleware` makes: a `Session` that knows its request, so
 * what it does on the request's behalf says which request it was (issue 23):
 * - a `SuspiciousSession` found while loading is logged through `request.log`, with the
 *   request's `requestId`, as every other record the request writes;
 * - `cycleKey` (login) and `flush` (logout) publish their store calls on
 *   `reinhardt:session-store` (the new record as `save`, each delete as `delete`) with the
 *   request, when someone subscribes; the middleware traces its own `load` and `save`.
 *
 * A subclass rather than a request field on `Session`: http-request.ts names `Session` as the
 * type of `request.session`, so session.ts cannot name `HttpRequest` or the tracing channels
 * (whose contexts carry it) without an import cycle. Not exported: `request.session` is typed
 * `Session`, and a session made by hand (`forceLogin`, a test) has no request.
 * @example
 * const session = new RequestSession(store, request.settings, request);
 * await session.load(request.COOKIES[request.settings.sessionCookieName]);
 * request.session = session;
 */
export class RequestSession extends Session {
  constructor(
    store: SessionStore,
    settings: Readonly<Settings>,
    private readonly request: HttpRequest,
  ) {
    super(store, settings);
  }

  protected override logger(): Logger {
    return this.request.log;
  }

  protected override createRecord(): Promise<void> {
    // One property read when nobody listens (undici's diagnostics.js pattern).
    if (!sessionStoreChannel.hasSubscribers) return super.createRecord();
    return traceSessionStore(this.request, 'save', this.store, () => super.createRecord());
  }

  protected override deleteRecord(key: string): Promise<void> {
    if (!sessionStoreChannel.hasSubscribers) return super.deleteRecord(key);
    return traceSessionStore(this.request, 'delete', this.store, () => super.deleteRecord(key));
  }
}
