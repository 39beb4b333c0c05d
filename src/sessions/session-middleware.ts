import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { MiddlewareClass, NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { Session } from './session';
import { SessionStore } from './session-store';

/**
 * Adds `names` to the response's `Vary` header unless already there, case-insensitively
 * (Django's `django.utils.cache.patch_vary_headers`); `*` absorbs everything.
 */
export function patchVaryHeaders(response: HttpResponse, names: readonly string[]): void {
  const current = response.headers.get('Vary');
  const vary = current ? current.split(/\s*,\s*/).filter((v) => v !== '') : [];
  const present = new Set(vary.map((v) => v.toLowerCase()));
  for (const name of names) {
    if (!present.has(name.toLowerCase())) {
      vary.push(name);
      present.add(name.toLowerCase());
    }
  }
  response.headers.set('Vary', present.has('*') ? '*' : vary.join(', '));
}

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
 * @example createApp({ controllers, middleware: [SessionMiddleware, CsrfMiddleware, AuthenticationMiddleware] });
 */
@injectable()
export class SessionMiddleware implements MiddlewareClass {
  private boundSettings: Readonly<Settings> | null;

  constructor(@inject(SessionStore) private readonly store: SessionStore) {
    this.boundSettings = null;
  }

  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    const settings = request.settings;
    if (this.boundSettings !== settings) {
      this.store.useSettings?.(settings);
      this.boundSettings = settings;
    }
    const session = new Session(this.store, settings);
    const cookie = request.COOKIES[settings.sessionCookieName];
    if (cookie) await session.load(cookie);
    request.session = session;
    const response = await next(request);
    await this.processResponse(session, cookie !== undefined, settings, response);
    return response;
  }

  private async processResponse(session: Session, hadCookie: boolean, settings: Readonly<Settings>, response: HttpResponse): Promise<void> {
    const empty = session.isEmpty();
    if (hadCookie && empty) {
      response.deleteCookie(settings.sessionCookieName, {
        path: settings.sessionCookiePath,
        domain: settings.sessionCookieDomain,
        sameSite: settings.sessionCookieSameSite,
      });
      patchVaryHeaders(response, ['Cookie']);
      return;
    }
    if (session.accessed) patchVaryHeaders(response, ['Cookie']);
    if (!(session.modified || settings.sessionSaveEveryRequest) || empty) return;
    if (response.statusCode >= 500) return;
    const browserSession = session.getExpireAtBrowserClose();
    await session.save();
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
