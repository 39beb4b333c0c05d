/**
 * Django's tests/messages_tests/test_api.py: addMessage and the level shortcuts.
 *
 * Not translated:
 * - test_custom_request_wrapper: no request wrappers (a DRF-style Request proxying the HttpRequest).
 * - tests/messages_tests/test_mixins.py (SuccessMessageMixin): no class-based form views.
 * - tests/messages_tests/test_context_processors.py: covered by storage.contract.ts
 *   (test_context_processor_message_levels) and message-middleware.test.ts (messages in templates).
 */
import type { HttpRequest } from '../../src/http/http-request';
import { MessageFailure } from '../../src/messages/api';
import type { BaseStorage } from '../../src/messages/base-storage';
import * as messages from '../../src/messages/messages';
import { SessionMiddleware } from '../../src/sessions/session-middleware';
import { messagesApp, run } from './messages-app';

const list = (request: HttpRequest) => [...(messages.getMessages(request) as BaseStorage)].map((m) => [m.level, m.message, m.tags]);

describe('messages API', () => {
  test('test_ok: addMessage queues the message on the request\'s storage', async () => {
    const { client } = messagesApp();
    const response = await run(client, (request) => {
      messages.addMessage(request, messages.DEBUG + 15, 'some message', { extraTags: 'x' });
      return list(request);
    });
    expect(response.json()).toEqual([[25, 'some message', 'x success']]);
  });

  test('each shortcut adds at its level: debug 10, info 20, success 25, warning 30, error 40', async () => {
    const { client } = messagesApp({ messageLevel: messages.DEBUG });
    const response = await run(client, (request) => {
      messages.debug(request, 'd');
      messages.info(request, 'i');
      messages.success(request, 's');
      messages.warning(request, 'w');
      messages.error(request, 'e');
      return list(request);
    });
    expect(response.json()).toEqual([[10, 'd', 'debug'], [20, 'i', 'info'], [25, 's', 'success'], [30, 'w', 'warning'], [40, 'e', 'error']]);
  });

  test('an empty message is dropped, as Django\'s `if not message`', async () => {
    const { client } = messagesApp();
    const response = await run(client, (request) => {
      messages.info(request, '');
      return list(request);
    });
    expect(response.json()).toEqual([]);
    expect(response.cookies.has('messages')).toBe(false);
  });

  test('test_request_is_none: a value that is not a request is a TypeError naming its type', () => {
    expect(() => messages.addMessage(null as unknown as HttpRequest, messages.INFO, 'x')).toThrow(
      new TypeError("addMessage() argument must be an HttpRequest object, not 'null'."),
    );
    expect(() => messages.addMessage({} as HttpRequest, messages.INFO, 'x')).toThrow(
      new TypeError("addMessage() argument must be an HttpRequest object, not 'Object'."),
    );
  });

  test('test_middleware_missing: without MessageMiddleware, MessageFailure', async () => {
    const { client } = messagesApp({}, [SessionMiddleware]);
    const response = await run(client, (request) => {
      try {
        messages.error(request, 'x');
        return null;
      } catch (error) {
        return [error instanceof MessageFailure, (error as Error).name, (error as Error).message];
      }
    });
    expect(response.json()).toEqual([true, 'MessageFailure', 'You cannot add messages without installing MessageMiddleware.']);
  });

  test('test_middleware_missing_silently: with failSilently, nothing happens', async () => {
    const { client } = messagesApp({}, [SessionMiddleware]);
    const response = await run(client, (request) => {
      messages.warning(request, 'x', { failSilently: true });
      return [messages.setLevel(request, 10), messages.getLevel(request), [...messages.getMessages(request)]];
    });
    expect(response.json()).toEqual([false, 20, []]);
  });

  test('a level that is not an integer is a TypeError, not a stored NaN', async () => {
    const { client } = messagesApp();
    const response = await run(client, (request) => {
      try {
        messages.addMessage(request, Number('x'), 'x');
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(response.json()).toBe('A message level must be an integer, not NaN.');
  });
});
