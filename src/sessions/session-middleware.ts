import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { buildExpiredCookie, type ResponseCookie } from '../http/response-cookies';
import { RequestSession } from './request-session';
import { Session } from './session';
import { SessionStore, UpdateError } from './session-store';
import { SessionInterrupted } from '../http/errors';
import { addVary } from '../http/cache-headers';
import { sessionStoreChannel } from '../tracing/channels';
import { traceSessionStore } from '../tracing/session-store-trace';

const VARY_COOKIE: readonly string[] = ['Cookie'];

/**
 * Makes `request.session` and saves it (Django's `SessionMiddleware`, SPEC §9).
 *
 * Before the handler: with a session cookie, the record is loaded from the `SessionStore` (so
 * `request.session.get()` is synchronous); without one, the session is a new empty object and
 * the store is not touched. A slow or unreachable store answers 503 (`ServiceUnavailable`).
 *
 * After the handler, as Django's `process_response`:
 * - the request had a session cookie and the session is now empty (flushed, or a key the store
 *   did not know): the cookie is deleted, with `Vary: Cookie`;
 * - else `Vary: Cookie` when the session was read, and when it was modified (or
 *   `sessionSaveEveryRequest`) it is saved and the cookie sent: `sessionid`, `Max-Age` of the
 *   expiry age (none for browser-session expiry), HttpOnly, SameSite=Lax, Secure by setting.
 *   Nothing is saved for a 5xx response: the handler failed half-way.
 * @example createApp({ controllers, middleware: [SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware] });
 */
@injectable()
export class SessionMiddleware implements MiddlewareClass, InlineMiddleware {
  private boundSettings: Readonly<Settings> | null;
  /** What `deleteCookie` would set for the session cookie under `boundSettings`, built once. */
  private expiredCookie: ResponseCookie | null;

  constructor(@inject(SessionStore) private readonly store: SessionStore) {
    this.boundSettings = null;
    this.expiredCookie = null;
  }

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  /** Synchronous unless the store is asked: a session cookie to look up, a session to save. */
  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    const settings = request.settings;
    if (this.boundSettings !== settings) {
      this.store.useSettings?.(settings);
      this.boundSettings = settings;
      const expired = buildExpiredCookie(settings.sessionCookieName, {
        path: settings.sessionCookiePath,
        domain: settings.sessionCookieDomain,
        sameSite: settings.sessionCookieSameSite,
      });
      // Shared by every response that deletes the cookie: frozen, so none can change the others'.
      Object.freeze(expired.options);
      this.expiredCookie = Object.freeze(expired);
    }
    const session = new RequestSession(this.store, settings, request);
    const cookie = request.COOKIES[settings.sessionCookieName];
    if (cookie !== undefined && Session.isValidKey(cookie)) return this.loadThenHandle(request, session, cookie, next);
    request.session = session;
    return this.handleWith(request, session, cookie !== undefined, next);
  }

  private async loadThenHandle(request: HttpRequest, session: Session, cookie: string, next: InlineNext): Promise<HttpResponse> {
    // reinhardt:session-store (src/tracing/channels.ts); the store called directly when nobody listens.
    if (sessionStoreChannel.hasSubscribers) await traceSessionStore(request, 'load', this.store, () => session.load(cookie));
    else await session.load(cookie);
    request.session = session;
    return this.handleWith(request, session, true, next);
  }

  private handleWith(request: HttpRequest, session: Session, hadCookie: boolean, next: InlineNext): MaybePromise<HttpResponse> {
    const response = next(request);
    if (response instanceof Promise) return this.processLater(request, session, hadCookie, request.settings, response);
    const saving = this.processResponse(request, session, hadCookie, request.settings, response);
    return saving === null ? response : saving.then(() => response);
  }

  private async processLater(request: HttpRequest, session: Session, hadCookie: boolean, settings: Readonly<Settings>, pending: Promise<HttpResponse>): Promise<HttpResponse> {
    const response = await pending;
    await this.processResponse(request, session, hadCookie, settings, response);
    return response;
  }

  /** Django's `process_response`; a promise only when the session is saved. */
  private processResponse(request: HttpRequest, session: Session, hadCookie: boolean, settings: Readonly<Settings>, response: HttpResponse): Promise<void> | null {
    const empty = session.isEmpty();
    if (hadCookie && empty) {
      // response.deleteCookie(name, { path, domain, sameSite }), with the cookie built once.
      response.cookies.set(settings.sessionCookieName, this.expiredCookie as ResponseCookie);
      addVary(response, VARY_COOKIE);
      return null;
    }
    if (session.accessed) addVary(response, VARY_COOKIE);
    if (!(session.modified || settings.sessionSaveEveryRequest) || empty) return null;
    if (response.statusCode >= 500) return null;
    return this.save(request, session, settings, response);
  }

  private async save(request: HttpRequest, session: Session, settings: Readonly<Settings>, response: HttpResponse): Promise<void> {
    const browserSession = session.getExpireAtBrowserClose();
    try {
      if (sessionStoreChannel.hasSubscribers) await traceSessionStore(request, 'save', this.store, () => session.save());
      else await session.save();
    } catch (error) {
      if (!(error instanceof UpdateError)) throw error;
      // Django's process_response: the record was deleted meanwhile (a concurrent logout), and
      // saving must not bring it back: SuspiciousOperation, a 400.
      throw new SessionInterrupted(
        "The request's session was deleted before the request completed. The user may have logged out in a concurrent request, for example.",
      );
    }
    response.setCookie(settings.sessionCookieName, session.sessionKey ?? '', {
      maxAge: browserSession ? null : session.getExpiryAge(),
      domain: settings.sessionCookieDomain,
      path: settings.sessionCookiePath,
      secure: settings.sessionCookieSecure,
      httpOnly: settings.sessionCookieHttpOnly,
      sameSite: settings.sessionCookieSameSite,
    });
  }
}
