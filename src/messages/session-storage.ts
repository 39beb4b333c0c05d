/**
 * Messages in the session (Django's django/contrib/messages/storage/session.py SessionStorage),
 * under the key '_messages' as the JSON text Django keeps there. Needs SessionMiddleware before
 * MessageMiddleware.
 */
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { ImproperlyConfigured } from '../http/errors';
import { BaseStorage, type StoredMessages } from './base-storage';
import { encodeMessages, reviveMessages } from './message-encoding';
import { Message } from './message';

/**
 * Stores the messages in `request.session`: no size limit beyond the session store's.
 * @example createApp({ controllers, middleware: [SessionMiddleware, MessageMiddleware], settings: { messageStorage: 'SessionStorage' } });
 */
export class SessionStorage extends BaseStorage {
  static readonly sessionKey = '_messages';

  constructor(request: HttpRequest) {
    if (request.session === undefined) {
      throw new ImproperlyConfigured(
        'The session-based temporary message storage requires SessionMiddleware to be installed, and come before MessageMiddleware in the middleware list.',
      );
    }
    super(request);
  }

  get(): StoredMessages {
    return { messages: this.deserialize(this.request.session.get(SessionStorage.sessionKey)), allRetrieved: true };
  }

  store(messages: Message[], _response: HttpResponse): Message[] {
    if (messages.length > 0) this.request.session.set(SessionStorage.sessionKey, encodeMessages(messages));
    else this.request.session.pop(SessionStorage.sessionKey, null);
    return [];
  }

  /** The session's text back into messages; anything that is not a message list reads as none. */
  private deserialize(data: unknown): Message[] | null {
    if (typeof data !== 'string' || data === '') return null;
    try {
      const value = reviveMessages(JSON.parse(data), this.levelTags);
      if (Array.isArray(value) && value.every((m) => m instanceof Message)) return value as Message[];
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    return null;
  }
}
