import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/**
 * The sample app's embedded database: one SQLite file in the data directory, as Django's default
 * `db.sqlite3` is. The handle is wrapped in a class so the container can inject it by type
 * (`container.register(AppDatabase, { useValue: db })`) without a string token.
 */
export class AppDatabase {
  constructor(
    /** The better-sqlite3 handle; synchronous calls, one connection per process. */
    readonly sqlite: BetterSqlite3.Database,
    /** The folder holding `db.sqlite3`, `uploads/` and the generated secret key. */
    readonly dataDir: string,
  ) {}

  /** Folder where uploaded attachments are stored, under their row id. */
  get uploadsDir(): string {
    return join(this.dataDir, 'uploads');
  }

  close(): void {
    if (this.sqlite.open) this.sqlite.close();
  }
}

/**
 * Whether `error` is SQLite's constraint failure `code` (better-sqlite3's SqliteError carries the
 * extended result code), e.g. a UNIQUE index refusing a second `racer`/`RACER`. Read by shape,
 * not `instanceof`: the native addon keeps the SqliteError class of the realm that loaded it
 * first, which is not this one under Jest's per-file sandboxes.
 */
export function isConstraintError(error: unknown, code: 'SQLITE_CONSTRAINT_PRIMARYKEY' | 'SQLITE_CONSTRAINT_UNIQUE'): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

interface Migration {
  /** Named like Django's `<app>.<number>_<name>`; recorded once applied. */
  readonly name: string;
  readonly sql: string;
  /** What to do when it fails on an existing database; added to the error. */
  readonly hint?: string;
}

/**
 * Forward-only migrations, applied in order and recorded in `django_migrations` (Django's
 * table name and columns), so a database created by an older version is brought up to date on
 * start. Table names follow Django's `<app>_<model>` convention.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'polls.0001_initial',
    sql: `
      CREATE TABLE polls_question (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_text VARCHAR(200) NOT NULL,
        pub_date TEXT NOT NULL
      );
      CREATE TABLE polls_choice (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question_id INTEGER NOT NULL REFERENCES polls_question(id) ON DELETE CASCADE,
        choice_text VARCHAR(200) NOT NULL,
        votes INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX polls_choice_question_id ON polls_choice(question_id);`,
  },
  {
    name: 'auth.0001_initial',
    sql: `
      CREATE TABLE auth_user (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        username VARCHAR(150) NOT NULL UNIQUE,
        password VARCHAR(128) NOT NULL,
        email VARCHAR(254) NOT NULL DEFAULT '',
        is_active INTEGER NOT NULL DEFAULT 1,
        date_joined TEXT NOT NULL,
        last_login TEXT NULL
      );`,
  },
  {
    name: 'sessions.0001_initial',
    sql: `
      CREATE TABLE django_session (
        session_key VARCHAR(40) PRIMARY KEY,
        session_data TEXT NOT NULL,
        expire_date INTEGER NOT NULL
      );
      CREATE INDEX django_session_expire_date ON django_session(expire_date);`,
  },
  {
    name: 'attachments.0001_initial',
    sql: `
      CREATE TABLE attachments_attachment (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        owner_id INTEGER NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
        name VARCHAR(255) NOT NULL,
        content_type VARCHAR(255) NOT NULL,
        size INTEGER NOT NULL,
        uploaded_at TEXT NOT NULL
      );
      CREATE INDEX attachments_attachment_owner_id ON attachments_attachment(owner_id);`,
  },
  {
    // Usernames are unique regardless of case, as Django's UserCreationForm checks with
    // `username__iexact`. A check in code cannot stop two sign-ups racing (`racer` and `RACER`
    // both pass it, then both insert): the database must refuse the second. NOCASE folds ASCII
    // letters only, like SQLite's LIKE behind Django's `iexact`, and the sign-up form allows
    // ASCII names only.
    name: 'auth.0002_username_unique_nocase',
    sql: 'CREATE UNIQUE INDEX auth_user_username_nocase ON auth_user(username COLLATE NOCASE);',
    hint: 'Two users have names that differ only in case; rename one of them, then start again.',
  },
];

/** The tutorial's polls, inserted once when the database is created. */
const SEED_POLLS: ReadonlyArray<{ question: string; choices: string[] }> = [
  { question: "What's up?", choices: ['Not much', 'The sky', 'Just hacking again'] },
  { question: 'Which request object do you prefer?', choices: ['HttpRequest', 'IncomingMessage', 'Fetch Request'] },
  { question: 'Tabs or spaces?', choices: ['Tabs', 'Spaces', 'Whatever the formatter says'] },
];

/**
 * Open (creating if needed) the SQLite database at `databasePath` (default `<dataDir>/db.sqlite3`),
 * apply pending migrations and, on a fresh database, insert the seed polls. Uploads go to
 * `<dataDir>/uploads` either way.
 * @example const db = openDatabase('sample-app/data'); db.sqlite.prepare('SELECT 1').get();
 */
export function openDatabase(dataDir: string, databasePath: string = join(dataDir, 'db.sqlite3')): AppDatabase {
  mkdirSync(join(dataDir, 'uploads'), { recursive: true });
  mkdirSync(dirname(databasePath), { recursive: true });
  const sqlite = new BetterSqlite3(databasePath);
  // WAL lets the browser tests read while a vote is written; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  const fresh = migrate(sqlite).includes('polls.0001_initial');
  if (fresh) seed(sqlite);
  return new AppDatabase(sqlite, dataDir);
}

/** Apply every migration not yet recorded; returns the names applied now. */
export function migrate(sqlite: BetterSqlite3.Database): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS django_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(255) NOT NULL UNIQUE, applied TEXT NOT NULL)`);
  const done = new Set(
    sqlite.prepare('SELECT name FROM django_migrations').pluck().all() as string[],
  );
  const record = sqlite.prepare('INSERT INTO django_migrations (name, applied) VALUES (?, ?)');
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.name)) continue;
    // One transaction per migration: a failed one leaves the database as the previous one left it.
    try {
      sqlite.transaction(() => {
        sqlite.exec(migration.sql);
        record.run(migration.name, new Date().toISOString());
      })();
    } catch (error) {
      const message = (error as { message?: unknown } | null)?.message;
      const reason = typeof message === 'string' ? message : String(error);
      throw new Error(`Migration ${migration.name} failed: ${reason}.${migration.hint ? ` ${migration.hint}` : ''}`, { cause: error });
    }
    applied.push(migration.name);
  }
  return applied;
}

function seed(sqlite: BetterSqlite3.Database): void {
  const addQuestion = sqlite.prepare('INSERT INTO polls_question (question_text, pub_date) VALUES (?, ?)');
  const addChoice = sqlite.prepare('INSERT INTO polls_choice (question_id, choice_text) VALUES (?, ?)');
  sqlite.transaction(() => {
    // Older polls first, a minute apart, so "latest first" lists the first seed last.
    const start = Date.now() - SEED_POLLS.length * 60_000;
    SEED_POLLS.forEach((poll, index) => {
      const id = addQuestion.run(poll.question, new Date(start + index * 60_000).toISOString()).lastInsertRowid;
      for (const choice of poll.choices) addChoice.run(id, choice);
    });
  })();
}
