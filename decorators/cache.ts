import 'reflect-metadata';
import type { HttpResponse } from '../src/http/http-response';
import { ImproperlyConfigured } from '../src/http/errors';
import {
  addNeverCacheHeaders,
  addVary,
  applyCacheControl,
  checkVaryNames,
  compileCacheControl,
  type CacheControlOptions,
} from '../src/http/cache-headers';
import { RESPONSE_PATCHES } from './metadata-keys';

/**
 * One change to a route's responses, made after the route answers (Django's view decorators
 * wrap the view and patch what it returns). Built once when the decorator runs.
 */
export type ResponsePatch = (response: HttpResponse) => void;

/** A decorator for a handler, or for a controller (then for each of its handlers). */
export type ResponsePatchDecorator = MethodDecorator & ClassDecorator;

function nameOf(target: object, propertyKey?: string | symbol): string {
  if (propertyKey === undefined) return (target as Function).name;
  return `${(target as { constructor: Function }).constructor.name}.${String(propertyKey)}`;
}

/**
 * A decorator adding `build()`'s patch to the method (or class). TypeScript runs stacked
 * decorators bottom-up, so the list is innermost first, the order Django's wrappers apply in.
 * `build` runs here, once, so bad options fail at start naming the decorator and the culprit.
 */
function patchDecorator(decorator: string, build: () => ResponsePatch): ResponsePatchDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    let patch: ResponsePatch;
    try {
      patch = build();
    } catch (error) {
      throw new ImproperlyConfigured(`${decorator} on ${nameOf(target, propertyKey)}: ${(error as Error).message}`);
    }
    // Own metadata only: a subclass's decorators must not append to its parent's list.
    const own: readonly ResponsePatch[] | undefined =
      propertyKey === undefined ? Reflect.getOwnMetadata(RESPONSE_PATCHES, target) : Reflect.getOwnMetadata(RESPONSE_PATCHES, target, propertyKey);
    const patches = [...(own ?? []), patch];
    if (propertyKey === undefined) Reflect.defineMetadata(RESPONSE_PATCHES, patches, target);
    else Reflect.defineMetadata(RESPONSE_PATCHES, patches, target, propertyKey);
  }) as ResponsePatchDecorator;
}

/**
 * Adds directives to the `Cache-Control` of the route's responses (Django's `@cache_control`,
 * through {@link patchCacheControl}'s rules: the smaller max-age wins, `public` replaces
 * `private` and vice versa). It patches whatever the route answers — the handler's response, a
 * guard's redirect, a @Condition 304 — but not an exception's error page, which is built
 * further out (as in Django, where the exception passes through the decorator).
 * @example
 * \@Get('/prices/')
 * \@CacheControl({ public: true, maxAge: 300, staleWhileRevalidate: 60 })
 * prices() { return { eur: 1.08 }; }
 */
export function CacheControl(options: CacheControlOptions): ResponsePatchDecorator {
  return patchDecorator('@CacheControl()', () => {
    const compiled = compileCacheControl(options);
    if (compiled.directives.length === 0) throw new TypeError('no directive given (e.g. { maxAge: 60 })');
    return (response) => applyCacheControl(response, compiled);
  });
}

/**
 * Tells every cache never to keep the route's responses (Django's `@never_cache`):
 * `Expires: <now>` unless set and `Cache-Control: max-age=0, no-cache, no-store,
 * must-revalidate, private`. For pages made for one user: account pages, forms with a token.
 * @example
 * \@Get('/account/')
 * \@NeverCache()
 * \@LoginRequired()
 * account(request: HttpRequest) { ... }
 */
export function NeverCache(): ResponsePatchDecorator {
  return patchDecorator('@NeverCache()', () => addNeverCacheHeaders);
}

/**
 * Adds the header names to the `Vary` of the route's responses (Django's `@vary_on_headers`):
 * a cache must key its copies on those request headers too. Names are case-insensitive.
 * @example
 * \@Get('/greeting/')
 * \@VaryOnHeaders('Accept-Language', 'User-Agent')
 * greeting(request: HttpRequest) { ... }
 */
export function VaryOnHeaders(...headers: string[]): ResponsePatchDecorator {
  return patchDecorator('@VaryOnHeaders()', () => {
    if (headers.length === 0) throw new TypeError('give at least one header name');
    checkVaryNames(headers);
    const names = Object.freeze([...headers]);
    return (response) => addVary(response, names);
  });
}

/**
 * `@VaryOnHeaders('Cookie')` (Django's `@vary_on_cookie`): the page depends on the visitor's
 * cookies (a session, a preference), so a cache keeps one copy per cookie header.
 * @example
 * \@Get('/')
 * \@VaryOnCookie()
 * home(request: HttpRequest) { ... }
 */
export function VaryOnCookie(): ResponsePatchDecorator {
  return patchDecorator('@VaryOnCookie()', () => varyOnCookie);
}

const COOKIE = Object.freeze(['Cookie']);
function varyOnCookie(response: HttpResponse): void {
  addVary(response, COOKIE);
}

/**
 * The patches of a handler, then those of its controller (the class decorator is the outer
 * one), or null when there are none: the route then pays nothing for them.
 */
export function getResponsePatches(controller: Function, propertyKey: string): readonly ResponsePatch[] | null {
  const method: readonly ResponsePatch[] = Reflect.getMetadata(RESPONSE_PATCHES, controller.prototype, propertyKey) ?? [];
  const cls: readonly ResponsePatch[] = Reflect.getMetadata(RESPONSE_PATCHES, controller) ?? [];
  return method.length + cls.length === 0 ? null : [...method, ...cls];
}
