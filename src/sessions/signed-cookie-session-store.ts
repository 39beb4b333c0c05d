import type { Settings } from '../core/settings';
import { ImproperlyConfigured } from '../http/errors';
import { dumps, loads } from '../signing';
import { SessionDataTooLarge, SuspiciousSession, type SessionData, type SessionStore } from './session-store';

/** Django's salt for this backend (django/contrib/sessions/backends/signed_cookies.py). */
const DJANGO_SALT = 'django.contrib.sessions.backends.signed_cookies';
/** RFC 6265 §6.1: browsers keep at least 4096 bytes per cookie, name and value together. */
const MAX_COOKIE_BYTES = 4096;

export interface SignedCookieSessionStoreOptions {
  /** HMAC key. Default: the app's `secretKey` setting. */
  secretKey?: string;
  /**
   * Older keys whose cookies still load (the next save signs with `secretKey`). Default: the
   * app's `secretKeyFallbacks` setting when `secretKey` is not given either, else none.
   */
  secretKeyFallbacks?: readonly string[];
  /** Default Django's, so a Django site with the same key reads these cookies. */
  salt?: string;
  /** Oldest signature accepted, in seconds. Default: the app's `sessionCookieAge`. */
  maxAge?: number;
}

/**
 * Stateless sessions: the whole session is the cookie (Django's `signed_cookies` backend):
 * JSON, zlib-compressed when that is shorter, signed with HMAC over `secretKey` and timestamped
 * (`signing.dumps(..., compress=True)`), never encrypted — the client can read it.
 *
 * How it fits the key/value contract: the signed payload IS the key. `save` returns the new
 * payload, which `Session` adopts and the middleware sends as the cookie; `load` verifies the
 * signature and age and returns the data (a bad or old signature throws `SuspiciousSession`,
 * which `Session` logs before starting empty); `exists` is always false and `delete` does
 * nothing, as there is nothing on the server to delete. Consequence (Django's too): a logout cannot revoke a cookie
 * someone copied before; it stays valid until `maxAge`.
 * Rotating the key: put the old one in `secretKeyFallbacks`; sessions signed with it still load,
 * and are re-signed with the new key when next saved.
 * @example container.register(SessionStore, { useValue: new SignedCookieSessionStore() });
 */
export class SignedCookieSessionStore implements SessionStore {
  private secretKey: string | null;
  /** null: not given; the app's, when the key is the app's too. */
  private secretKeyFallbacks: readonly string[] | null;
  private readonly salt: string;
  private maxAge: number;
  private readonly explicitMaxAge: boolean;
  private cookieName: string;

  constructor(options: SignedCookieSessionStoreOptions = {}) {
    this.secretKey = options.secretKey ?? null;
    this.secretKeyFallbacks = options.secretKeyFallbacks ?? null;
    this.salt = options.salt ?? DJANGO_SALT;
    this.maxAge = options.maxAge ?? 60 * 60 * 24 * 14;
    this.explicitMaxAge = options.maxAge !== undefined;
    this.cookieName = 'sessionid';
  }

  useSettings(settings: Readonly<Settings>): void {
    if (this.secretKey === null) {
      this.secretKey = settings.secretKey || null;
      this.secretKeyFallbacks ??= settings.secretKeyFallbacks;
    }
    if (!this.explicitMaxAge) this.maxAge = settings.sessionCookieAge;
    this.cookieName = settings.sessionCookieName;
  }

  async load(key: string): Promise<SessionData | null> {
    let data: unknown;
    try {
      data = loads(key, { key: this.key(), fallbackKeys: this.secretKeyFallbacks ?? [], salt: this.salt, maxAge: this.maxAge });
    } catch (error) {
      if (error instanceof ImproperlyConfigured) throw error;
      // Django: "BadSignature, ValueError, or unpickling exceptions. If any of these happen,
      // reset the session." `Session.load` does the reset, and logs this with the request's ID.
      throw new SuspiciousSession(`SignedCookieSessionStore: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) return data as SessionData;
    throw new SuspiciousSession('SignedCookieSessionStore: session data is not an object');
  }

  /** Signs `data`; the result is the new key (the cookie value). */
  async save(_key: string, data: SessionData, _ttlSeconds: number): Promise<string> {
    const value = dumps(data, { key: this.key(), salt: this.salt, compress: true });
    // The cookie is sent URL-encoded by the response, but signing's base64url alphabet and `:`
    // need no escaping, so name=value is what the browser stores.
    const size = Buffer.byteLength(this.cookieName) + 1 + Buffer.byteLength(value);
    if (size > MAX_COOKIE_BYTES) throw new SessionDataTooLarge(size);
    return value;
  }

  async delete(_key: string): Promise<void> {
    // Nothing is stored on the server; the middleware deletes the cookie.
  }

  async exists(_key: string): Promise<boolean> {
    return false;
  }

  private key(): string {
    if (!this.secretKey) {
      throw new ImproperlyConfigured('SignedCookieSessionStore needs a secretKey: pass one, or set the secretKey setting.');
    }
    return this.secretKey;
  }
}
