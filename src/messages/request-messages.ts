/**
 * Which storage holds a request's messages (Django's `request._messages`). Kept beside the request
 * rather than on it, so a request served without MessageMiddleware carries nothing extra.
 */
import type { HttpRequest } from '../http/http-request';
import type { BaseStorage } from './base-storage';
import { CookieStorage } from './cookie-storage';
import { FallbackStorage } from './fallback-storage';
import type { MessageStorageName } from './message-settings';
import { SessionStorage } from './session-storage';

const storages = new WeakMap<HttpRequest, BaseStorage>();

const STORAGE_CLASSES: Record<MessageStorageName, new (request: HttpRequest) => BaseStorage> = {
  FallbackStorage,
  CookieStorage,
  SessionStorage,
};

/** A new storage of the `messageStorage` setting's kind for `request` (Django's `default_storage`). */
export function defaultStorage(request: HttpRequest): BaseStorage {
  return new STORAGE_CLASSES[request.settings.messageStorage](request);
}

/** The storage MessageMiddleware attached, or undefined without it. */
export function requestStorage(request: HttpRequest): BaseStorage | undefined {
  return storages.get(request);
}

/** Attaches `storage` to `request` (MessageMiddleware does this first thing). */
export function attachStorage(request: HttpRequest, storage: BaseStorage): void {
  storages.set(request, storage);
}
