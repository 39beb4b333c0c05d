import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { SessionStore, type SessionData } from 'reinhardt';
import { AppDatabase } from '../db';

/**
 * Sessions in the `django_session` table (Django's default `db` session engine), so a restart
 * under `npm run dev` keeps everyone logged in. Expired rows are never returned and are swept
 * when a session is saved.
 */
@injectable()
export class SqliteSessionStore implements SessionStore {
  constructor(private readonly db: AppDatabase) {}

  async load(key: string): Promise<SessionData | null> {
    const row = this.db.sqlite
      .prepare('SELECT session_data FROM django_session WHERE session_key = ? AND expire_date > ?')
      .get(key, Date.now()) as { session_data: string } | undefined;
    if (!row) return null;
    try {
      const data: unknown = JSON.parse(row.session_data);
      // A record that is not a JSON object is corrupted: treat it as absent, as the contract asks.
      return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as SessionData) : null;
    } catch {
      return null;
    }
  }

  /** Upsert (SPEC §9's `save(key, data, ttlSeconds)`); a ttl of 0 or less deletes the record. */
  async save(key: string, data: SessionData, ttlSeconds: number): Promise<void> {
    if (ttlSeconds <= 0) return this.delete(key);
    const now = Date.now();
    // Django's `clearsessions` is a separate command; sweeping on save keeps the table small without one.
    this.db.sqlite.prepare('DELETE FROM django_session WHERE expire_date <= ?').run(now);
    this.db.sqlite
      .prepare(
        `INSERT INTO django_session (session_key, session_data, expire_date) VALUES (?, ?, ?)
         ON CONFLICT(session_key) DO UPDATE SET session_data = excluded.session_data, expire_date = excluded.expire_date`,
      )
      .run(key, JSON.stringify(data), now + ttlSeconds * 1000);
  }

  async delete(key: string): Promise<void> {
    this.db.sqlite.prepare('DELETE FROM django_session WHERE session_key = ?').run(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.db.sqlite
      .prepare('SELECT 1 FROM django_session WHERE session_key = ? AND expire_date > ?')
      .get(key, Date.now()) !== undefined;
  }
}
