/**
 * Django's tests/messages_tests/test_fallback.py, and base.py's BaseTests (storage.contract.ts).
 * FallbackStorage is the default `messageStorage`.
 *
 * Not translated:
 * - test_get_fallback_only's "cookie storage was not flagged used" internals are asserted through what
 *   the next request sees instead.
 */
import { randomBytes } from 'node:crypto';
import { CookieStorage } from '../../src/messages/cookie-storage';
import * as messages from '../../src/messages/messages';
import type { BaseStorage } from '../../src/messages/base-storage';
import { SessionStorage } from '../../src/messages/session-storage';
import type { Client } from '../../src/testing/client';
import { storageContract, storedMessages } from './storage.contract';
import { messagesApp, run } from './messages-app';

storageContract('FallbackStorage');

const setup = () => messagesApp();

/** Puts `texts` (INFO) in the cookie, ending with the "not finished" marker when `unfinished`. */
async function setCookieData(client: Client, texts: string[], unfinished = false): Promise<void> {
  const response = await run(client, (request) => {
    const parts = texts.map((t) => JSON.stringify(['__json_message', 0, 20, t]));
    if (unfinished) parts.push(JSON.stringify(CookieStorage.notFinished));
    return new CookieStorage(request).encodeParts(parts, true);
  });
  client.cookies.set('messages', response.json<string>());
}

/** Puts `texts` (INFO) in the session. */
async function setSessionData(client: Client, texts: string[]): Promise<void> {
  await run(client, (request) => {
    request.session.set(SessionStorage.sessionKey, JSON.stringify(texts.map((t) => ['__json_message', 0, 20, t])));
  });
}

const readAll = (request: Parameters<Parameters<typeof run>[1]>[0]) => [...(messages.getMessages(request) as BaseStorage)].map(String);

describe('FallbackStorage', () => {
  test('the default messageStorage is FallbackStorage', () => {
    expect(messagesApp().app.settings.messageStorage).toBe('FallbackStorage');
  });

  test('test_get: messages in the cookie alone are read without the session', async () => {
    const { client, store } = setup();
    await setCookieData(client, ['Test message 1', 'Test message 2']);
    const load = jest.spyOn(store, 'load');
    expect((await run(client, readAll)).json()).toEqual(['Test message 1', 'Test message 2']);
    expect(load).not.toHaveBeenCalled();
  });

  test('test_get_empty: no cookie and nothing in the session reads as no messages', async () => {
    const { client } = setup();
    expect((await run(client, readAll)).json()).toEqual([]);
  });

  test('test_get_fallback: an unfinished cookie continues into the session, in order', async () => {
    const { client } = setup();
    await setSessionData(client, ['from session 1', 'from session 2']);
    await setCookieData(client, ['from cookie 1'], true);
    expect((await run(client, readAll)).json()).toEqual(['from cookie 1', 'from session 1', 'from session 2']);
  });

  test('test_get_fallback_only: a cookie holding only the marker leads to the session', async () => {
    const { client } = setup();
    await setSessionData(client, ['only in session']);
    await setCookieData(client, [], true);
    expect((await run(client, readAll)).json()).toEqual(['only in session']);
  });

  test('test_flush_used_backends: reading both clears both, cookie deleted and session key removed', async () => {
    const { client } = setup();
    await setSessionData(client, ['from session']);
    await setCookieData(client, ['from cookie'], true);
    const response = await run(client, readAll);
    expect(response.json()).toEqual(['from cookie', 'from session']);
    expect(response.cookies.get('messages')!.serialized).toBe('messages=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax');
    expect(await storedMessages(client, 'SessionStorage')).toEqual([]);
  });

  test('test_no_fallback: messages that fit stay in the cookie and the session is not written', async () => {
    const { client } = setup();
    const response = await run(client, (request) => {
      for (let i = 0; i < 5; i++) messages.info(request, `message ${i}`);
    });
    expect(response.cookies.has('sessionid')).toBe(false);
    expect(await storedMessages(client, 'CookieStorage')).toEqual([0, 1, 2, 3, 4].map((i) => `20:message ${i}`));
  });

  test('test_session_fallback: what does not fit in the cookie goes to the session, the oldest staying in the cookie', async () => {
    const { client } = setup();
    const size = Math.floor((CookieStorage.maxCookieSize - 54) / 4.5 - 37);
    const texts = Array.from({ length: 5 }, () => randomBytes(size).toString('base64url').slice(0, size));
    const response = await run(client, (request) => {
      for (const text of texts) messages.info(request, text);
    });
    expect(response.cookies.get('messages')!.value.length).toBeLessThanOrEqual(2048);
    expect(await storedMessages(client, 'CookieStorage')).toEqual(texts.slice(0, 4).map((t) => `20:${t}`));
    expect(await storedMessages(client, 'SessionStorage')).toEqual([`20:${texts[4]}`]);
    expect((await run(client, readAll)).json()).toEqual(texts);
  });

  test('test_session_fallback_only: a message too large for any cookie is kept in the session alone', async () => {
    const { client } = setup();
    const big = randomBytes(5000).toString('base64url');
    await run(client, (request) => messages.info(request, big));
    expect(await storedMessages(client, 'CookieStorage')).toEqual([]);
    expect(await storedMessages(client, 'SessionStorage')).toEqual([`20:${big}`]);
    expect((await run(client, readAll)).json()).toEqual([big]);
  });
});
