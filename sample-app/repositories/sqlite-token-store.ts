import 'reflect-metadata';
import { injectable } from 'tsyringe';
import type { Statement } from 'better-sqlite3';
import type { StoredToken, TokenStore } from 'reinhardt';
import { AppDatabase } from '../db';

/**
 * API tokens in the `authtoken_token` table (the name of DRF's token table), hashed: a row holds
 * the token's first eight characters, to find it by, and the SHA-256 of the whole, never the
 * token. The table is created here when missing, so the store needs no migration of its own.
 */
@injectable()
export class SqliteTokenStore implements TokenStore {
  private readonly insert: Statement<[string, string, string, number]>;
  private readonly select: Statement<[string]>;
  private readonly remove: Statement<[string]>;

  constructor(db: AppDatabase) {
    const sqlite = db.sqlite;
    sqlite.exec(
      `CREATE TABLE IF NOT EXISTS authtoken_token (
         prefix TEXT PRIMARY KEY, digest TEXT NOT NULL, user_id TEXT NOT NULL, created INTEGER NOT NULL
       )`,
    );
    // Prepared once per store, not per call; a taken prefix fails the primary key (the contract's refusal).
    this.insert = sqlite.prepare('INSERT INTO authtoken_token (prefix, digest, user_id, created) VALUES (?, ?, ?, ?)');
    this.select = sqlite.prepare('SELECT prefix, digest, user_id, created FROM authtoken_token WHERE prefix = ?');
    this.remove = sqlite.prepare('DELETE FROM authtoken_token WHERE prefix = ?');
  }

  save(token: StoredToken): void {
    this.insert.run(token.prefix, token.digest, token.userId, token.created.getTime());
  }

  find(prefix: string): StoredToken | null {
    const row = this.select.get(prefix) as { prefix: string; digest: string; user_id: string; created: number } | undefined;
    return row === undefined ? null : { prefix: row.prefix, digest: row.digest, userId: row.user_id, created: new Date(row.created) };
  }

  delete(prefix: string): void {
    this.remove.run(prefix);
  }
}
