/** Builds an app from controllers and returns its OpenAPI document (no middleware unless given). */
import { container } from 'tsyringe';
import { createApp, type Middleware, type OpenApiDocument, type Settings } from '../../src';

export function appOf(controllers: Function[], options: { middleware?: Middleware[]; settings?: Partial<Settings> } = {}) {
  return createApp({
    controllers,
    middleware: options.middleware ?? [],
    settings: { secretKey: 'openapi-tests-secret-key', ...options.settings },
    container: container.createChildContainer(),
  });
}

export function documentOf(controllers: Function[], options: { middleware?: Middleware[]; settings?: Partial<Settings> } = {}): OpenApiDocument {
  return appOf(controllers, options).openapi();
}
