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
  private readonly selectForUser: Statement<[string]>;
  private readonly removeForUser: Statement<[string, string]>;

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
    this.selectForUser = sqlite.prepare('SELECT prefix, created FROM authtoken_token WHERE user_id = ? ORDER BY created DESC, prefix');
    this.removeForUser = sqlite.prepare('DELETE FROM authtoken_token WHERE prefix = ? AND user_id = ?');
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

  /** What the account page lists of a user's tokens, newest first: the prefix and the date, never more (the rest is not kept). */
  forUser(userId: string): TokenSummary[] {
    const rows = this.selectForUser.all(userId) as { prefix: string; created: number }[];
    return rows.map((row) => ({ prefix: row.prefix, created: new Date(row.created) }));
  }

  /**
   * Revokes the user's token with this prefix; false when the user has none with it, so a prefix
   * of someone else's token revokes nothing (the owner is part of the WHERE, not checked after).
   */
  deleteForUser(prefix: string, userId: string): boolean {
    return this.removeForUser.run(prefix, userId).changes === 1;
  }
}

/** One token as its owner sees it on the account page. */
export interface TokenSummary {
  readonly prefix: string;
  readonly created: Date;
}
