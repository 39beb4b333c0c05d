/**
 * Django's tests/messages_tests/test_session.py, and base.py's BaseTests (storage.contract.ts).
 *
 * Not translated:
 * - test_safedata: no SafeData; a message is always escaped when printed.
 */
import { ImproperlyConfigured } from '../../src/http/errors';
import * as messages from '../../src/messages/messages';
import { SessionStorage } from '../../src/messages/session-storage';
import { MessageMiddleware } from '../../src/messages/message-middleware';
import { storageContract } from './storage.contract';
import { messagesApp, run } from './messages-app';

storageContract('SessionStorage');

describe('SessionStorage', () => {
  test('test_get: keeps the messages in the session under _messages, as Django\'s JSON', async () => {
    const { client, store } = messagesApp({ messageStorage: 'SessionStorage' });
    const response = await run(client, (request) => {
      messages.success(request, 'Voted é');
    });
    expect(response.cookies.has('messages')).toBe(false);
    const data = await store.load(client.cookies.get('sessionid')!);
    expect(data).toEqual({ _messages: '[["__json_message",0,25,"Voted \\u00e9",""]]' });
  });

  test('test_no_session: without SessionMiddleware the storage names what is missing', async () => {
    const { client } = messagesApp({ messageStorage: 'SessionStorage' }, []);
    const response = await run(client, (request) => {
      try {
        new SessionStorage(request);
        return 'made';
      } catch (error) {
        return [error instanceof ImproperlyConfigured, (error as Error).message];
      }
    });
    expect(response.json()).toEqual([
      true,
      'The session-based temporary message storage requires SessionMiddleware to be installed, and come before MessageMiddleware in the middleware list.',
    ]);
  });

  test('MessageMiddleware without SessionMiddleware answers 500 (ImproperlyConfigured), showing no internals in production', async () => {
    const { client } = messagesApp({ messageStorage: 'SessionStorage' }, [MessageMiddleware]);
    const response = await run(client, () => 'unreached');
    expect(response.statusCode).toBe(500);
    expect(response.text).not.toContain('SessionMiddleware');
  });

  test('a session value that is not a message list reads as no messages', async () => {
    const { client } = messagesApp({ messageStorage: 'SessionStorage' });
    await run(client, (request) => request.session.set('_messages', '{"not":"messages"}'));
    const response = await run(client, (request) => [...new SessionStorage(request)].length);
    expect(response.json()).toBe(0);
  });
});
