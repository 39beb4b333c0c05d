import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { CreateError, SessionStore, UpdateError, decodeSessionData, type SaveMode, type SessionData } from 'reinhardt';
import type { Statement } from 'better-sqlite3';
import { AppDatabase, isConstraintError } from '../db';

/**
 * Sessions in the `django_session` table (Django's default `db` session engine), so a restart
 * under `npm run dev` keeps everyone logged in. Expired rows are never returned and are swept
 * when a session is saved.
 *
 * `save` honours the store contract's modes as Django's `db` backend does with
 * `force_insert`/`force_update`: `'create'` never overwrites a live record (CreateError), and
 * `'update'` never writes a record that is gone (UpdateError), so a request that saves its session
 * after a concurrent logout deleted it cannot log the user back in.
 */
@injectable()
export class SqliteSessionStore implements SessionStore {
  private readonly selectLive: Statement<[string, number]>;
  private readonly sweepExpired: Statement<[number]>;
  private readonly insert: Statement<[string, string, number]>;
  private readonly update: Statement<[string, number, string]>;
  private readonly upsert: Statement<[string, string, number]>;
  private readonly remove: Statement<[string]>;

  constructor(db: AppDatabase) {
    // Prepared once per store, not per call.
    const sqlite = db.sqlite;
    this.selectLive = sqlite.prepare('SELECT session_data FROM django_session WHERE session_key = ? AND expire_date > ?');
    this.sweepExpired = sqlite.prepare('DELETE FROM django_session WHERE expire_date <= ?');
    this.insert = sqlite.prepare('INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)');
    this.update = sqlite.prepare('UPDATE django_session SET session_data = ?, expire_date = ? WHERE session_key = ?');
    this.upsert = sqlite.prepare(
      `INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)
       ON CONFLICT(session_key) DO UPDATE SET session_data = excluded.session_data, expire_date = excluded.expire_date`,
    );
    this.remove = sqlite.prepare('DELETE FROM django_session WHERE session_key = ?');
  }

  async load(key: string): Promise<SessionData | null> {
    const row = this.selectLive.get(key, Date.now()) as { session_data: string } | undefined;
    if (!row) return null;
    // A corrupted record throws SuspiciousSession, as the store contract asks: the session logs it
    // on reinhardt.security.SuspiciousSession with the request's ID and starts new (Django's db backend).
    return decodeSessionData(row.session_data, 'SqliteSessionStore');
  }

  /**
   * Writes `data` under `key` for `ttlSeconds` (0 or less deletes it). `'create'` throws
   * CreateError when the key is taken, `'update'` throws UpdateError when the record is gone;
   * `'upsert'` (the default) writes either way.
   */
  async save(key: string, data: SessionData, ttlSeconds: number, mode: SaveMode = 'upsert'): Promise<void> {
    const now = Date.now();
    // Django's `clearsessions` is a separate command; sweeping on save keeps the table small
    // without one, and makes an expired record count as gone for the modes below.
    this.sweepExpired.run(now);
    if (ttlSeconds <= 0) return this.deleteIn(key, mode);
    const json = JSON.stringify(data);
    const expires = now + ttlSeconds * 1000;
    if (mode === 'create') {
      try {
        this.insert.run(key, json, expires);
      } catch (error) {
        if (isConstraintError(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')) throw new CreateError(key);
        throw error;
      }
    } else if (mode === 'update') {
      // One statement: no window between "does it still exist" and the write.
      if (this.update.run(json, expires, key).changes === 0) throw new UpdateError();
    } else {
      this.upsert.run(key, json, expires);
    }
  }

  async delete(key: string): Promise<void> {
    this.remove.run(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.selectLive.get(key, Date.now()) !== undefined;
  }

  /** A save with no time left: the record goes, under the same mode rules as a write. */
  private deleteIn(key: string, mode: SaveMode): void {
    if (mode === 'create') {
      if (this.selectLive.get(key, Date.now()) !== undefined) throw new CreateError(key);
      return;
    }
    if (this.remove.run(key).changes === 0 && mode === 'update') throw new UpdateError();
  }
}
