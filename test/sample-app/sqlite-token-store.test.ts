/** The sample app's SQLite token store against the shared TokenStore contract. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type AppDatabase } from '../../sample-app/db';
import { SqliteTokenStore } from '../../sample-app/repositories/sqlite-token-store';
import { describeTokenStoreContract } from '../auth/token-store.contract';

const opened: { db: AppDatabase; dir: string }[] = [];

afterAll(() => {
  for (const { db, dir } of opened) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describeTokenStoreContract('SqliteTokenStore (sample app)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-tokens-'));
  const db = openDatabase(dir);
  opened.push({ db, dir });
  return new SqliteTokenStore(db);
});
