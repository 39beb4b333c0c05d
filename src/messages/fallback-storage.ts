/**
 * Django's default storage (django/contrib/messages/storage/fallback.py FallbackStorage): the
 * cookie first, so most redirects carry their message without a session write; what does not fit
 * in the cookie goes to the session.
 */
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { BaseStorage, type StoredMessages } from './base-storage';
import { CookieStorage } from './cookie-storage';
import type { Message } from './message';
import { SessionStorage } from './session-storage';

/**
 * Reads the cookie, then the session when the cookie says it is not finished; stores into the
 * cookie keeping the oldest, and the rest into the session.
 * @example createApp({ controllers, middleware: [SessionMiddleware, MessageMiddleware] }); // messageStorage 'FallbackStorage'
 */
export class FallbackStorage extends BaseStorage {
  private readonly cookie: CookieStorage;
  private readonly session: SessionStorage;
  /** The storages that held messages when read: only these are cleared on the way out. */
  private readonly usedStorages = new Set<BaseStorage>();

  constructor(request: HttpRequest) {
    super(request);
    this.cookie = new CookieStorage(request);
    this.session = new SessionStorage(request);
  }

  get(): StoredMessages {
    const all: Message[] = [];
    let allRetrieved = false;
    for (const storage of [this.cookie, this.session]) {
      const read = storage.get();
      allRetrieved = read.allRetrieved;
      // Nothing (or nothing valid) in the cookie: the session is not read either (Django breaks here).
      if (read.messages === null) break;
      if (read.messages.length > 0) this.usedStorages.add(storage);
      all.push(...read.messages);
      if (allRetrieved) break;
    }
    return { messages: all, allRetrieved };
  }

  store(messages: Message[], response: HttpResponse): Message[] {
    let rest = messages;
    const cookieHad = this.usedStorages.has(this.cookie);
    if (rest.length > 0) rest = this.cookie.store(rest, response, false);
    else if (cookieHad) this.clear(this.cookie, response);
    if (rest.length > 0) rest = this.session.store(rest, response);
    else if (this.usedStorages.has(this.session)) this.clear(this.session, response);
    return rest;
  }

  private clear(storage: BaseStorage, response: HttpResponse): void {
    storage.store([], response);
    this.usedStorages.delete(storage);
  }
}
