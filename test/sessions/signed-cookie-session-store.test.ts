import { randomBytes } from 'node:crypto';
import { resolveSettings } from '../../src/core/settings';
import { dumps } from '../../src/signing';
import { ImproperlyConfigured } from '../../src/http/errors';
import { Session } from '../../src/sessions/session';
import { SessionDataTooLarge, SuspiciousSession } from '../../src/sessions/session-store';
import { SignedCookieSessionStore } from '../../src/sessions/signed-cookie-session-store';
import { describeSessionStoreContract, logger, settings } from './session-store.contract';

const DJANGO_SALT = 'django.contrib.sessions.backends.signed_cookies';

/** What `load` throws for a cookie it refuses (SuspiciousSession: `Session.load` logs it): its message. */
async function refusal(load: Promise<unknown>): Promise<string> {
  const error = await load.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SuspiciousSession);
  return (error as Error).message;
}

/** A store given the contract's settings, as an app gives its own (its key and maxAge defaults). */
function bound(options: ConstructorParameters<typeof SignedCookieSessionStore>[0]): SignedCookieSessionStore {
  const store = new SignedCookieSessionStore(options);
  store.useSettings(settings);
  return store;
}

describeSessionStoreContract('SignedCookieSessionStore', () => ({
  store: new SignedCookieSessionStore(),
  stateless: true,
  async corrupt(key) {
    // Change the payload but keep the signature: what a user editing the cookie would do.
    const [payload, ...rest] = key.split(':');
    const flipped = payload!.slice(0, -1) + (payload!.endsWith('A') ? 'B' : 'A');
    return [flipped, ...rest].join(':');
  },
}));

