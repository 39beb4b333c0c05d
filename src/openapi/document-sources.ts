/**
 * Which app's document a request asks for: the served `/openapi.json` route (openapi-views.ts)
 * runs inside an app it cannot import, so each app records itself here under its settings object,
 * which every request carries (as routes-by-settings.ts does for routers). Nothing is built until
 * the document is first asked for.
 */
import type { Settings } from '../core/settings';
import type { OpenApiDocument, OpenApiInfo } from './openapi-types';

/** What the served route needs of an app: its `openapi()`. */
export interface OpenApiProvider {
  openapi(info?: OpenApiInfo): OpenApiDocument;
}

const providers = new WeakMap<Readonly<Settings>, OpenApiProvider>();

/**
 * Records the app whose settings these are (the Application does, once, when it starts).
 * @internal
 */
export function registerOpenApiProvider(settings: Readonly<Settings>, provider: OpenApiProvider): void {
  providers.set(settings, provider);
}

/**
 * The app serving requests with these settings, or null for a request built outside an app.
 * @internal
 */
export function openApiProviderFor(settings: Readonly<Settings>): OpenApiProvider | null {
  return providers.get(settings) ?? null;
}
