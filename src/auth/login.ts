import { timingSafeEqual } from 'node:crypto';
import { ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import { rotateToken } from '../middleware/csrf';
import type { Session } from '../sessions/session';
import { AnonymousUser, asRequestUser } from './anonymous-user';
import { authServicesFor } from './auth-services';
import type { UserProvider } from './user-provider';

/** Session keys, Django's names (django/contrib/auth/__init__.py), so the data reads the same. */
export const SESSION_KEY = '_auth_user_id';
export const HASH_SESSION_KEY = '_auth_user_hash';

/** A user that can invalidate its sessions, e.g. on password change (Django's `get_session_auth_hash`). */
interface HasSessionAuthHash {
  getSessionAuthHash(): string;
}

/** The optional session hash of a user: '' when the user class does not offer one. */
export function sessionAuthHash(user: object): string {
  const fn = (user as Partial<HasSessionAuthHash>).getSessionAuthHash;
  return typeof fn === 'function' ? String(fn.call(user)) : '';
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function sessionOf(request: HttpRequest, caller: string): Session {
  const session = request.session as Session | null | undefined;
  if (session == null) {
    throw new ImproperlyConfigured(`${caller}() needs request.session: add SessionMiddleware to the app's middleware.`);
  }
  return session;
}

/** The id stored in the session: the UserProvider's `getUserId`, else the user's own `id`/`pk`. */
function userIdOf(request: HttpRequest, user: object, users: UserProvider | null | undefined): string {
  if (users) return users.getUserId(user);
  const id = (user as { id?: unknown; pk?: unknown }).id ?? (user as { pk?: unknown }).pk;
  if (id === undefined || id === null) {
    throw new ImproperlyConfigured('login() cannot tell the user id: register a UserProvider, or give the user an `id`.');
  }
  return String(id);
}

/**
 * Logs `user` in for the rest of this session (Django's `login`). Against session fixation, a
 * session that belonged to nobody gets a new key (`cycleKey`: a key someone planted before the
 * login is worthless after it) and one that belonged to another user is flushed; the user's id
 * goes into the session, the CSRF token is rotated and `request.user` is set.
 * @example
 * const user = await authenticate(request, { username, password });
 * if (user === null) return new HttpResponseForbidden('Bad credentials');
 * await login(request, user);
 */
export async function login(request: HttpRequest, user: object, users?: UserProvider): Promise<void> {
  const session = sessionOf(request, 'login');
  const id = userIdOf(request, user, users ?? authServicesFor(request)?.users);
  const hash = sessionAuthHash(user);
  if (session.has(SESSION_KEY)) {
    const sameUser = session.get(SESSION_KEY) === id && (!hash || constantTimeEquals(String(session.get(HASH_SESSION_KEY, '')), hash));
    // "To avoid reusing another user's session, create a new, empty session if the existing
    // session corresponds to a different authenticated user."
    if (!sameUser) await session.flush();
  } else {
    await session.cycleKey();
  }
  session.set(SESSION_KEY, id);
  if (hash) session.set(HASH_SESSION_KEY, hash);
  request.user = asRequestUser(user);
  rotateToken(request);
}

/**
 * Logs the user out (Django's `logout`): the session's record is deleted from the store and its
 * data dropped, the cookie is deleted by the middleware, and `request.user` becomes anonymous.
 * @example await logout(request); return new HttpResponseRedirect('/');
 */
export async function logout(request: HttpRequest): Promise<void> {
  await sessionOf(request, 'logout').flush();
  request.user = new AnonymousUser();
}
