/**
 * Django's tests/messages_tests/base.py (BaseTests), run against each storage through the Client:
 * every test goes through SessionMiddleware and MessageMiddleware and reads what the next request
 * sees, as a user would.
 *
 * Not translated (no counterpart here):
 * - test_add_lazy_translation: no lazy translation objects; a message is text.
 * - test_with_template_response: no TemplateResponse; rendering is eager (the template test below covers reads).
 * - test_repr: no repr; `String(message)` is covered by test_tags.
 * - test_middleware_disabled_anon_user(_fail_silently): no user.message_set API to fall back to.
 */
import type { Settings } from '../../src/core/settings';
import type { HttpRequest } from '../../src/http/http-request';
import { render } from '../../src/core/templates';
import { HttpResponseRedirect } from '../../src/http/response-redirects';
import * as messages from '../../src/messages/messages';
import { MessageFailure } from '../../src/messages/api';
import type { BaseStorage } from '../../src/messages/base-storage';
import { CookieStorage } from '../../src/messages/cookie-storage';
import { FallbackStorage } from '../../src/messages/fallback-storage';
import { SessionStorage } from '../../src/messages/session-storage';
import { SessionMiddleware } from '../../src/sessions/session-middleware';
import type { Client } from '../../src/testing/client';
import { messagesApp, run, templatesDir } from './messages-app';

const CLASSES = { CookieStorage, SessionStorage, FallbackStorage };

/** The messages the storage now holds for `client`, read by a fresh storage (marks nothing used). */
export async function storedMessages(client: Client, storage: Settings['messageStorage']): Promise<string[]> {
  const response = await run(client, (request) => (new CLASSES[storage](request).get().messages ?? []).map((m) => `${m.level}:${m.message}`));
  return response.json<string[]>();
}

/** Adds `texts` (INFO) in one request; MessageMiddleware stores them on the way out. */
export async function seed(client: Client, ...texts: string[]): Promise<void> {
  await run(client, (request) => {
    for (const text of texts) messages.info(request, text);
  });
}

function read(request: HttpRequest): string[] {
  return [...(messages.getMessages(request) as Iterable<{ message: string }>)].map((m) => m.message);
}

