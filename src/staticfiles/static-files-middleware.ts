/**
 * Serving static files from the app (whitenoise's WhiteNoiseMiddleware: this file only turns
 * settings into a {@link StaticFileTable}; serving rules live there).
 */
import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { applyConditional } from '../core/conditional';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { HttpResponseNotAllowed } from '../http/response-subclasses';
import { immutableNames } from './manifest';
import { staticStorage } from './static-storage';
import { StaticFileTable, chooseVariant, variantResponse } from './static-file-table';

/** whitenoise's default max-age for files that are not immutable: short, so a deploy shows within a minute. */
export const STATIC_MAX_AGE = 60;

const tables = new WeakMap<object, StaticFileTable>();

/**
 * The table for `settings`, scanned once: `staticRoot` (after `collectstatic`), then — with
 * `debug`, or when there is no `staticRoot` — `staticDirs` over it, the first folder winning.
 * The start-up check builds it; a middleware gets no settings before its first request, so
 * without the checks (a command that defers them) the first request builds it.
 * @internal
 */
export function staticFileTable(settings: Readonly<Settings>): StaticFileTable {
  let table = tables.get(settings);
  if (table === undefined) {
    const storage = staticStorage(settings);
    const manifest = storage.manifest;
    const immutable = manifest === null ? new Set<string>() : immutableNames(manifest);
    table = new StaticFileTable({ maxAge: STATIC_MAX_AGE, isImmutable: (name) => immutable.has(name) });
    if (storage.root !== null) table.addFolder(storage.root, storage.prefix);
    if (settings.debug || storage.root === null) {
      // Reverse order with override: the first of staticDirs wins, and wins over staticRoot.
      for (let i = storage.dirs.length - 1; i >= 0; i--) table.addFolder(storage.dirs[i], storage.prefix, true);
    }
    tables.set(settings, table);
  }
  return table;
}

/**
 * Serves the files under `staticUrl`: from `staticRoot` (what `reinhardt collectstatic` wrote)
 * and, with `debug` or without a `staticRoot`, from `staticDirs`. Put it right after
 * SecurityMiddleware, so static files skip sessions, CSRF and auth but keep the security
 * headers. For each file: Content-Type, Content-Length, Last-Modified, a strong ETag, 304 to
 * If-None-Match / If-Modified-Since, 206/416 to Range, HEAD, a `.br`/`.gz` copy chosen by
 * Accept-Encoding (with `Vary: Accept-Encoding`), and `Cache-Control: max-age=31536000,
 * immutable` for names the manifest hashed, `max-age=60, public` for the rest. Another method
 * on a file: 405. A URL under `staticUrl` that names no file goes on to the app, whose 404
 * answers (as whitenoise).
 *
 * The folders are scanned once, when the app starts (static-checks.ts), into a map; a request is
 * then a lookup of its decoded path, so no URL reaches the disk: `..`, `%2e%2e`, `%2F`, `\`, NUL
 * or a link out of the folder simply match nothing. Restart to pick up new files (runserver does
 * on change).
 * @example
 * createApp({
 *   controllers,
 *   middleware: [SecurityMiddleware, StaticFilesMiddleware, SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware],
 *   settings: { staticDirs: ['static'], staticRoot: 'staticfiles' },
 * });
 */
@injectable()
export class StaticFilesMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    const path = request.path;
    const settings = request.settings;
    if (!path.startsWith(staticStorage(settings).prefix)) return next(request);
    const file = staticFileTable(settings).get(path);
    if (file === undefined) return next(request);
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD') return new HttpResponseNotAllowed(['GET', 'HEAD']);
    // A Range counts bytes of the file itself: resuming a download must not depend on which
    // compressed copy the first attempt was given.
    const headers = request.headers;
    const variant = headers.get('range') ? file.identity : chooseVariant(file, headers.get('accept-encoding') ?? undefined);
    return applyConditional(request, variantResponse(variant));
  }
}
