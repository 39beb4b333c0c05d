/**
 * One small getter per part of an operation (FoalTS's core/openapi/openapi-utils): its id, tags,
 * parameters, request body, responses and security, each read from the compiled route and the
 * decorators' metadata. build-document.ts puts them together.
 */
import { CSRF_EXEMPT } from '../../decorators/metadata-keys';
import { getApiOperation, getApiResponses, type ApiSchemaType } from '../../decorators/openapi';
import { getRateLimits } from '../../decorators/rate-limit';
import { loginRequiredGuard } from '../auth/guards';
import type { CompiledRoute } from '../core/route-table';
import type { Settings } from '../core/settings';
import { HttpResponse } from '../http/http-response';
import { reasonPhraseFor } from '../http/status-codes';
import type { CompiledPattern } from '../routing/path-pattern';
import type { Validator } from '../validation/validator';
import { pathParameters } from './converter-schema';
import type { DtoSchemas } from './dto-schemas';
import type { AuthenticationSchemes } from './route-authentication';
import type { OperationObject, ParameterObject, RequestBodyObject, ResponseObject, SchemaObject, SecurityRequirementObject } from './openapi-types';

/** What every operation of one document shares. */
export interface OperationContext {
  readonly settings: Readonly<Settings>;
  readonly schemas: DtoSchemas;
  /** The security scheme names the app's middleware gives (see security-schemes.ts), or null. */
  readonly sessionScheme: string | null;
  readonly csrfSchemes: readonly string[] | null;
  /** The schemes of `@Authentication` routes. */
  readonly authentication: AuthenticationSchemes;
  /** `$ref`s to the framework's error bodies, added to the components when first used. */
  errorDetail(): SchemaObject;
  validationErrors(): SchemaObject;
}

