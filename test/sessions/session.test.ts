import { resolveSettings } from '../../src/core/settings';
import { KeyError } from '../../src/http/errors';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { Session } from '../../src/sessions/session';

const settings = resolveSettings({ secretKey: 's' });
const fresh = () => new Session(new MemorySessionStore(), settings);

describe('Session, the dict-like API (Django SessionBase)', () => {
  test('a new session is empty, unmodified, unaccessed, keyless', () => {
    const session = fresh();
    expect(session.isEmpty()).toBe(true);
    expect(session.modified).toBe(false);
    expect(session.accessed).toBe(false);
    expect(session.sessionKey).toBeNull();
  });

  test('get/set/has/delete, with modified and accessed tracking', () => {
    const session = fresh();
    expect(session.get('missing')).toBeUndefined();
    expect(session.get('missing', 5)).toBe(5);
    expect(session.accessed).toBe(true);
    expect(session.modified).toBe(false);
    session.set('a', { b: [1] });
    expect(session.modified).toBe(true);
    expect(session.get('a')).toEqual({ b: [1] });
    expect(session.has('a')).toBe(true);
    expect(session.has('toString')).toBe(false);
    expect(session.delete('a')).toBe(true);
    expect(session.delete('a')).toBe(false);
    expect(session.has('a')).toBe(false);
  });

  test('reading alone does not modify; deleting a missing key does not modify', () => {
    const session = fresh();
    session.get('x');
    session.has('x');
    session.keys();
    session.delete('x');
    expect(session.modified).toBe(false);
    expect(session.accessed).toBe(true);
  });

  test('pop returns and removes, falls back to the default, or throws KeyError', () => {
    const session = fresh();
    session.set('n', 1);
    expect(session.pop('n')).toBe(1);
    expect(session.pop('n', null)).toBeNull();
    expect(() => session.pop('n')).toThrow(KeyError);
    expect(() => session.pop('n')).toThrow("'n'");
  });

  test('setDefault keeps an existing value and stores a missing one', () => {
    const session = fresh();
    expect(session.setDefault('cart', [])).toEqual([]);
    (session.get<number[]>('cart')!).push(1);
    expect(session.setDefault('cart', ['other'])).toEqual([1]);
  });

  test('keys, values, items, update and clear', () => {
    const session = fresh();
    session.update({ a: 1, b: 2 });
    expect(session.keys()).toEqual(['a', 'b']);
    expect(session.values()).toEqual([1, 2]);
    expect(session.items()).toEqual([['a', 1], ['b', 2]]);
    session.clear();
    expect(session.keys()).toEqual([]);
    expect(session.modified).toBe(true);
  });

  test('sessionKey is read-only', () => {
    const session = fresh();
    expect(() => {
      (session as unknown as { sessionKey: string }).sessionKey = 'chosen-by-attacker';
    }).toThrow(TypeError);
    expect(session.sessionKey).toBeNull();
  });
});

describe('Session expiry (Django set_expiry / get_expiry_age)', () => {
  test('defaults to sessionCookieAge (two weeks) and the browser-close setting', () => {
    const session = fresh();
    expect(session.getExpiryAge()).toBe(1209600);
    expect(session.getExpireAtBrowserClose()).toBe(false);
    const closing = new Session(new MemorySessionStore(), resolveSettings({ secretKey: 's', sessionExpireAtBrowserClose: true }));
    expect(closing.getExpireAtBrowserClose()).toBe(true);
  });

  test('seconds are stored as _session_expiry and become the age', () => {
    const session = fresh();
    session.setExpiry(300);
    expect(session.get('_session_expiry')).toBe(300);
    expect(session.getExpiryAge()).toBe(300);
    expect(session.modified).toBe(true);
  });

  test('a Date is stored as ISO text; the age counts down to it', () => {
    const session = fresh();
    const at = new Date(Date.now() + 3_600_000);
    session.setExpiry(at);
    expect(session.get('_session_expiry')).toBe(at.toISOString());
    expect(session.getExpiryAge()).toBeGreaterThanOrEqual(3599);
    expect(session.getExpiryAge()).toBeLessThanOrEqual(3600);
    expect(session.getExpiryDate().toISOString()).toBe(at.toISOString());
  });

  test('0 means "until the browser closes", with the default age for the store', () => {
    const session = fresh();
    session.setExpiry(0);
    expect(session.getExpireAtBrowserClose()).toBe(true);
    expect(session.getExpiryAge()).toBe(1209600);
  });

  test('null removes a custom expiry', () => {
    const session = fresh();
    session.setExpiry(10);
    session.setExpiry(null);
    expect(session.has('_session_expiry')).toBe(false);
    expect(session.getExpiryAge()).toBe(1209600);
  });
});
