import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, migrate, openDatabase } from '../../sample-app/db';

describe('sample app database (db.sqlite3 created and migrated on first start)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-db-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a fresh folder gets db.sqlite3 with every migration recorded and the seed polls', () => {
    const db = openDatabase(dataDir);
    try {
      const names = db.sqlite.prepare('SELECT name FROM django_migrations ORDER BY id').pluck().all();
      expect(names).toEqual(MIGRATIONS.map((m) => m.name));
      const questions = db.sqlite.prepare('SELECT question_text FROM polls_question ORDER BY id').pluck().all();
      expect(questions).toEqual(["What's up?", 'Which request object do you prefer?', 'Tabs or spaces?']);
      expect(db.sqlite.prepare('SELECT COUNT(*) FROM polls_choice').pluck().get()).toBe(9);
    } finally {
      db.close();
    }
  });

  test('a second start applies nothing and does not seed twice', () => {
    openDatabase(dataDir).close();
    const db = openDatabase(dataDir);
    try {
      expect(migrate(db.sqlite)).toEqual([]);
      expect(db.sqlite.prepare('SELECT COUNT(*) FROM polls_question').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
  });

  test('foreign keys are enforced: a choice needs an existing poll', () => {
    const db = openDatabase(dataDir);
    try {
      expect(() => db.sqlite.prepare('INSERT INTO polls_choice (question_id, choice_text) VALUES (999, ?)').run('x')).toThrow(
        'FOREIGN KEY constraint failed',
      );
    } finally {
      db.close();
    }
  });

  /** A database as a version before auth.0002 left it, holding these usernames. */
  function databaseBeforeCaseInsensitiveUsernames(usernames: string[]): BetterSqlite3.Database {
    openDatabase(dataDir).close();
    const sqlite = new BetterSqlite3(join(dataDir, 'db.sqlite3'));
    sqlite.exec("DROP INDEX auth_user_username_nocase; DELETE FROM django_migrations WHERE name = 'auth.0002_username_unique_nocase'");
    const insert = sqlite.prepare("INSERT INTO auth_user (username, password, date_joined) VALUES (?, '!', '2026-01-01')");
    for (const username of usernames) insert.run(username);
    return sqlite;
  }

  test('an existing database gets the case-insensitive username index on start', () => {
    const sqlite = databaseBeforeCaseInsensitiveUsernames(['racer']);
    try {
      expect(migrate(sqlite)).toEqual(['auth.0002_username_unique_nocase']);
      expect(() => sqlite.prepare("INSERT INTO auth_user (username, password, date_joined) VALUES ('RACER', '!', '2026-01-01')").run()).toThrow(
        'UNIQUE constraint failed: auth_user.username',
      );
    } finally {
      sqlite.close();
    }
  });

  test('an existing database with racer and RACER stops at that migration, says which and what to do, and is left as it was', () => {
    const sqlite = databaseBeforeCaseInsensitiveUsernames(['racer', 'RACER']);
    try {
      expect(() => migrate(sqlite)).toThrow(
        'Migration auth.0002_username_unique_nocase failed: UNIQUE constraint failed: auth_user.username. ' +
          'Two users have names that differ only in case; rename one of them, then start again.',
      );
      expect(sqlite.prepare('SELECT name FROM django_migrations').pluck().all()).not.toContain('auth.0002_username_unique_nocase');
      expect(sqlite.prepare('SELECT COUNT(*) FROM auth_user').pluck().get()).toBe(2);
    } finally {
      sqlite.close();
    }
  });
});