// Django's csrf.py: "Assume that anything not defined as 'safe' by RFC 9110 needs protection".
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** The route's name, else `Controller_method`; `_post` (then `_2`, ...) when that is taken. */
export function operationId(route: CompiledRoute, method: string, taken: Set<string>): string {
  const base = route.routeName ?? `${route.controllerName}_${route.methodName}`;
  let id = taken.has(base) ? `${base}_${method.toLowerCase()}` : base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${method.toLowerCase()}_${n}`;
  taken.add(id);
  return id;
}

/** One tag per controller: its class name without the `Controller` suffix. */
export function tagOf(route: CompiledRoute): string {
  return route.controllerName.replace(/Controller$/, '') || route.controllerName;
}

/** The path converters, then each field of a `@Query(Dto)` as a query parameter. */
export function parameters(pattern: CompiledPattern, route: CompiledRoute, schemas: DtoSchemas): ParameterObject[] {
  const list = pathParameters(pattern);
  for (const source of route.plan ?? []) {
    if (source?.kind !== 'query' || source.dto === null) continue;
    for (const property of schemas.validatorProperties(source.dto, `${route.controllerName}_${route.methodName}_query`)) {
      list.push({ name: property.name, in: 'query', required: property.required, schema: property.schema });
    }
  }
  return list;
}

/** The validator of `@Body(Dto)` / `@Body(schema)`, or null. */
function bodyValidator(route: CompiledRoute): Validator | null {
  for (const source of route.plan ?? []) if (source?.kind === 'body' && source.dto !== null) return source.dto;
  return null;
}

/**
 * A `@Body(Dto)` body in each content type `request.data` parses: JSON, form and multipart — or
 * multipart alone when a field is a file, which only multipart can carry.
 */
export function requestBody(route: CompiledRoute, schemas: DtoSchemas): RequestBodyObject | null {
  const validator = bodyValidator(route);
  if (validator === null) return null;
  const schema = schemas.validatorRef(validator, `${route.controllerName}_${route.methodName}_body`);
  if (schemas.validatorHasFiles(validator)) return { required: true, content: { 'multipart/form-data': { schema } } };
  return {
    required: true,
    content: { 'application/json': { schema }, 'application/x-www-form-urlencoded': { schema }, 'multipart/form-data': { schema: { ...schema } } },
  };
}

function schemaOf(type: ApiSchemaType, schemas: DtoSchemas): SchemaObject {
  return Array.isArray(type) ? { type: 'array', items: schemas.ref(type[0]) } : schemas.ref(type as Function);
}

function json(description: string, schema: SchemaObject): ResponseObject {
  return { description, content: { 'application/json': { schema } } };
}

/**
 * The DTO class a handler's declared return type names, from `design:returntype`. TypeScript
 * emits the runtime class only for a class type written directly (`detail(): PollDto`); a
 * `Promise<PollDto>` is emitted as `Promise` and `JsonResponse<PollDto>` as `JsonResponse`, with
 * the type argument erased, so those say nothing.
 */
function returnedDto(route: CompiledRoute): Function | null {
  const type: unknown = Reflect.getMetadata('design:returntype', route.controller.prototype, route.methodName);
  if (typeof type !== 'function' || [Promise, Object, String, Number, Boolean, Array, Date].includes(type as never)) return null;
  if (type === HttpResponse || type.prototype instanceof HttpResponse) return null;
  return type;
}

/**
 * `@Returns` as declared (else 200, with the schema of a declared DTO return type), then what the
 * framework answers on its own: the validation error (`validationErrorStatus`) and a malformed
 * body (400), 401 for `@LoginRequired`, 403 for other guards and for a CSRF failure, 429 with
 * `Retry-After` for `@RateLimit` — each in its error shape. Never 405: a route only lists the
 * methods it has.
 */
export function responses(route: CompiledRoute, method: string, context: OperationContext): Record<string, ResponseObject> {
  const result: Record<string, ResponseObject> = {};
  const declared = getApiResponses(route.controller.prototype, route.methodName);
  for (const { status, type, description } of declared) {
    const text = description ?? reasonPhraseFor(status);
    result[String(status)] = type === null ? { description: text } : json(text, schemaOf(type, context.schemas));
  }
  if (!declared.some(({ status }) => status >= 200 && status < 300)) {
    const dto = returnedDto(route);
    result['200'] = dto === null ? { description: 'OK' } : json('OK', context.schemas.ref(dto));
  }
  const add = (status: number, response: ResponseObject) => (result[String(status)] ??= response);
  const plan = route.plan ?? [];
  const validates = plan.some((s) => (s?.kind === 'body' || s?.kind === 'query') && s.dto !== null);
  const readsBody = plan.some((s) => s?.kind === 'body');
  const invalid = context.settings.validationErrorStatus;
  if (validates && readsBody && invalid === 400) {
    // Both reach the client as 400: the DTO's errors, or "JSON parse error - ..." for a body that is not JSON.
    add(400, json('Bad Request', { oneOf: [context.validationErrors(), context.errorDetail()] }));
  } else {
    if (validates) add(invalid, json(reasonPhraseFor(invalid), context.validationErrors()));
    if (readsBody) add(400, json('Bad Request', context.errorDetail()));
  }
  const { loginRequired, rateLimits, otherGuards, auth } = guardsOf(route, method, context);
  // With @Authentication, a bad credential is a 401 when an authenticator has a challenge, and a
  // missing login is a 401 then, else a 403 (DRF's permission_denied).
  if (auth?.challenges === true || (loginRequired && auth === null)) add(401, json('Unauthorized', context.errorDetail()));
  const csrf = auth === null ? csrfChecked(route, method, context) : auth.sessions && !SAFE_METHODS.has(method) && !csrfExemptDeclared(route);
  if (otherGuards > 0 || csrf || (loginRequired && auth !== null && !auth.challenges)) add(403, json('Forbidden', context.errorDetail()));
  if (rateLimits > 0) {
    add(429, {
      description: 'Too Many Requests',
      headers: { 'Retry-After': { description: 'Seconds until the rate limit window resets.', schema: { type: 'integer', minimum: 1 } } },
      content: { 'application/json': { schema: context.errorDetail() } },
    });
  }
  return result;
}

/** What a route's guards are: the login check, rate limits, `@Authentication`, and the rest (which deny with 403). */
function guardsOf(route: CompiledRoute, method: string, context: OperationContext) {
  const guards = route.guards ?? [];
  const loginRequired = guards.includes(loginRequiredGuard);
  const rateLimits = getRateLimits(route.controller.prototype, route.methodName).length;
  const auth = context.authentication.forRoute(route.controller, route.methodName, !SAFE_METHODS.has(method), csrfExemptDeclared(route));
  // @Authentication runs as one guard of its own, before the others.
  const otherGuards = guards.length - (loginRequired ? 1 : 0) - rateLimits - (auth === null ? 0 : 1);
  return { loginRequired, rateLimits, otherGuards, auth };
}

/**
 * `@CsrfExempt()` as written on the handler or its class: the compiled route's `csrfExempt` is
 * also true for every `@Authentication` route, whose authentication checks CSRF itself.
 */
function csrfExemptDeclared(route: CompiledRoute): boolean {
  return Reflect.getMetadata(CSRF_EXEMPT, route.controller.prototype, route.methodName) === true || Reflect.getMetadata(CSRF_EXEMPT, route.controller) === true;
}

function csrfChecked(route: CompiledRoute, method: string, context: OperationContext): boolean {
  return context.csrfSchemes !== null && !route.csrfExempt && !SAFE_METHODS.has(method);
}

/**
 * Who may call: the session cookie for `@LoginRequired`, and the CSRF cookie with its header for
 * unsafe methods when CsrfMiddleware runs and the route is not `@CsrfExempt` — one requirement
 * object, as all of them are needed together. With `@Authentication`, one alternative per
 * authenticator, and an anonymous one (`{}`, or the CSRF pair on an unsafe method when sessions
 * are listed) unless the route needs a login. Null when the route needs none.
 */
export function security(route: CompiledRoute, method: string, context: OperationContext): SecurityRequirementObject[] | null {
  const { loginRequired, otherGuards, auth } = guardsOf(route, method, context);
  if (auth !== null) {
    const alternatives = [...auth.requirements];
    if (!loginRequired && otherGuards === 0) {
      const anonymous: SecurityRequirementObject = {};
      if (auth.sessions && !SAFE_METHODS.has(method) && !csrfExemptDeclared(route)) {
        for (const scheme of context.authentication.csrfSchemeNames()) anonymous[scheme] = [];
      }
      alternatives.push(anonymous);
    }
    return alternatives.length === 1 && Object.keys(alternatives[0]).length === 0 ? null : alternatives;
  }
  const requirement: SecurityRequirementObject = {};
  if (context.sessionScheme !== null && (route.guards ?? []).includes(loginRequiredGuard)) requirement[context.sessionScheme] = [];
  if (csrfChecked(route, method, context)) for (const scheme of context.csrfSchemes!) requirement[scheme] = [];
  return Object.keys(requirement).length > 0 ? [requirement] : null;
}

/** The summary, description and deprecation of `@ApiOperation`, for the operation. */
export function describeOperation(route: CompiledRoute): Pick<OperationObject, 'summary' | 'description' | 'deprecated'> {
  const options = getApiOperation(route.controller.prototype, route.methodName);
  if (options === null) return {};
  const text: Pick<OperationObject, 'summary' | 'description' | 'deprecated'> = {};
  if (options.summary !== undefined) text.summary = options.summary;
  if (options.description !== undefined) text.description = options.description;
  if (options.deprecated !== undefined) text.deprecated = options.deprecated;
  return text;
}