describe('SignedCookieSessionStore', () => {
  beforeEach(() => logger.clear());

  test("the key is Django's signing.dumps(data, compress=True) under Django's salt, readable by Django", async () => {
    const store = new SignedCookieSessionStore({ secretKey: 'k' });
    const key = await store.save('ignored', { a: 1 }, 60);
    expect(key).toMatch(/^[A-Za-z0-9_.-]+:[A-Za-z0-9]+:[A-Za-z0-9_-]+$/);
    // Same bytes as signing.dumps gives for the same second.
    const now = Date.now;
    expect(key.split(':')[0]).toBe(dumps({ a: 1 }, { key: 'k', salt: DJANGO_SALT, compress: true, now }).split(':')[0]);
    expect(await store.load(key)).toEqual({ a: 1 });
  });

  test('a cookie signed with another secret key is refused (SuspiciousSession); a session loading it logs it and starts empty', async () => {
    const forged = await new SignedCookieSessionStore({ secretKey: 'attacker' }).save('', { _auth_user_id: '1' }, 60);
    const store = bound({ secretKey: 'server' });
    expect(await refusal(store.load(forged))).toMatch(/^SignedCookieSessionStore: Signature ".+" does not match$/);
    expect(logger.records).toEqual([]); // the store only throws
    const session = new Session(store, settings); // no request: the app's logger (the contract's capturing one)
    await session.load(forged);
    expect(session.sessionKey).toBeNull();
    expect(session.get('_auth_user_id')).toBeUndefined();
    expect(logger.records).toEqual([
      { level: 'warn', name: 'reinhardt.security.SuspiciousSession', msg: expect.stringMatching(/^SignedCookieSessionStore: Signature ".+" does not match$/) },
    ]);
  });

  test('a signature older than maxAge is refused', async () => {
    const old = dumps({ a: 1 }, { key: 'k', salt: DJANGO_SALT, compress: true, now: () => Date.now() - 120_000 });
    expect(await refusal(bound({ secretKey: 'k', maxAge: 60 }).load(old))).toMatch(/^SignedCookieSessionStore: Signature age [\d.]+ > 60 seconds$/);
    expect(await bound({ secretKey: 'k', maxAge: 300 }).load(old)).toEqual({ a: 1 });
  });

  test('a signed value that is not an object is refused', async () => {
    const list = dumps([1, 2], { key: 'k', salt: DJANGO_SALT, compress: true });
    expect(await refusal(bound({ secretKey: 'k' }).load(list))).toBe('SignedCookieSessionStore: session data is not an object');
  });

  test('maxAge and secretKey default to the app settings', async () => {
    const store = new SignedCookieSessionStore();
    const appSettings = resolveSettings({ secretKey: 'from-settings', sessionCookieAge: 60 });
    store.useSettings(appSettings);
    const old = dumps({ a: 1 }, { key: 'from-settings', salt: DJANGO_SALT, compress: true, now: () => Date.now() - 120_000 });
    expect(await refusal(store.load(old))).toMatch(/^SignedCookieSessionStore: Signature age [\d.]+ > 60 seconds$/);
    const fresh = dumps({ a: 1 }, { key: 'from-settings', salt: DJANGO_SALT, compress: true });
    expect(await store.load(fresh)).toEqual({ a: 1 });
  });

  test('secretKeyFallbacks: an old key still loads; saving signs with secretKey only (issue 19, item 10)', async () => {
    const old = await new SignedCookieSessionStore({ secretKey: 'old' }).save('', { a: 1 }, 60);
    const rotated = new SignedCookieSessionStore({ secretKey: 'new', secretKeyFallbacks: ['old'] });
    expect(await rotated.load(old)).toEqual({ a: 1 });
    const resigned = await rotated.save('', { a: 1 }, 60);
    expect(await bound({ secretKey: 'new' }).load(resigned)).toEqual({ a: 1 });
    expect(await refusal(bound({ secretKey: 'old' }).load(resigned))).toMatch(/^SignedCookieSessionStore: Signature ".+" does not match$/);
    expect(await refusal(bound({ secretKey: 'new' }).load(old))).toMatch(/^SignedCookieSessionStore: Signature ".+" does not match$/);
  });

  test("secretKeyFallbacks default to the app's, with its secretKey; a store given its own key does not take them", async () => {
    const appSettings = resolveSettings({ secretKey: 'new', secretKeyFallbacks: ['old'] });
    const old = dumps({ a: 1 }, { key: 'old', salt: DJANGO_SALT, compress: true });
    const fromSettings = new SignedCookieSessionStore();
    fromSettings.useSettings(appSettings);
    expect(await fromSettings.load(old)).toEqual({ a: 1 });
    const ownKey = new SignedCookieSessionStore({ secretKey: 'new' });
    ownKey.useSettings(appSettings);
    expect(await refusal(ownKey.load(old))).toMatch(/^SignedCookieSessionStore: Signature ".+" does not match$/);
  });

  test('without any secret key it says so', async () => {
    await expect(new SignedCookieSessionStore().save('', {}, 60)).rejects.toThrow(
      new ImproperlyConfigured('SignedCookieSessionStore needs a secretKey: pass one, or set the secretKey setting.'),
    );
  });

  test('refuses to grow past a 4096-byte cookie, with the size in the message', async () => {
    const store = new SignedCookieSessionStore();
    store.useSettings(settings);
    const session = new Session(store, settings);
    // Random text does not compress.
    session.set('blob', randomBytes(4000).toString('base64'));
    const error = await session.save().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SessionDataTooLarge);
    expect((error as Error).message).toMatch(/^Session data too large for a cookie \(\d{4,} bytes > 4096\)$/);
    expect(Number(/\((\d+) bytes/.exec((error as Error).message)![1])).toBeGreaterThan(4096);
  });

  test('data that compresses well fits (compress=True)', async () => {
    const store = new SignedCookieSessionStore({ secretKey: 'k' });
    const key = await store.save('', { blob: 'x'.repeat(10_000) }, 60);
    expect(key.startsWith('.')).toBe(true); // Django marks compressed payloads with a leading dot
    expect(key.length).toBeLessThan(4096);
  });
});
