/**
 * The contract of every message storage (Django's django/contrib/messages/storage/base.py
 * BaseStorage). A storage loads nothing until the messages are read (`_loaded_messages` in
 * Django), so a request that adds none and reads none costs no decode; `update()` writes back
 * only when messages were read (the unread rest) or added.
 */
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { levelTags } from './constants';
import { Message } from './message';

/** What `get()` read: the messages (null when there was nothing to read or it did not verify), and whether that was all. */
export interface StoredMessages {
  messages: Message[] | null;
  allRetrieved: boolean;
}

/**
 * A message storage: iterate it to read (and so consume) the messages.
 * @example
 * class HeaderStorage extends BaseStorage {
 *   get() { return { messages: [], allRetrieved: true }; }
 *   store(messages: Message[]) { return messages; }
 * }
 */
export abstract class BaseStorage implements Iterable<Message> {
  /** Messages were iterated: the next `update()` stores only the unread ones added since. */
  used: boolean;
  /** A message was added during this request. */
  addedNew: boolean;
  protected readonly request: HttpRequest;
  protected readonly settings: Readonly<Settings>;
  private queued: Message[];
  private loaded: Message[] | null;
  private ownLevel: number | null;

  constructor(request: HttpRequest) {
    this.request = request;
    this.settings = request.settings;
    this.used = false;
    this.addedNew = false;
    this.queued = [];
    this.loaded = null;
    this.ownLevel = null;
  }

  /** The stored messages (Django's `_get`): called at most once per request, on first read. */
  abstract get(): StoredMessages;

  /**
   * Stores `messages` on `response` (Django's `_store`); returns the ones it could not store.
   * An empty list clears what is stored.
   */
  abstract store(messages: Message[], response: HttpResponse): Message[];

  /** The stored messages, read on first use. */
  protected get loadedMessages(): Message[] {
    return (this.loaded ??= this.get().messages ?? []);
  }

  /** How many messages there are, stored and added (Django's `__len__`); reads the storage. */
  get length(): number {
    return this.loadedMessages.length + this.queued.length;
  }

  /** Reading marks the messages used: they are gone after this response (Django's `__iter__`). */
  [Symbol.iterator](): Iterator<Message> {
    this.used = true;
    if (this.queued.length > 0) {
      this.loadedMessages.push(...this.queued);
      this.queued = [];
    }
    return this.loadedMessages[Symbol.iterator]();
  }

  /** Whether an equal message (same level and text) is stored or queued. */
  includes(message: Message): boolean {
    return this.loadedMessages.some((m) => m.equals(message)) || this.queued.some((m) => m.equals(message));
  }

  /**
   * Called by MessageMiddleware on the way out (Django's `update`): stores the unread messages and
   * returns the ones that did not fit. Nothing happens when the messages were neither read nor added.
   */
  update(response: HttpResponse): Message[] {
    if (this.used) return this.store(this.queued, response);
    if (this.addedNew) return this.store([...this.loadedMessages, ...this.queued], response);
    return [];
  }

  /**
   * Queues a message (Django's `add`). Empty text and levels below `level` are dropped silently.
   */
  add(level: number, message: string, extraTags: string | null = ''): void {
    if (message === '' || message === null || message === undefined) return;
    if (!Number.isInteger(level)) throw new TypeError(`A message level must be an integer, not ${String(level)}.`);
    if (level < this.level) return;
    this.addedNew = true;
    this.queued.push(new Message(level, message, extraTags, levelTags(this.settings).get(level) ?? ''));
  }

  /** The minimum level recorded: set on this storage, else the `messageLevel` setting. */
  get level(): number {
    return this.ownLevel ?? this.settings.messageLevel;
  }

  /** A number sets the minimum for this request; null goes back to the `messageLevel` setting. */
  set level(value: number | null) {
    if (value !== null && !Number.isInteger(value)) throw new TypeError(`A message level must be an integer, not ${String(value)}.`);
    this.ownLevel = value;
  }

  /** The messages' tags under this app's `messageTags` (for subclasses that decode messages). */
  protected get levelTags(): ReadonlyMap<number, string> {
    return levelTags(this.settings);
  }
}
