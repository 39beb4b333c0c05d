import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { AuthenticationBackend } from './authentication-backend';
import type { UserProvider } from './user-provider';

/** The container-resolved services `login()` and `authenticate()` need, for one app. */
export interface AuthServices {
  readonly users: UserProvider | null;
  readonly backends: readonly AuthenticationBackend[];
}

/**
 * One entry per app, keyed by its settings object (one frozen object per app, reachable from
 * every request as `request.settings`). `AuthenticationMiddleware`, resolved from the app's
 * container, registers here; the free functions `login(request, user)` and
 * `authenticate(request, credentials)` find them without a container in hand, as Django's find
 * `settings.AUTHENTICATION_BACKENDS`.
 */
const registry = new WeakMap<object, AuthServices>();

/** The services registered last: what `authenticate(null, ...)` asks, as the global `reverse()` uses the last app. */
let latest: AuthServices | undefined;

export function registerAuthServices(settings: Readonly<Settings>, services: AuthServices): void {
  registry.set(settings, services);
}

/** Called when an app's AuthenticationMiddleware is built (at `createApp`). */
export function announceAuthServices(services: AuthServices): void {
  latest = services;
}

/** The services of the app whose AuthenticationMiddleware was built last, if any. */
export function latestAuthServices(): AuthServices | undefined {
  return latest;
}

export function authServicesFor(request: HttpRequest): AuthServices | undefined {
  return registry.get(request.settings);
}
