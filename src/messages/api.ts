/**
 * The functions views call (Django's django/contrib/messages/api.py):
 * `messages.success(request, 'Voted')`, `messages.getMessages(request)`, levels.
 */
import type { HttpRequest } from '../http/http-request';
import { ReinhardtError } from '../http/errors';
import type { BaseStorage } from './base-storage';
import { DEBUG, ERROR, INFO, SUCCESS, WARNING } from './constants';
import type { Message } from './message';
import { defaultStorage, requestStorage } from './request-messages';

/**
 * A message was added on a request that has no storage (MessageMiddleware is not installed).
 * @example
 * try { messages.info(request, 'Saved'); } catch (error) { if (!(error instanceof MessageFailure)) throw error; }
 */
export class MessageFailure extends ReinhardtError {}

/** Options of `addMessage` and the level shortcuts. */
export interface AddMessageOptions {
  /** Extra space-separated tags, before the level's tag in `message.tags`. Default ''. */
  extraTags?: string;
  /** Without MessageMiddleware, do nothing instead of throwing MessageFailure. */
  failSilently?: boolean;
}

/**
 * Queues a message for the next page that reads them (Django's `add_message`). Below the
 * request's level, or with empty text, it is dropped.
 * @example addMessage(request, 35, 'Disk almost full', { extraTags: 'disk' });
 */
export function addMessage(request: HttpRequest, level: number, message: string, options: AddMessageOptions = {}): void {
  const storage = requestStorage(request);
  if (storage === undefined) {
    if (typeof request !== 'object' || request === null || !('META' in request)) {
      throw new TypeError(`addMessage() argument must be an HttpRequest object, not '${describe(request)}'.`);
    }
    if (options.failSilently === true) return;
    throw new MessageFailure('You cannot add messages without installing MessageMiddleware.');
  }
  storage.add(level, message, options.extraTags ?? '');
}

/**
 * The request's messages: iterating them marks them read, so they are not shown again (Django's
 * `get_messages`). An empty list without MessageMiddleware.
 * @example for (const message of getMessages(request)) lines.push(`${message.tags}: ${message}`);
 */
export function getMessages(request: HttpRequest): BaseStorage | readonly Message[] {
  return requestStorage(request) ?? [];
}

/**
 * The minimum level recorded for this request (Django's `get_level`): set by `setLevel`, else the
 * `messageLevel` setting.
 * @example if (getLevel(request) <= DEBUG) debug(request, 'cache miss');
 */
export function getLevel(request: HttpRequest): number {
  return (requestStorage(request) ?? defaultStorage(request)).level;
}

/**
 * Sets the minimum level for this request; null returns to the `messageLevel` setting. False
 * without MessageMiddleware (Django's `set_level`).
 * @example setLevel(request, DEBUG);
 */
export function setLevel(request: HttpRequest, level: number | null): boolean {
  const storage = requestStorage(request);
  if (storage === undefined) return false;
  storage.level = level;
  return true;
}

/** @example debug(request, 'Took the slow path'); */
export function debug(request: HttpRequest, message: string, options?: AddMessageOptions): void {
  addMessage(request, DEBUG, message, options);
}

/** @example info(request, 'Three new comments'); */
export function info(request: HttpRequest, message: string, options?: AddMessageOptions): void {
  addMessage(request, INFO, message, options);
}

/** @example success(request, 'Your vote was recorded.'); */
export function success(request: HttpRequest, message: string, options?: AddMessageOptions): void {
  addMessage(request, SUCCESS, message, options);
}

/** @example warning(request, 'Your account expires in three days.'); */
export function warning(request: HttpRequest, message: string, options?: AddMessageOptions): void {
  addMessage(request, WARNING, message, options);
}

/** @example error(request, 'The upload failed.'); */
export function error(request: HttpRequest, message: string, options?: AddMessageOptions): void {
  addMessage(request, ERROR, message, options);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'Object';
}
