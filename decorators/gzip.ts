import 'reflect-metadata';
import { toResponse } from '../src/core/response-mapping';
import type { HttpRequest } from '../src/http/http-request';
import type { HttpResponse } from '../src/http/http-response';
import { ResponseCompressor, type GZipOptions } from '../src/middleware/gzip';
import { GZIP_PAGE } from './metadata-keys';
import { getRouteMetadata } from './route';

/** A decorator for a handler, or for a controller (then every handler without its own). */
export type GzipPageDecorator = MethodDecorator & ClassDecorator;

type Handler = (this: unknown, ...args: unknown[]) => unknown;

/** A promise or any promise-like a handler may return. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

async function compressPending(compressor: ResponseCompressor, request: HttpRequest, pending: PromiseLike<unknown>, culprit: string): Promise<HttpResponse> {
  return compressor.compress(request, toResponse(await pending, culprit));
}

/**
 * Replaces the handler `propertyKey` of `proto` with one that compresses what it answers. The
 * compressor is built here, once per route, and kept under GZIP_PAGE, which also marks the
 * handler as wrapped (a method's own `@GzipPage` wins over its controller's).
 */
function wrapHandler(proto: object, propertyKey: string | symbol, descriptor: PropertyDescriptor, options: GZipOptions | undefined): void {
  if (Reflect.hasOwnMetadata(GZIP_PAGE, proto, propertyKey)) return;
  const handler = descriptor.value as Handler;
  const culprit = `${(proto as { constructor: Function }).constructor.name}.${String(propertyKey)}`;
  if (typeof handler !== 'function') throw new TypeError(`@GzipPage() on ${culprit}: not a method.`);
  const compressor = new ResponseCompressor(options);
  Reflect.defineMetadata(GZIP_PAGE, compressor, proto, propertyKey);
  // The handler's first argument is always the request (SPEC §2); the rest pass through.
  descriptor.value = function gzipPage(this: unknown, ...args: unknown[]): unknown {
    const result = handler.apply(this, args);
    const request = args[0] as HttpRequest;
    return isThenable(result) ? compressPending(compressor, request, result, culprit) : compressor.compress(request, toResponse(result, culprit));
  };
}

/**
 * Compresses this handler's responses (or every handler's of this controller) as
 * GZipMiddleware would, without the middleware: Django's `@gzip_page`, which is
 * `decorator_from_middleware(GZipMiddleware)`. Takes GZipMiddleware's options. It compresses
 * what the handler returns, before the route's other response decorators and the conditional
 * GET check run, so a `W/` ETag it made still matches `If-None-Match`; a response that already
 * has a `Content-Encoding` is left alone, so with GZipMiddleware installed too nothing is
 * compressed twice.
 * @example
 * \@Get('/report/')
 * \@GzipPage()
 * report() { return buildLargeReport(); }
 */
export function GzipPage(options?: GZipOptions): GzipPageDecorator {
  // Checked now, so that bad options fail when the module loads, naming the decorator.
  new ResponseCompressor(options);
  return ((target: object, propertyKey?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (propertyKey !== undefined && descriptor !== undefined) {
      wrapHandler(target, propertyKey, descriptor, options);
      return descriptor;
    }
    const proto = (target as Function).prototype as object;
    for (const route of getRouteMetadata(target as Function)) {
      const own = Object.getOwnPropertyDescriptor(proto, route.propertyKey);
      if (own === undefined) continue;
      wrapHandler(proto, route.propertyKey, own, options);
      Object.defineProperty(proto, route.propertyKey, own);
    }
    return undefined;
  }) as GzipPageDecorator;
}
