/**
 * The opt-in routes that serve the document and a docs page: `GET <prefix>/openapi.json` and
 * Swagger UI at `GET <prefix>/docs/`, its files read from the swagger-ui-dist package installed
 * beside the app (an optional dependency), never from a CDN. The JSON is serialized once per app,
 * on the first request; each Swagger UI file is read once, on its first request.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiExclude } from '../../decorators/openapi';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { escapeHtml } from '../core/page-text';
import { Http404, ImproperlyConfigured } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import { HttpResponse } from '../http/http-response';
import { openApiProviderFor, type OpenApiProvider } from './document-sources';
import type { OpenApiInfo } from './openapi-types';

/** Options of {@link openApiController}. */
export interface OpenApiControllerOptions {
  /** Where the routes live (default `/api`): `/api/openapi.json` and `/api/docs/`. */
  prefix?: string;
  /** The document's `info` (default `{ title: 'API', version: '1.0.0' }`). */
  info?: OpenApiInfo;
  /** Serve the Swagger UI page too (default true; needs the swagger-ui-dist package). */
  docs?: boolean;
}

/**
 * The Swagger UI files the page loads, by name: a fixed list, so the `<str:file>` parameter can
 * only ever name one of these (no path reaches the file system).
 */
const SWAGGER_FILES: ReadonlyMap<string, string> = new Map([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
  ['favicon-16x16.png', 'image/png'],
]);

/** The folder of the installed swagger-ui-dist, or an ImproperlyConfigured that says what to install. */
function swaggerUiFolder(): string {
  try {
    return dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    throw new ImproperlyConfigured(
      'openApiController() serves its docs page from the swagger-ui-dist package, which is not installed: run `npm install swagger-ui-dist`, or pass { docs: false }.',
    );
  }
}

function docsPage(title: string): string {
  // The page's script is a file of its own (swagger-initializer.js below), not inline, so a
  // Content-Security-Policy with `script-src 'self'` lets it run.
  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    `<title>${escapeHtml(title)}</title>\n` +
    '<link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">\n' +
    '<link rel="stylesheet" href="swagger-ui.css">\n</head>\n<body>\n<div id="swagger-ui"></div>\n' +
    '<script src="swagger-ui-bundle.js"></script>\n<script src="swagger-initializer.js"></script>\n</body>\n</html>\n'
  );
}

// The document is one level up from the page (`/api/docs/` -> `/api/openapi.json`), whatever the prefix.
const INITIALIZER = "window.ui = SwaggerUIBundle({ url: new URL('../openapi.json', window.location.href).href, dom_id: '#swagger-ui' });\n";

/**
 * A controller serving the app's OpenAPI document as JSON at `<prefix>/openapi.json` and a
 * Swagger UI page at `<prefix>/docs/`. Add it to the app's controllers to turn it on; it leaves
 * itself out of the document. The page's files come from the swagger-ui-dist package (an
 * optional dependency of reinhardt); without it, the app refuses to start unless `docs: false`.
 * @example
 * const app = createApp({
 *   controllers: [PollController, openApiController({ info: { title: 'Polls', version: '1.0.0' } })],
 *   settings: { secretKey: process.env.SECRET_KEY },
 * });
 * // GET /api/openapi.json, GET /api/docs/
 */
export function openApiController(options: OpenApiControllerOptions = {}): new () => object {
  const info = options.info;
  const folder = options.docs === false ? null : swaggerUiFolder();
  const documents = new WeakMap<OpenApiProvider, string>();
  const files = new Map<string, Buffer>();
  const title = `${info?.title ?? 'API'} documentation`;

  @Controller(options.prefix ?? '/api')
  @ApiExclude()
  class OpenApiController {
    @Get('/openapi.json', { name: 'openapi-schema' })
    schema(request: HttpRequest): HttpResponse {
      const provider = openApiProviderFor(request.settings);
      if (provider === null) throw new Http404('No app serves this request.');
      let json = documents.get(provider);
      if (json === undefined) documents.set(provider, (json = JSON.stringify(provider.openapi(info))));
      return new HttpResponse(json, { contentType: 'application/json' });
    }

    @Get('/docs/', { name: 'openapi-docs' })
    docs(): HttpResponse {
      if (folder === null) throw new Http404('The docs page is off.');
      return new HttpResponse(docsPage(title));
    }

    @Get('/docs/<str:file>')
    asset(request: HttpRequest, file: string): HttpResponse {
      if (folder === null) throw new Http404('The docs page is off.');
      if (file === 'swagger-initializer.js') return new HttpResponse(INITIALIZER, { contentType: 'text/javascript; charset=utf-8' });
      const contentType = SWAGGER_FILES.get(file);
      if (contentType === undefined) throw new Http404(`No file ${file}.`);
      let content = files.get(file);
      if (content === undefined) files.set(file, (content = readFileSync(join(folder, file))));
      return new HttpResponse(content, { contentType, headers: { 'Cache-Control': 'public, max-age=86400' } });
    }
  }
  return OpenApiController;
}
