/**
 * What the debug 500 page may show of a request and of the settings: Django's
 * SafeExceptionReporterFilter (django/views/debug.py). A value whose name looks like a credential
 * is replaced by twenty stars, so a debug page that is screenshotted, pasted into an issue or left
 * on by mistake does not hand out the secret key, a password, a bearer token or a session.
 */
import type { HttpRequest } from '../http/http-request';
import type { Settings } from './settings';

/** Django's `cleansed_substitute`. */
export const CLEANSED_SUBSTITUTE = '********************' as const;

/**
 * Django's `hidden_settings`, matched anywhere in a name, case-insensitively: `secretKey`,
 * `HTTP_AUTHORIZATION`, `HTTP_X_API_KEY`, `password`, `csrftoken`, `HTTP_COOKIE`...
 */
const HIDDEN_SETTINGS = /API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE/i;

/** Whether a setting, header, META, cookie or field of this name is hidden. */
export function isSensitiveName(name: string): boolean {
  return HIDDEN_SETTINGS.test(name);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * One setting with its secrets masked (Django's `cleanse_setting`): the whole value when its name
 * is sensitive; else, inside an object, each entry by its own name, and inside an array or a Set
 * each item (so a list of objects with a `password` entry is masked there).
 */
export function cleanseSetting(key: string, value: unknown): unknown {
  if (isSensitiveName(key)) return CLEANSED_SUBSTITUTE;
  if (Array.isArray(value) || value instanceof Set) return Array.from(value, (item) => cleanseSetting('', item));
  if (isPlainObject(value)) {
    const cleansed: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) cleansed[name] = cleanseSetting(name, item);
    return cleansed;
  }
  return value;
}

/** Every setting, masked (Django's `get_safe_settings`), in the settings' own order. */
export function safeSettings(settings: Readonly<Settings>): [string, unknown][] {
  return Object.entries(settings).map(([name, value]) => [name, cleanseSetting(name, value)]);
}

/**
 * META with sensitive names masked (Django's `get_safe_request_meta`): `HTTP_COOKIE`,
 * `HTTP_AUTHORIZATION`, `HTTP_X_API_KEY`... Other values are shown as sent.
 */
export function safeRequestMeta(request: HttpRequest): [string, string][] {
  return Object.entries(request.META).map(([name, value]) => [name, isSensitiveName(name) ? CLEANSED_SUBSTITUTE : String(value)]);
}

/**
 * The cookies with sensitive names masked (Django's `get_safe_cookies`), and the session cookie
 * under whatever name `sessionCookieName` gives it: Django shows `sessionid` in clear, though it
 * is the session itself.
 */
export function safeCookies(request: HttpRequest): [string, string][] {
  const sessionCookie = request.settings.sessionCookieName;
  return Object.entries(request.COOKIES).map(([name, value]) => [
    name,
    name === sessionCookie || isSensitiveName(name) ? CLEANSED_SUBSTITUTE : value,
  ]);
}

/**
 * The POST fields with sensitive names masked, or null when the body was not read before the
 * error (or could not be parsed): the debug page never reads a body itself. Django masks only the
 * fields a view lists in `@sensitive_post_parameters`, and only with `DEBUG = False`; here the
 * names that look like credentials are always masked.
 */
export function safePostParameters(request: HttpRequest): [string, string[] | typeof CLEANSED_SUBSTITUTE][] | null {
  let post;
  try {
    post = request.POST;
  } catch {
    return null;
  }
  return post.lists().map(([name, values]) => [name, isSensitiveName(name) ? CLEANSED_SUBSTITUTE : values]);
}
