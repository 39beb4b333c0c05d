/**
 * What every TokenStore must do, run against each implementation (Hono's shared router suite;
 * see test/sessions/session-store.contract.ts): keep what it is given, find it by prefix, refuse
 * a taken prefix rather than overwrite it, forget on delete — and, through issueToken / findToken
 * / revokeToken, never hold the token itself.
 */
import { createHash } from 'node:crypto';
import { findToken, issueToken, revokeToken, type StoredToken, type TokenStore } from 'reinhardt';

export function describeTokenStoreContract(name: string, open: () => TokenStore): void {
  describe(`${name}: the TokenStore contract`, () => {
    const record = (prefix: string, userId = '1'): StoredToken => ({
      prefix,
      digest: createHash('sha256').update(prefix).digest('hex'),
      userId,
      created: new Date('2026-01-02T03:04:05.000Z'),
    });

    test('what is saved is found by its prefix, the created date included; an unknown prefix is null', async () => {
      const store = open();
      await store.save(record('abcdEFGH', '42'));
      expect(await store.find('abcdEFGH')).toEqual(record('abcdEFGH', '42'));
      expect(await store.find('ABCDefgh')).toBeNull();
    });

    test('a prefix already taken is refused, and the first record stays', async () => {
      const store = open();
      await store.save(record('takenPFX', '1'));
      // Any throw will do (a native driver's error may come from another realm: no instanceof Error).
      let refused = false;
      try {
        await store.save(record('takenPFX', '2'));
      } catch {
        refused = true;
      }
      expect(refused).toBe(true);
      expect((await store.find('takenPFX'))?.userId).toBe('1');
    });

    test('delete forgets the record; deleting what is not there is nothing', async () => {
      const store = open();
      await store.save(record('deleteMe'));
      await store.delete('deleteMe');
      await store.delete('deleteMe');
      expect(await store.find('deleteMe')).toBeNull();
    });

    test('issued tokens are found by their holder, not by a guess sharing the prefix, and stored only as a digest', async () => {
      const store = open();
      const token = await issueToken(store, '9');
      const stored = await store.find(token.slice(0, 8));
      expect(stored?.digest).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(stored)).not.toContain(token.slice(8));
      expect(await findToken(store, token.slice(0, 8) + '0'.repeat(32))).toBeNull();
      expect((await findToken(store, token))?.userId).toBe('9');
      expect(await revokeToken(store, token)).toBe(true);
      expect(await findToken(store, token)).toBeNull();
    });
  });
}
