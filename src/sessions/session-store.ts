import type { Settings } from '../core/settings';
import { SuspiciousOperation } from '../http/errors';

/** What a session holds: JSON-serialisable values by key (Django's JSONSerializer). */
export type SessionData = Record<string, unknown>;

/**
 * How `save` treats an existing record (Django's `save(must_create=...)` and its `UpdateError`):
 * - `'create'`: the key must be new (a fresh key after `cycleKey` or for a new session);
 *   throw `CreateError` if it is taken.
 * - `'update'`: the record must still exist; throw `UpdateError` if it is gone — a logout in a
 *   concurrent request deleted it, and saving must not bring the session back.
 * - `'upsert'` (default): write either way.
 */
export type SaveMode = 'create' | 'update' | 'upsert';

/** `save(key, ..., 'create')` found the key taken; `Session` draws another key (Django's CreateError). */
export class CreateError extends Error {
  constructor(key: string) {
    super(`Session key ${key.slice(0, 4)}... already exists.`);
    this.name = 'CreateError';
  }
}

/** `save(key, ..., 'update')` found no record: it was deleted meanwhile (Django's UpdateError). */
export class UpdateError extends Error {
  constructor() {
    super('The session record no longer exists.');
    this.name = 'UpdateError';
  }
}

/** The signed-cookie store refuses data whose cookie would pass the browsers' 4096-byte limit. */
export class SessionDataTooLarge extends Error {
  constructor(readonly size: number) {
    super(`Session data too large for a cookie (${size} bytes > 4096)`);
    this.name = 'SessionDataTooLarge';
  }
}

/**
 * A store found a record it cannot read: corrupted, tampered with, signed with an unknown key
 * (Django's `django.contrib.sessions.exceptions.SuspiciousSession`). `load` throws it; `Session`
 * catches it, logs its message on `reinhardt.security.SuspiciousSession` through the request's
 * logger (so the record carries the request ID) and starts a new session, as Django's backends
 * do (`django/contrib/sessions/backends/db.py`, `_get_session_from_db`).
 * @example
 * async load(key: string) {
 *   const text = await this.db.get(key);
 *   if (text !== null && !this.verify(text)) throw new SuspiciousSession('MyStore: Session data corrupted');
 *   return text === null ? null : JSON.parse(text);
 * }
 */
export class SuspiciousSession extends SuspiciousOperation {}

/**
 * The session store contract, and the DI token to register an implementation under (SPEC §9).
 *
 * TypeScript cannot use an abstract class as a tsyringe token (`container.register` wants
 * `new (...args) => T`), so the token is an empty class merged with this interface: implement the
 * interface, extending the class or not.
 * @example
 * container.register(SessionStore, { useValue: new RedisSessionStore({ url: process.env.REDIS_URL }) });
 * container.register(SessionStore, { useClass: MemorySessionStore }, { lifecycle: Lifecycle.Singleton });
 */
export interface SessionStore {
  /**
   * The data saved under `key`, or null when there is none or it expired. A record that cannot
   * be read (corrupted, tampered with) throws `SuspiciousSession`: `Session.load` logs it with the
   * request's ID and starts a new session, so the client never sees an error.
   */
  load(key: string): Promise<SessionData | null>;
  /**
   * Stores `data` under `key` for `ttlSeconds` (0 or less: delete it). A store whose key is
   * derived from the data (the signed-cookie store) returns the new key; others return nothing.
   */
  save(key: string, data: SessionData, ttlSeconds: number, mode?: SaveMode): Promise<string | void>;
  /** Removes the record; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Whether a record exists under `key` (used to draw unused keys). */
  exists(key: string): Promise<boolean>;
  /**
   * Optional: receives the app's settings before first use (the session middleware and
   * `forceLogin` call it), for stores that default to them (the signed-cookie store's secretKey).
   */
  useSettings?(settings: Readonly<Settings>): void;
}
export class SessionStore {}

/**
 * Reads stored JSON text back into session data. Anything that is not a JSON object is a
 * corrupted record: throws `SuspiciousSession` with Django's message ("Session data corrupted",
 * `SessionBase.decode`) after the store's name. For stores of your own that keep JSON text.
 * @example
 * async load(key: string) { const text = await this.db.get(key); return text === null ? null : decodeSessionData(text, 'MyStore'); }
 */
export function decodeSessionData(text: string, storeName: string): SessionData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = null;
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return data as SessionData;
  throw new SuspiciousSession(`${storeName}: Session data corrupted`);
}
