/**
 * One contract, every store (Hono's router/common.case.test.ts pattern): each store's test file
 * calls `describeSessionStoreContract` with a factory. Stateless stores (signed cookies) keep
 * nothing on the server, so the tests about server-side records run only for stateful ones.
 */
import { resolveSettings, type Settings } from '../../src/core/settings';
import { ServiceUnavailable } from '../../src/http/errors';
import { Session } from '../../src/sessions/session';
import { CreateError, SuspiciousSession, UpdateError, type SessionStore } from '../../src/sessions/session-store';
import { registerAppLogger } from '../../src/logging/app-loggers';
import { CapturingLogger } from '../../src/testing/capturing-logger';

export interface StoreUnderTest {
  store: SessionStore;
  /** Keeps nothing on the server (the key is the data). */
  stateless: boolean;
  /** Makes the record behind `key` unreadable (garbage bytes, a flipped signature...); returns the key to load. */
  corrupt(key: string): Promise<string>;
}

export const settings: Readonly<Settings> = resolveSettings({ secretKey: 'contract-secret', sessionStoreTimeout: 2000 });

/** The logger of the app these settings stand for: where a Session made with them (no request) logs a SuspiciousSession. */
export const logger = new CapturingLogger();
registerAppLogger(settings, logger);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeSessionStoreContract(name: string, make: () => StoreUnderTest | Promise<StoreUnderTest>): void {
  describe(`${name} satisfies the SessionStore contract`, () => {
    let subject: StoreUnderTest;
    let store: SessionStore;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
      store.useSettings?.(settings);
      logger.clear();
    });

    async function saved(data: Record<string, unknown>): Promise<string> {
      const session = new Session(store, settings);
      session.update(data);
      await session.save();
      return session.sessionKey!;
    }

    test('saved JSON data loads back equal (nested values, unicode)', async () => {
      const data = { user: '42', cart: [1, 2, { sku: 'é-ü' }], flags: { a: true, b: null }, n: 1.5 };
      const key = await saved(data);
      expect(await store.load(key)).toEqual(data);
    });

    test('an unknown key loads as null (to a stateless store, whose key is the data, it is a forged one: SuspiciousSession)', async () => {
      const loading = store.load('abcdefghijklmnopqrstuvwxyz012345');
      if (subject.stateless) await expect(loading).rejects.toThrow(SuspiciousSession);
      else expect(await loading).toBeNull();
    });

    test('a key the store does not know is never adopted: the session gets a fresh one', async () => {
      const planted = 'attackerchosenkey000000000000000';
      const session = new Session(store, settings);
      await session.load(planted);
      expect(session.sessionKey).toBeNull();
      expect(session.isEmpty()).toBe(true);
      session.set('x', 1);
      await session.save();
      expect(session.sessionKey).not.toBe(planted);
      if (subject.stateless) await expect(store.load(planted)).rejects.toThrow(SuspiciousSession);
      else expect(await store.load(planted)).toBeNull();
    });

    test('new keys are 32 lowercase letters and digits, different every time (stateful stores)', async () => {
      if (subject.stateless) return;
      const a = await saved({ a: 1 });
      const b = await saved({ a: 1 });
      expect(a).toMatch(/^[a-z0-9]{32}$/);
      expect(b).toMatch(/^[a-z0-9]{32}$/);
      expect(a).not.toBe(b);
    });

    test('a corrupted or tampered record: load throws SuspiciousSession; the session logs it and starts empty, never an error', async () => {
      const key = await saved({ user: '1' });
      const bad = await subject.corrupt(key);
      const name = store.constructor.name;
      // Stores that keep JSON text say it with decodeSessionData, in Django's words (SessionBase.decode).
      const message = subject.stateless ? new RegExp(`^${name}: .+$`) : new RegExp(`^${name}: Session data corrupted$`);
      await expect(store.load(bad)).rejects.toThrow(SuspiciousSession);
      await expect(store.load(bad)).rejects.toThrow(message);
      expect(logger.records).toEqual([]); // the store only throws; the session logs
      const session = new Session(store, settings);
      await session.load(bad);
      expect(session.sessionKey).toBeNull();
      expect(session.get('user')).toBeUndefined();
      expect(logger.records).toEqual([{ level: 'warn', name: 'reinhardt.security.SuspiciousSession', msg: expect.stringMatching(message) }]);
    });

    test("save(..., 'create') refuses a key that exists (CreateError)", async () => {
      if (subject.stateless) return;
      const key = await saved({ a: 1 });
      await expect(store.save(key, { b: 2 }, 60, 'create')).rejects.toBeInstanceOf(CreateError);
      expect(await store.load(key)).toEqual({ a: 1 });
    });

    test("save(..., 'update') after a delete does not resurrect the record (UpdateError)", async () => {
      if (subject.stateless) return;
      const key = await saved({ a: 1 });
      await store.delete(key);
      await expect(store.save(key, { a: 2 }, 60, 'update')).rejects.toBeInstanceOf(UpdateError);
      expect(await store.load(key)).toBeNull();
      expect(await store.exists(key)).toBe(false);
    });

    test('a save racing a logout in another request throws UpdateError (Django\'s SessionBase.save), the session stays gone', async () => {
      if (subject.stateless) return;
      const key = await saved({ _auth_user_id: '7' });
      const first = new Session(store, settings);
      const second = new Session(store, settings);
      await first.load(key);
      await second.load(key);
      await first.flush(); // logout
      second.set('cart', [1]);
      await expect(second.save()).rejects.toThrow(UpdateError);
      await expect(second.save()).rejects.toThrow('The session record no longer exists.');
      expect(await store.load(key)).toBeNull();
    });

    test('delete removes the record and exists() reports it', async () => {
      if (subject.stateless) return;
      const key = await saved({ a: 1 });
      expect(await store.exists(key)).toBe(true);
      await store.delete(key);
      expect(await store.exists(key)).toBe(false);
      expect(await store.load(key)).toBeNull();
      await expect(store.delete(key)).resolves.toBeUndefined();
    });

    test('a record expires after its TTL', async () => {
      if (subject.stateless) return;
      await store.save('expiringkey0000000000000000000000', { a: 1 }, 0.3, 'upsert');
      expect(await store.load('expiringkey0000000000000000000000')).toEqual({ a: 1 });
      await sleep(450);
      expect(await store.load('expiringkey0000000000000000000000')).toBeNull();
      expect(await store.exists('expiringkey0000000000000000000000')).toBe(false);
    });

    test('cycleKey moves the data to a new key and deletes the old record', async () => {
      const key = await saved({ user: '3' });
      const session = new Session(store, settings);
      await session.load(key);
      await session.cycleKey();
      expect(session.sessionKey).not.toBeNull();
      // A stateless store's key is the signed data itself: same data, same second, same key.
      if (!subject.stateless) expect(session.sessionKey).not.toBe(key);
      expect(session.get('user')).toBe('3');
      await session.save();
      expect(await store.load(session.sessionKey!)).toEqual({ user: '3' });
      if (!subject.stateless) expect(await store.load(key)).toBeNull();
    });

    test('flush empties the session, drops the key and (stateful) deletes the record', async () => {
      const key = await saved({ user: '3' });
      const session = new Session(store, settings);
      await session.load(key);
      await session.flush();
      expect(session.sessionKey).toBeNull();
      expect(session.keys()).toEqual([]);
      expect(session.isEmpty()).toBe(true);
      if (!subject.stateless) expect(await store.load(key)).toBeNull();
    });

    test('a store call slower than sessionStoreTimeout becomes ServiceUnavailable', async () => {
      const slow = { ...settings, sessionStoreTimeout: 20 };
      const stalled: SessionStore = { ...bind(store), load: () => new Promise(() => undefined) };
      const session = new Session(stalled, slow);
      await expect(session.load('abcdefghijklmnopqrstuvwxyz012345')).rejects.toThrow(
        new ServiceUnavailable('Session store unavailable: no answer within 20 ms'),
      );
    });
  });
}

function bind(store: SessionStore): SessionStore {
  return {
    load: store.load.bind(store),
    save: store.save.bind(store),
    delete: store.delete.bind(store),
    exists: store.exists.bind(store),
  };
}
