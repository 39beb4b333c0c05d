import 'reflect-metadata';
import type { EtagFunction, LastModifiedFunction, ViewConditions } from '../src/core/view-conditions';
import { ImproperlyConfigured } from '../src/http/errors';
import { CONDITIONS } from './metadata-keys';

/** The functions of `@Condition`: either or both. */
export interface ConditionOptions {
  /** The resource's current ETag (quoted or not), or null when it does not exist. */
  etag?: EtagFunction;
  /** When the resource last changed, or null when it does not exist. */
  lastModified?: LastModifiedFunction;
}

/**
 * Stores the functions on the method, merged with those of another conditional decorator on it
 * (`@ETag(...)` above `@LastModified(...)` is `@Condition({ etag, lastModified })`); two
 * functions for the same validator are a mistake, named at start.
 */
function addConditions(target: object, propertyKey: string | symbol, options: ConditionOptions): void {
  const culprit = `${(target as { constructor: Function }).constructor.name}.${String(propertyKey)}`;
  const etag = options.etag ?? null;
  const lastModified = options.lastModified ?? null;
  if (etag === null && lastModified === null) {
    throw new ImproperlyConfigured(`@Condition on ${culprit} needs an etag or a lastModified function.`);
  }
  const existing: ViewConditions | undefined = Reflect.getMetadata(CONDITIONS, target, propertyKey);
  if (existing !== undefined && ((etag !== null && existing.etag !== null) || (lastModified !== null && existing.lastModified !== null))) {
    throw new ImproperlyConfigured(`${culprit} has two ${etag !== null && existing.etag !== null ? 'ETag' : 'Last-Modified'} functions.`);
  }
  const conditions: ViewConditions = {
    etag: etag ?? existing?.etag ?? null,
    lastModified: lastModified ?? existing?.lastModified ?? null,
  };
  Reflect.defineMetadata(CONDITIONS, conditions, target, propertyKey);
}

/**
 * Conditional view processing (Django's `@condition`): the functions compute the resource's
 * current ETag and/or Last-Modified from the request and the route's parameters (they may be
 * async) and run before the handler — after the guards, before the body is read. Then, as RFC
 * 9110 §13.2.2 orders: a failed `If-Match` / `If-Unmodified-Since` answers 412 and a matching
 * `If-None-Match` / `If-Modified-Since` answers 304 (412 for other methods than GET and HEAD)
 * *without running the handler*, so a `PUT` with a stale ETag changes nothing. A GET or HEAD
 * response gets the computed `ETag` / `Last-Modified` unless the handler set its own.
 * @example
 * \@Put('/<int:id>/')
 * \@Condition({ etag: (request, { id }) => polls.version(id), lastModified: (request, { id }) => polls.updatedAt(id) })
 * update(request: HttpRequest, id: number) { ... }
 */
export function Condition(options: ConditionOptions): MethodDecorator {
  return (target, propertyKey) => addConditions(target, propertyKey, options);
}

/**
 * `@Condition({ etag })` (Django's `@etag`): the handler runs only when the request's
 * `If-Match` / `If-None-Match` allow it.
 * @example
 * \@Get('/<int:id>/')
 * \@ETag((request, { id }) => `poll-${id}-v${polls.get(id).version}`)
 * detail(request: HttpRequest, id: number) { ... }
 */
export function ETag(etag: EtagFunction): MethodDecorator {
  return Condition({ etag });
}

/**
 * `@Condition({ lastModified })` (Django's `@last_modified`): the handler runs only when the
 * request's `If-Modified-Since` / `If-Unmodified-Since` allow it.
 * @example
 * \@Get('/<int:id>/')
 * \@LastModified(async (request, { id }) => (await polls.find(id))?.updatedAt)
 * detail(request: HttpRequest, id: number) { ... }
 */
export function LastModified(lastModified: LastModifiedFunction): MethodDecorator {
  return Condition({ lastModified });
}

/** The conditions declared on a method, or null (the route then pays nothing for them). */
export function getConditions(target: object, propertyKey: string): ViewConditions | null {
  return Reflect.getMetadata(CONDITIONS, target, propertyKey) ?? null;
}
