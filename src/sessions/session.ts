import type { Settings } from '../core/settings';
import { KeyError, ReinhardtError, ServiceUnavailable, SuspiciousOperation } from '../http/errors';
import { getRandomString } from '../auth/random-string';
import { appLoggerFor } from '../logging/app-loggers';
import type { Logger } from '../logging/logger';
import { CreateError, SessionDataTooLarge, UpdateError, type SessionData, type SessionStore } from './session-store';

/** Django's `VALID_KEY_CHARS`: session keys are 32 of these (django/contrib/sessions/backends/base.py). */
const VALID_KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Where a custom expiry lives inside the data, as in Django: seconds, or an ISO date. */
const EXPIRY_KEY = '_session_expiry';
const MAX_CREATE_ATTEMPTS = 10;

/**
 * Runs one store call with the `sessionStoreTimeout` budget. A store that is slow or unreachable
 * becomes `ServiceUnavailable` (503) instead of a hung request; the store's own contract errors
 * (`CreateError`, `UpdateError`, `SessionDataTooLarge`, and `SuspiciousSession` as every
 * ReinhardtError) pass through.
 */
export function withStoreTimeout<T>(operation: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ServiceUnavailable(`Session store unavailable: no answer within ${ms} ms`)), ms);
    operation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        const passThrough = error instanceof CreateError || error instanceof UpdateError
          || error instanceof SessionDataTooLarge || error instanceof ReinhardtError;
        reject(passThrough ? error : new ServiceUnavailable(`Session store unavailable: ${error instanceof Error ? error.message : String(error)}`));
      },
    );
  });
}

/**
 * `request.session` (Django's SessionBase): a dict-like object saved by `SessionMiddleware` when
 * `modified`. Reading marks it `accessed` (the response then varies on Cookie). The key is
 * read-only: it is either one the store knows, or null until the first save draws a fresh one —
 * a key a client invents is never adopted (no session fixation).
 *
 * `SessionMiddleware` makes a `RequestSession` (request-session.ts), which logs through the
 * request's logger and traces its store calls; a `Session` made by hand (`forceLogin`, a test)
 * has no request and logs through the app's logger.
 * @example
 * request.session.set('cart', [1, 2]);
 * const cart = request.session.get<number[]>('cart', []);
 * await request.session.cycleKey();
 */
export class Session {
  /** Data changed since it was loaded, so the middleware will save it. */
  modified: boolean;
  /** Data was read or written during this request (the response varies on Cookie). */
  accessed: boolean;
  private key: string | null;
  private cache: SessionData | null;

  constructor(
    protected readonly store: SessionStore,
    private readonly settings: Readonly<Settings>,
  ) {
    this.modified = false;
    this.accessed = false;
    this.key = null;
    this.cache = null;
  }

  /**
   * Whether `key` is worth a store lookup (Django's `_validate_session_key`): anything shorter
   * than 8 characters is not, and loading it leaves the session new.
   */
  static isValidKey(key: string): boolean {
    return key.length >= 8;
  }

  /** The key the store knows this session by, or null for a session not saved yet. */
  get sessionKey(): string | null {
    return this.key;
  }

  private get data(): SessionData {
    this.accessed = true;
    return (this.cache ??= {});
  }

  get<T = unknown>(key: string, defaultValue?: T): T | undefined {
    const data = this.data;
    return Object.hasOwn(data, key) ? (data[key] as T) : defaultValue;
  }

