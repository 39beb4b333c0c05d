/**
 * Django's tests/messages_tests/test_cookie.py, and base.py's BaseTests (storage.contract.ts).
 *
 * Not translated:
 * - test_safedata: no SafeData; a message is always escaped when printed.
 * - test_legacy_encode_decode / test_legacy_hash_decode: no pre-signing format to read.
 */
import { randomBytes } from 'node:crypto';
import { getCookieSigner } from '../../src/signing';
import { CookieStorage } from '../../src/messages/cookie-storage';
import { Message } from '../../src/messages/message';
import { reviveMessages } from '../../src/messages/message-encoding';
import * as messages from '../../src/messages/messages';
import type { BaseStorage } from '../../src/messages/base-storage';
import { storageContract, storedMessages } from './storage.contract';
import { messagesApp, run, SECRET } from './messages-app';

storageContract('CookieStorage');

const setup = (settings = {}) => messagesApp({ messageStorage: 'CookieStorage', ...settings });

/** A cookie value as Django's CookieStorage signs one, made here with our signer under the test key. */
function signedCookie(json: string): string {
  return getCookieSigner(SECRET, 'django.contrib.messages').sign(Buffer.from(json, 'latin1').toString('base64url'));
}

const EXPIRED = 'messages=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax';

describe('CookieStorage', () => {
  test('test_get: a cookie signed as Django signs it is read back', async () => {
    const { client } = setup();
    client.cookies.set('messages', signedCookie('[["__json_message",0,20,"Test message 1"],["__json_message",0,40,"Test message 2","tag"]]'));
    const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map((m) => [m.level, m.message, m.extraTags]));
    expect(response.json()).toEqual([[20, 'Test message 1', null], [40, 'Test message 2', 'tag']]);
    expect(response.cookies.get('messages')!.serialized).toBe(EXPIRED);
  });

  test('test_cookie_settings: the cookie takes the session cookie\'s domain, Secure, HttpOnly and SameSite, and no Max-Age', async () => {
    const { client } = setup({ sessionCookieDomain: '.example.com', sessionCookieSecure: true, sessionCookieHttpOnly: true, sessionCookieSameSite: 'Strict' });
    const added = await run(client, (request) => messages.success(request, 'Voted'));
    const payload = Buffer.from('[["__json_message",0,25,"Voted",""]]').toString('base64url');
    const cookie = added.cookies.get('messages')!.serialized;
    expect(cookie).toMatch(new RegExp(`^messages=${payload}%3A[0-9A-Za-z]+%3A[\\w-]{43}; Domain=\\.example\\.com; Path=/; HttpOnly; Secure; SameSite=Strict$`));
    const consumed = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].length);
    expect(consumed.json()).toBe(1);
    expect(consumed.cookies.get('messages')!.serialized).toBe(
      'messages=; Max-Age=0; Domain=.example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Strict',
    );
  });

  test('test_get_bad_cookie: a tampered cookie reads as no messages and is deleted', async () => {
    const { client } = setup();
    const good = signedCookie('[["__json_message",0,20,"Test message 1"]]');
    client.cookies.set('messages', `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`);
    const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].length);
    expect(response.json()).toBe(0);
    expect(response.cookies.get('messages')!.serialized).toBe(EXPIRED);
  });

  test('a value signed for another purpose (no messages salt) is refused', async () => {
    const { client } = setup();
    const otherSalt = getCookieSigner(SECRET, 'messages').sign(Buffer.from('[["__json_message",0,40,"Forged"]]').toString('base64url'));
    client.cookies.set('messages', otherSalt);
    expect((await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].length)).json()).toBe(0);
  });

  test('a signed value that is not a message list reads as no messages', async () => {
    const { client } = setup();
    client.cookies.set('messages', signedCookie('{"__proto__":{"x":1}}'));
    expect((await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].length)).json()).toBe(0);
  });

  test('test_max_cookie_length: over 2048 bytes the oldest message is dropped and the list marked unfinished', async () => {
    const { client } = setup();
    // Django's size: four of these fit in 2048 bytes, five do not; random text so zlib cannot shrink it.
    const size = Math.floor((CookieStorage.maxCookieSize - 54) / 4.5 - 37);
    const texts = Array.from({ length: 5 }, () => randomBytes(size).toString('base64url').slice(0, size));
    const added = await run(client, (request) => {
      for (const text of texts) messages.info(request, text);
    });
    expect(added.statusCode).toBe(200);
    expect(added.cookies.get('messages')!.value.length).toBeLessThanOrEqual(2048);
    const response = await run(client, (request) => {
      const stored = new CookieStorage(request).get();
      return { texts: stored.messages!.map(String), allRetrieved: stored.allRetrieved };
    });
    expect(response.json()).toEqual({ texts: texts.slice(1), allRetrieved: false });
  });

  test('test_max_cookie_length under debug: a message that could not be stored is an error (Django\'s ValueError)', async () => {
    const { client } = setup({ debug: true });
    const added = await run(client, (request) => {
      for (let i = 0; i < 5; i++) messages.info(request, randomBytes(600).toString('base64url'));
    });
    expect(added.statusCode).toBe(500);
    expect(added.text).toContain('Not all temporary messages could be stored.');
  });

  test('test_message_rfc6265: the cookie value holds no character RFC 6265 forbids, whatever the messages say', async () => {
    const { client } = setup();
    const nasty = ['\\te,st', ';m"e', '\u2019 cookie', 'a\nb', 'x; Path=/admin'];
    const added = await run(client, (request) => {
      for (const text of nasty) messages.info(request, text);
    });
    const value = added.cookies.get('messages')!.value;
    expect(value).toMatch(/^[A-Za-z0-9_.:-]+$/);
    const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map(String));
    expect(response.json()).toEqual(nasty);
  });

  test('test_json_encoder_decoder: nested lists and objects of messages survive the encoding', () => {
    const tags = new Map([[20, 'info']]);
    const encoded = JSON.parse('[["__json_message",0,20,"Test message"],{"another-message":["__json_message",0,40,"error","tag"]},[["__json_message",0,20,"a"]],"plain"]');
    const revived = reviveMessages(encoded, tags) as unknown[];
    expect(revived[0]).toEqual(new Message(20, 'Test message', null, 'info'));
    expect((revived[1] as Record<string, Message>)['another-message'].extraTags).toBe('tag');
    expect((revived[2] as Message[])[0].message).toBe('a');
    expect(revived[3]).toBe('plain');
  });

  test('test_extra_tags: null, empty and set extra tags each survive the cookie', async () => {
    const { client } = setup();
    await run(client, (request) => {
      const storage = messages.getMessages(request) as BaseStorage;
      storage.add(20, 'none', null);
      storage.add(20, 'empty', '');
      storage.add(20, 'set', 'some tags');
    });
    const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map((m) => m.extraTags));
    expect(response.json()).toEqual([null, '', 'some tags']);
  });

  test('compressed when zlib saves more than a byte: the value starts with "." as Django\'s sign_object(compress=True)', async () => {
    const { client } = setup();
    const added = await run(client, (request) => {
      for (let i = 0; i < 10; i++) messages.info(request, 'The same message again');
    });
    expect(added.cookies.get('messages')!.value.startsWith('.')).toBe(true);
    expect(await storedMessages(client, 'CookieStorage')).toHaveLength(10);
  });

  test('a request that never touches messages decodes nothing and sets no cookie, even with a bad cookie', async () => {
    const { client } = setup();
    client.cookies.set('messages', 'not-signed');
    const response = await run(client, () => 'untouched');
    expect([...response.cookies.keys()]).toEqual([]);
  });
});
