/**
 * The sample app's SQLite session store against the shared SessionStore contract (the same suite
 * the memory, signed-cookie and Redis stores run), plus the late-save-after-logout case spelled out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateError } from 'reinhardt';
import { openDatabase, type AppDatabase } from '../../sample-app/db';
import { SqliteSessionStore } from '../../sample-app/repositories/sqlite-session-store';
import { describeSessionStoreContract } from '../sessions/session-store.contract';

const opened: { db: AppDatabase; dir: string }[] = [];

function openStore(): { db: AppDatabase; store: SqliteSessionStore } {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-sessions-'));
  const db = openDatabase(dir);
  opened.push({ db, dir });
  return { db, store: new SqliteSessionStore(db) };
}

afterAll(() => {
  for (const { db, dir } of opened) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describeSessionStoreContract('SqliteSessionStore (sample app)', () => {
  const { db, store } = openStore();
  return {
    store,
    stateless: false,
    async corrupt(key) {
      db.sqlite.prepare('UPDATE django_session SET session_data = ? WHERE session_key = ?').run('{"_auth_user_id": "1"', key);
      return key;
    },
  };
});

describe('SqliteSessionStore (sample app)', () => {
  test("a late save in 'update' mode after logout deleted the row throws UpdateError and writes nothing", async () => {
    const { db, store } = openStore();
    await store.save('loggedoutsession000000000000000a', { _auth_user_id: '7' }, 60, 'create');
    await store.delete('loggedoutsession000000000000000a'); // logout in another request
    await expect(store.save('loggedoutsession000000000000000a', { _auth_user_id: '7', cart: [1] }, 60, 'update')).rejects.toThrow(
      new UpdateError(),
    );
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM django_session').pluck().get()).toBe(0);
  });

  test("'update' of an expired record is refused too: expiry is a deletion", async () => {
    const { store } = openStore();
    await store.save('expiredsession0000000000000000aa', { a: 1 }, 0.05, 'create');
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(store.save('expiredsession0000000000000000aa', { a: 2 }, 60, 'update')).rejects.toBeInstanceOf(UpdateError);
    expect(await store.load('expiredsession0000000000000000aa')).toBeNull();
  });

  test("a save with no time left deletes the record, and still refuses 'update' of a missing one", async () => {
    const { store } = openStore();
    await store.save('shortlivedsession000000000000000', { a: 1 }, 60);
    await store.save('shortlivedsession000000000000000', { a: 1 }, 0, 'update');
    expect(await store.exists('shortlivedsession000000000000000')).toBe(false);
    await expect(store.save('shortlivedsession000000000000000', { a: 1 }, 0, 'update')).rejects.toBeInstanceOf(UpdateError);
  });
});