  set(key: string, value: unknown): void {
    this.data[key] = value;
    this.modified = true;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.data, key);
  }

  /** Removes `key`; returns whether it was there (only then is the session modified). */
  delete(key: string): boolean {
    const data = this.data;
    if (!Object.hasOwn(data, key)) return false;
    delete data[key];
    this.modified = true;
    return true;
  }

  /** Removes and returns `key`'s value; a missing key returns `defaultValue`, or throws KeyError without one. */
  pop<T = unknown>(key: string, ...defaultValue: [T?]): T {
    const data = this.data;
    if (!Object.hasOwn(data, key)) {
      if (defaultValue.length === 0) throw new KeyError(key);
      return defaultValue[0] as T;
    }
    const value = data[key] as T;
    delete data[key];
    this.modified = true;
    return value;
  }

  /** The value held for `key`, setting it to `value` first when absent. */
  setDefault<T = unknown>(key: string, value: T): T {
    const data = this.data;
    if (Object.hasOwn(data, key)) return data[key] as T;
    data[key] = value;
    this.modified = true;
    return value;
  }

  update(values: SessionData): void {
    Object.assign(this.data, values);
    this.modified = true;
  }

  keys(): string[] {
    return Object.keys(this.data);
  }

  values(): unknown[] {
    return Object.values(this.data);
  }

  items(): [string, unknown][] {
    return Object.entries(this.data);
  }

  /** Empties the data but keeps the key (Django's `clear`); see `flush` to end the session. */
  clear(): void {
    this.cache = {};
    this.accessed = true;
    this.modified = true;
  }

  /** No key and no data: nothing to save, and a session cookie the client had is deleted. */
  isEmpty(): boolean {
    return this.key === null && (this.cache === null || Object.keys(this.cache).length === 0);
  }

  /**
   * Sets when the session expires: seconds from the last change, a `Date`, `0` for "when the
   * browser closes", or `null` for the `sessionCookieAge` default (Django's `set_expiry`).
   */
  setExpiry(value: number | Date | null): void {
    if (value === null) {
      this.delete(EXPIRY_KEY);
      return;
    }
    this.set(EXPIRY_KEY, value instanceof Date ? value.toISOString() : value);
  }

  /** Seconds until the session expires (Django's `get_expiry_age`). */
  getExpiryAge(): number {
    const expiry = this.get<number | string>(EXPIRY_KEY);
    if (!expiry) return this.settings.sessionCookieAge; // none, or 0 (browser close)
    if (typeof expiry === 'number') return expiry;
    return Math.floor((Date.parse(expiry) - Date.now()) / 1000);
  }

  /** The moment the session expires (Django's `get_expiry_date`). */
  getExpiryDate(): Date {
    const expiry = this.get<number | string>(EXPIRY_KEY);
    if (typeof expiry === 'string') return new Date(expiry);
    return new Date(Date.now() + (expiry || this.settings.sessionCookieAge) * 1000);
  }

  /** Whether the cookie should last only until the browser closes (Django's `get_expire_at_browser_close`). */
  getExpireAtBrowserClose(): boolean {
    const expiry = this.get(EXPIRY_KEY);
    if (expiry === undefined || expiry === null) return this.settings.sessionExpireAtBrowserClose;
    return expiry === 0;
  }

  /**
   * Loads `key` from the store. An unknown, expired or unreadable key leaves the session new
   * and keyless (Django's backends set `_session_key = None`), so the key is never adopted. A
   * record the store cannot read (`SuspiciousSession`, or any SuspiciousOperation) is logged on
   * `reinhardt.security.<its class>` at warn with its message, as Django's
   * `_get_session_from_db` does (django/contrib/sessions/backends/db.py), never an error.
   */
  async load(key: string): Promise<void> {
    let data: SessionData | null = null;
    if (Session.isValidKey(key)) {
      try {
        data = await this.call(this.store.load(key));
      } catch (error) {
        if (!(error instanceof SuspiciousOperation)) throw error;
        // The message may carry client data (a tampered cookie): the logger escapes every line.
        this.logger().warn({ name: `reinhardt.security.${error.name}` }, error.message);
      }
    }
    this.key = data === null ? null : key;
    this.cache = data;
  }

  /**
   * Saves the data: creates a record under a fresh key, or updates the existing one (Django's
   * `save(must_create=False)`). Throws `UpdateError` when the record is gone — another request
   * deleted it (a concurrent logout), and writing it again would log the user back in;
   * `SessionMiddleware` answers that with 400 (`SessionInterrupted`).
   */
  async save(): Promise<void> {
    if (this.key === null) {
      await this.create();
      return;
    }
    this.adopt(await this.call(this.store.save(this.key, this.cache ?? {}, this.getExpiryAge(), 'update')), this.key);
  }

  /**
   * Moves the data to a new key and deletes the old record (Django's `cycle_key`): called on
   * login so a key known before authentication is worthless after it.
   */
  async cycleKey(): Promise<void> {
    const oldKey = this.key;
    const data = this.cache;
    await this.createRecord();
    this.cache = data;
    if (oldKey !== null) await this.deleteRecord(oldKey);
  }

  /** Deletes the record and empties the session (Django's `flush`, used by logout). */
  async flush(): Promise<void> {
    this.clear();
    if (this.key !== null) await this.deleteRecord(this.key);
    this.key = null;
  }

  /** The logger a SuspiciousSession is reported to: the app's (a `RequestSession` uses the request's). */
  protected logger(): Logger {
    return appLoggerFor(this.settings);
  }

  /** `cycleKey`'s new record (a `RequestSession` traces it as a `save`). */
  protected createRecord(): Promise<void> {
    return this.create();
  }

  /** `cycleKey`'s and `flush`'s delete (a `RequestSession` traces it). */
  protected deleteRecord(key: string): Promise<void> {
    return this.call(this.store.delete(key));
  }

  private async create(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const key = await this.newKey();
      try {
        this.adopt(await this.call(this.store.save(key, this.cache ?? {}, this.getExpiryAge(), 'create')), key);
        this.modified = true;
        return;
      } catch (error) {
        // Another request took the key between exists() and save(): draw again (Django's create()).
        if (!(error instanceof CreateError) || attempt >= MAX_CREATE_ATTEMPTS) throw error;
      }
    }
  }

  /** Django's `_get_new_session_key`: 32 random characters the store does not hold yet. */
  private async newKey(): Promise<string> {
    for (;;) {
      const key = getRandomString(32, VALID_KEY_CHARS);
      if (!(await this.call(this.store.exists(key)))) return key;
    }
  }

  /** A store whose key is its payload (signed cookies) returns the new key from `save`. */
  private adopt(returned: string | void, key: string): void {
    this.key = typeof returned === 'string' ? returned : key;
  }

  private call<T>(operation: Promise<T>): Promise<T> {
    return withStoreTimeout(operation, this.settings.sessionStoreTimeout);
  }
}
