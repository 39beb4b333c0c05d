/**
 * Django's django/contrib/messages/middleware.py: gives each request a message storage and, on the
 * way out, stores what was added and not read. Put it after SessionMiddleware (the session and
 * fallback storages use the session, which SessionMiddleware saves after this has run).
 *
 * Not in the default middleware stack: Reinhardt's default mirrors Django's handler, not its
 * `startproject` template, so an app opts in.
 */
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { attachStorage, defaultStorage } from './request-messages';
import type { BaseStorage } from './base-storage';

/**
 * Makes `messages.success(request, ...)` work and keeps the messages until they are read.
 * @example createApp({ controllers, middleware: [SessionMiddleware, AuthenticationMiddleware, MessageMiddleware, CsrfMiddleware] });
 */
@injectable()
export class MessageMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  /** Synchronous when the rest of the pipeline is: storing messages never awaits. */
  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    // Constructing a storage reads nothing: the cookie or session is decoded only when messages are read.
    const storage = defaultStorage(request);
    attachStorage(request, storage);
    const response = next(request);
    if (response instanceof Promise) return MessageMiddleware.processLater(request, storage, response);
    return MessageMiddleware.processResponse(request, storage, response);
  }

  private static async processLater(request: HttpRequest, storage: BaseStorage, pending: Promise<HttpResponse>): Promise<HttpResponse> {
    return MessageMiddleware.processResponse(request, storage, await pending);
  }

  private static processResponse(request: HttpRequest, storage: BaseStorage, response: HttpResponse): HttpResponse {
    const unstored = storage.update(response);
    // Django raises only under DEBUG: in production an overflowing message is dropped, not a 500.
    if (unstored.length > 0 && request.settings.debug) throw new Error('Not all temporary messages could be stored.');
    return response;
  }
}