export function storageContract(storage: Settings['messageStorage']) {
  const setup = (settings: Partial<Settings> = {}) => messagesApp({ messageStorage: storage, ...settings });

  describe(`${storage}: Django's BaseTests`, () => {
    test('test_add: added messages are counted and flagged new', async () => {
      const { client } = setup();
      const response = await run(client, (request) => {
        const s = messages.getMessages(request) as BaseStorage;
        const before = s.addedNew;
        messages.info(request, 'Test message 1');
        messages.info(request, 'Test message 2', { extraTags: 'tag' });
        return { before, after: s.addedNew, length: s.length };
      });
      expect(response.json()).toEqual({ before: false, after: true, length: 2 });
    });

    test('test_no_update: a request that adds and reads nothing stores nothing and sets no cookie', async () => {
      const { client } = setup();
      const response = await run(client, () => ({ ok: true }));
      expect([...response.cookies.keys()]).toEqual([]);
      expect(await storedMessages(client, storage)).toEqual([]);
    });

    test('test_add_update: added messages are stored for the next request', async () => {
      const { client } = setup();
      await run(client, (request) => {
        messages.info(request, 'Test message 1');
        messages.info(request, 'Test message 1', { extraTags: 'tag' });
      });
      expect(await storedMessages(client, storage)).toEqual(['20:Test message 1', '20:Test message 1']);
    });

    test('test_existing_add_read_update: messages added, then all read, leave nothing stored', async () => {
      const { client } = setup();
      await seed(client, 'Test message 1');
      await run(client, (request) => {
        messages.info(request, 'Test message 3');
        read(request);
      });
      expect(await storedMessages(client, storage)).toEqual([]);
    });

    test('test_existing_read_add_update: a message added after reading is the one stored', async () => {
      const { client } = setup();
      await seed(client, 'Test message 1');
      const response = await run(client, (request) => {
        const seen = read(request);
        messages.info(request, 'Test message 3');
        return seen;
      });
      expect(response.json()).toEqual(['Test message 1']);
      expect(await storedMessages(client, storage)).toEqual(['20:Test message 3']);
    });

    test('test_full_request_response_cycle: messages added before a redirect show once on the next page', async () => {
      const dir = templatesDir({ 'show.html': '{% for m in messages %}<li class="{{ m.tags }}">{{ m }}</li>{% endfor %}' });
      const { client } = setup({ templatesDir: dir });
      const posted = await run(client, (request) => {
        for (const text of ['Test <one>', 'Test two']) messages.success(request, text);
        return new HttpResponseRedirect('/m/run/');
      }, 'POST');
      expect(posted.statusCode).toBe(302);
      const shown = await run(client, (request) => render(request, 'show.html'));
      expect(shown.text).toBe('<li class="success">Test &lt;one&gt;</li><li class="success">Test two</li>');
      const again = await run(client, (request) => render(request, 'show.html'));
      expect(again.text).toBe('');
    });

    test('test_context_processor_message_levels: DEFAULT_MESSAGE_LEVELS is in every template context', async () => {
      const dir = templatesDir({ 'levels.html': '{{ DEFAULT_MESSAGE_LEVELS.DEBUG }} {{ DEFAULT_MESSAGE_LEVELS.SUCCESS }} {{ DEFAULT_MESSAGE_LEVELS.ERROR }}' });
      const { client } = setup({ templatesDir: dir });
      expect((await run(client, (request) => render(request, 'levels.html'))).text).toBe('10 25 40');
    });

    test('test_multiple_posts: messages from several requests are all shown on the next read', async () => {
      const { client } = setup();
      await seed(client, 'first');
      await seed(client, 'second');
      await seed(client, 'third');
      expect((await run(client, read)).json()).toEqual(['first', 'second', 'third']);
      expect((await run(client, read)).json()).toEqual([]);
    });

    test('test_middleware_disabled: adding without MessageMiddleware throws MessageFailure', async () => {
      const { client } = messagesApp({ messageStorage: storage }, [SessionMiddleware]);
      const response = await run(client, (request) => {
        try {
          messages.info(request, 'lost');
          return 'added';
        } catch (error) {
          return [error instanceof MessageFailure, (error as Error).message];
        }
      });
      expect(response.json()).toEqual([true, 'You cannot add messages without installing MessageMiddleware.']);
    });

    test('test_middleware_disabled_fail_silently: with failSilently nothing is thrown, and getMessages is empty', async () => {
      const { client } = messagesApp({ messageStorage: storage }, [SessionMiddleware]);
      const response = await run(client, (request) => {
        messages.info(request, 'lost', { failSilently: true });
        return [...messages.getMessages(request)];
      });
      expect(response.json()).toEqual([]);
    });

    test('test_get: stored messages read back in order, with level and text', async () => {
      const { client } = setup();
      await run(client, (request) => {
        messages.info(request, 'Test message 1');
        messages.error(request, 'Test message 2', { extraTags: 'tag' });
      });
      const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map((m) => [m.level, m.message, m.tags]));
      expect(response.json()).toEqual([[20, 'Test message 1', 'info'], [40, 'Test message 2', 'tag error']]);
    });

    test('test_existing_read: reading leaves the messages readable until the response, then they are gone', async () => {
      const { client } = setup();
      await seed(client, 'Test message 1');
      const response = await run(client, (request) => [read(request), read(request)]);
      expect(response.json()).toEqual([['Test message 1'], ['Test message 1']]);
      expect(await storedMessages(client, storage)).toEqual([]);
    });

    test('test_existing_add: adding to stored messages without reading keeps both', async () => {
      const { client } = setup();
      await seed(client, 'Test message 1');
      await run(client, (request) => messages.info(request, 'Test message 3'));
      expect(await storedMessages(client, storage)).toEqual(['20:Test message 1', '20:Test message 3']);
    });

    test('test_default_level: the default minimum is INFO, so debug messages are dropped', async () => {
      const { client } = setup();
      const response = await run(client, (request) => {
        const level = messages.getLevel(request);
        messages.debug(request, 'dropped');
        messages.info(request, 'kept');
        return [level, read(request)];
      });
      expect(response.json()).toEqual([20, ['kept']]);
    });

    test('test_low_level: setLevel(5) records a level-5 message', async () => {
      const { client } = setup();
      const response = await run(client, (request) => {
        const set = messages.setLevel(request, 5);
        messages.addMessage(request, 5, 'A low-level message');
        return [set, messages.getLevel(request), read(request)];
      });
      expect(response.json()).toEqual([true, 5, ['A low-level message']]);
    });

    test('test_high_level: setLevel(30) drops info and success, keeps warning and error', async () => {
      const { client } = setup();
      const response = await run(client, (request) => {
        messages.setLevel(request, 30);
        messages.info(request, 'info');
        messages.success(request, 'success');
        messages.warning(request, 'warning');
        messages.error(request, 'error');
        messages.addMessage(request, 29, 'just below');
        return read(request);
      });
      expect(response.json()).toEqual(['warning', 'error']);
    });

    test('test_settings_level: the messageLevel setting is the minimum; setLevel(null) returns to it', async () => {
      const { client } = setup({ messageLevel: 29 });
      const response = await run(client, (request) => {
        const fromSetting = messages.getLevel(request);
        messages.setLevel(request, 40);
        messages.setLevel(request, null);
        messages.addMessage(request, 28, 'below');
        messages.addMessage(request, 29, 'at');
        messages.warning(request, 'above');
        return [fromSetting, messages.getLevel(request), read(request)];
      });
      expect(response.json()).toEqual([29, 29, ['at', 'above']]);
    });

    test('test_tags: each message prints as its text and carries extra tags then the level tag', async () => {
      const { client } = setup();
      await run(client, (request) => {
        messages.setLevel(request, 0);
        messages.addMessage(request, 1, 'A generic message');
        messages.debug(request, 'A debugging message', { extraTags: 'extra-tag' });
        messages.info(request, 'An informational message');
        messages.success(request, 'A success message', { extraTags: '' });
        messages.warning(request, 'A warning');
        messages.error(request, 'An error');
      });
      const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map((m) => [String(m), m.tags]));
      expect(response.json()).toEqual([
        ['A generic message', ''],
        ['A debugging message', 'extra-tag debug'],
        ['An informational message', 'info'],
        ['A success message', 'success'],
        ['A warning', 'warning'],
        ['An error', 'error'],
      ]);
    });

    test('test_level_tag: levelTag is the level\'s tag alone', async () => {
      const { client } = setup();
      const response = await run(client, (request) => {
        messages.setLevel(request, 0);
        messages.addMessage(request, 1, 'A generic message');
        messages.debug(request, 'A debugging message', { extraTags: 'extra-tag' });
        messages.success(request, 'A success message');
        return [...(messages.getMessages(request) as BaseStorage)].map((m) => m.levelTag);
      });
      expect(response.json()).toEqual(['', 'debug', 'success']);
    });

    test('test_custom_tags: the messageTags setting renames and adds tags, also on messages read back', async () => {
      const { client } = setup({ messageTags: { 20: 'info', 10: 'dbg', 30: '', 40: 'bad', 12: 'custom' } });
      await run(client, (request) => {
        messages.setLevel(request, 0);
        messages.addMessage(request, 12, 'A custom level');
        messages.debug(request, 'A debugging message', { extraTags: 'extra-tag' });
        messages.info(request, 'An informational message');
        messages.success(request, 'A success message');
        messages.warning(request, 'A warning');
        messages.error(request, 'An error');
      });
      const response = await run(client, (request) => [...(messages.getMessages(request) as BaseStorage)].map((m) => m.tags));
      expect(response.json()).toEqual(['custom', 'extra-tag dbg', 'info', 'success', '', 'bad']);
    });
  });
}
