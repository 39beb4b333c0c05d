/**
 * The OpenAPI 3.1 document of an app, built from the router's own compiled routes (never from a
 * second description): each route becomes an operation put together from the getters of
 * operation-parts.ts. `Application.openapi()` builds it once, on first call, and keeps it.
 */
import { isApiExcluded } from '../../decorators/openapi';
import type { DependencyContainer } from 'tsyringe';
import type { Middleware } from '../core/middleware';
import type { CompiledRoute } from '../core/route-table';
import type { Settings } from '../core/settings';
import { compilePattern } from '../routing/path-pattern';
import type { Router } from '../routing/router';
import { templatePath } from './converter-schema';
import { DtoSchemas } from './dto-schemas';
import { describeOperation, operationId, parameters, requestBody, responses, security, tagOf, type OperationContext } from './operation-parts';
import type { OpenApiDocument, OpenApiInfo, OperationObject, PathItemObject, SchemaObject } from './openapi-types';
import { AuthenticationSchemes } from './route-authentication';
import { addCsrfSchemes, addSessionScheme, securitySchemes } from './security-schemes';

/** What the document is built from: the app's compiled routes, settings and middleware. */
export interface OpenApiSource {
  readonly router: Router<CompiledRoute>;
  readonly settings: Readonly<Settings>;
  readonly middleware: readonly Middleware[];
  /** The app's container, to read `@Authentication` classes' settings (a token keyword). */
  readonly container: DependencyContainer;
}

/** `info` when the app is not told otherwise. */
export const DEFAULT_OPENAPI_INFO: Readonly<OpenApiInfo> = Object.freeze({ title: 'API', version: '1.0.0' });

// The bodies the framework answers errors with (error-views.ts, guards, CSRF, rate limits).
const ERROR_DETAIL: SchemaObject = { type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] };
// defaultHandler400 for a ValidationError: `{"errors": {"field.path": ["message", ...]}}`; "__all__" for non-field errors.
const VALIDATION_ERRORS: SchemaObject = {
  type: 'object',
  properties: { errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } } },
  required: ['errors'],
};

type HttpMethodKey = keyof PathItemObject;
const METHOD_KEYS: ReadonlySet<string> = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * The document of the app `source` describes, with `info`.
 * @example
 * const document = buildOpenApiDocument({ router: app.router, settings: app.settings, middleware: [] }, { title: 'Polls', version: '1.0.0' });
 */
export function buildOpenApiDocument(source: OpenApiSource, info: OpenApiInfo = DEFAULT_OPENAPI_INFO): OpenApiDocument {
  const schemas = new DtoSchemas();
  const app = securitySchemes(source.settings, source.middleware);
  const context: OperationContext = {
    settings: source.settings,
    schemas,
    sessionScheme: app.session,
    csrfSchemes: app.csrf,
    // Routes with @Authentication(SessionAuthentication) use the session and CSRF schemes even
    // when the middleware does not (they check CSRF themselves).
    authentication: new AuthenticationSchemes(
      source.container,
      () => addSessionScheme(app.schemes, source.settings),
      () => addCsrfSchemes(app.schemes, source.settings),
    ),
    errorDetail: () => schemas.builtIn('ErrorDetail', ERROR_DETAIL),
    validationErrors: () => schemas.builtIn('ValidationErrors', VALIDATION_ERRORS),
  };
  const paths: Record<string, PathItemObject> = {};
  const tags: string[] = [];
  const ids = new Set<string>();
  for (const { pattern, method, value: route } of source.router.handlers()) {
    const key = method.toLowerCase();
    if (!METHOD_KEYS.has(key) || isApiExcluded(route.controller, route.methodName)) continue;
    const compiled = compilePattern(pattern);
    const item = (paths[templatePath(compiled)] ??= {});
    // `/a/<int:id>/` and `/a/<slug:id>/` share the template `/a/{id}/`; the router tries the
    // first added first, so that one describes the method.
    if (item[key as HttpMethodKey] !== undefined) continue;
    const tag = tagOf(route);
    if (!tags.includes(tag)) tags.push(tag);
    const params = parameters(compiled, route, schemas);
    const body = requestBody(route, schemas);
    const requirements = security(route, method, context);
    // Built in the spec's order, so the JSON reads: id, text, parameters, body, responses, security.
    const operation: OperationObject = {
      operationId: operationId(route, method, ids),
      tags: [tag],
      ...describeOperation(route),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body !== null ? { requestBody: body } : {}),
      responses: responses(route, method, context),
      ...(requirements !== null ? { security: requirements } : {}),
    };
    item[key as HttpMethodKey] = operation;
  }
  schemas.finish();
  Object.assign(app.schemes, context.authentication.schemes);
  const components: OpenApiDocument['components'] = { schemas: schemas.schemas };
  if (Object.keys(app.schemes).length > 0) components.securitySchemes = app.schemes;
  return { openapi: '3.1.0', info: { ...info }, paths, components, tags: tags.map((name) => ({ name })) };
}
