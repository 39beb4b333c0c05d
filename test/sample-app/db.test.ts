import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
