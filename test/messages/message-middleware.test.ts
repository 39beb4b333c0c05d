/**
 * Django's tests/messages_tests/test_middleware.py, and the messages in templates (Django's
 * `messages` context processor, tests/messages_tests/base.py test_full_request_response_cycle).
 *
 * test_response_without_messages (process_response tolerates a request without `_messages`) has
 * its counterpart below: a request that never touches messages decodes nothing and sets no cookie.
 */
import { render } from '../../src/core/templates';
import { resolveSettings } from '../../src/core/settings';
import { ImproperlyConfigured } from '../../src/http/errors';
import { CookieStorage } from '../../src/messages/cookie-storage';
import * as messages from '../../src/messages/messages';
import { messagesApp, run, templatesDir } from './messages-app';

afterEach(() => jest.restoreAllMocks());

describe('MessageMiddleware', () => {
  test('test_response_without_messages: a request that never touches messages reads no cookie, no session, sets nothing', async () => {
    const { client, store } = messagesApp();
    client.cookies.set('messages', 'tampered:value:sig');
    const load = jest.spyOn(store, 'load');
    const unsign = jest.spyOn(CookieStorage.prototype, 'decode');
    const response = await run(client, () => 'plain');
    expect(response.json()).toBe('plain');
    expect([...response.cookies.keys()]).toEqual([]);
    expect(unsign).not.toHaveBeenCalled();
    expect(load).not.toHaveBeenCalled();
  });

  test('messages survive a redirect and are shown once', async () => {
    const { client } = messagesApp();
    await run(client, (request) => messages.success(request, 'Your vote was recorded.'), 'POST');
    const first = await run(client, (request) => [...(messages.getMessages(request) as Iterable<unknown>)].map(String));
    expect(first.json()).toEqual(['Your vote was recorded.']);
    const second = await run(client, (request) => [...(messages.getMessages(request) as Iterable<unknown>)].map(String));
    expect(second.json()).toEqual([]);
  });
});

describe('messages in templates', () => {
  const dir = templatesDir({
    'list.html': '{% if messages.length %}<ul>{% for m in messages %}<li class="{{ m.tags }}">{{ m }}</li>{% endfor %}</ul>{% endif %}',
    'plain.html': '<p>{{ user }}</p>',
    'named.html': '{{ messages }}',
  });

  test('iterating messages in a template marks them used: shown once, cookie deleted', async () => {
    const { client } = messagesApp({ templatesDir: dir });
    await run(client, (request) => messages.warning(request, '<b>careful</b>', { extraTags: 'wide' }));
    const shown = await run(client, (request) => render(request, 'list.html'));
    expect(shown.text).toBe('<ul><li class="wide warning">&lt;b&gt;careful&lt;/b&gt;</li></ul>');
    expect(shown.cookies.get('messages')!.serialized).toBe('messages=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax');
    expect((await run(client, (request) => render(request, 'list.html'))).text).toBe('');
  });

  test('a template that does not iterate messages leaves them for the next page', async () => {
    const { client } = messagesApp({ templatesDir: dir });
    await run(client, (request) => messages.info(request, 'kept'));
    const decode = jest.spyOn(CookieStorage.prototype, 'decode');
    const plain = await run(client, (request) => render(request, 'plain.html'));
    expect(decode).not.toHaveBeenCalled();
    expect(plain.cookies.has('messages')).toBe(false);
    expect((await run(client, (request) => render(request, 'list.html'))).text).toBe('<ul><li class="info">kept</li></ul>');
  });

  test('without MessageMiddleware, messages in a template is an empty list', async () => {
    const { client } = messagesApp({ templatesDir: dir }, []);
    expect((await run(client, (request) => render(request, 'list.html'))).text).toBe('');
  });
});

describe('messages settings', () => {
  test('an unknown messageStorage fails at start-up, naming the setting', () => {
    expect(() => resolveSettings({ debug: true, messageStorage: 'RedisStorage' as never })).toThrow(
      new ImproperlyConfigured("The messageStorage setting must be one of 'FallbackStorage', 'CookieStorage', 'SessionStorage'."),
    );
  });

  test('a messageLevel that is not an integer fails at start-up', () => {
    expect(() => resolveSettings({ debug: true, messageLevel: '20' as never })).toThrow(
      new ImproperlyConfigured('The messageLevel setting must be an integer such as 20 (INFO).'),
    );
  });

  test('messageTags must map integer levels to strings', () => {
    expect(() => resolveSettings({ debug: true, messageTags: { error: 'danger' } as never })).toThrow(
      new ImproperlyConfigured("The messageTags setting must map integer levels to tags, such as { 40: 'danger' }."),
    );
  });
});
