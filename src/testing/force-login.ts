import type { DependencyContainer } from 'tsyringe';
import type { Settings } from '../core/settings';
import { ImproperlyConfigured } from '../http/errors';
import { HASH_SESSION_KEY, SESSION_KEY, sessionAuthHash } from '../auth/login';
import { isUserProvider, UserProvider } from '../auth/user-provider';
import { Session, withStoreTimeout } from '../sessions/session';
import { SessionStore } from '../sessions/session-store';

/** What these helpers need of an app: its settings and the container its stores live in. */
export interface AppForLogin {
  readonly settings: Readonly<Settings>;
  readonly container: DependencyContainer;
}

function storeOf(app: AppForLogin): SessionStore {
  const store = app.container.resolve(SessionStore);
  store.useSettings?.(app.settings);
  return store;
}

/**
 * Logs `user` in without credentials, for tests (Django's `Client.force_login`): saves a session
 * holding the user's id (from the registered `UserProvider`, else `user.id`) in the app's
 * `SessionStore` and returns the session cookie to put in the client's jar.
 * @example
 * const cookie = await forceLogin(app, alice);
 * await client.get('/profile/', undefined, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
 */
export async function forceLogin(app: AppForLogin, user: object): Promise<{ name: string; value: string }> {
  const settings = app.settings;
  const provider = app.container.isRegistered(UserProvider, true) ? app.container.resolve(UserProvider) : null;
  let id: string;
  if (isUserProvider(provider)) {
    id = provider.getUserId(user);
  } else {
    const own = (user as { id?: unknown }).id;
    if (own === undefined || own === null) {
      throw new ImproperlyConfigured('forceLogin() cannot tell the user id: register a UserProvider, or give the user an `id`.');
    }
    id = String(own);
  }
  const session = new Session(storeOf(app), settings);
  session.set(SESSION_KEY, id);
  const hash = sessionAuthHash(user);
  if (hash) session.set(HASH_SESSION_KEY, hash);
  await session.save();
  return { name: settings.sessionCookieName, value: session.sessionKey! };
}

/**
 * Ends the session behind a cookie value (the test Client's `logout()`): its record is deleted
 * from the app's store.
 */
export async function logoutSession(app: AppForLogin, cookieValue: string): Promise<void> {
  await withStoreTimeout(storeOf(app).delete(cookieValue), app.settings.sessionStoreTimeout);
}
