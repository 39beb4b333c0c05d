/**
 * Responses checked against the app's own OpenAPI document, for tests: with the
 * `openApiValidateResponses` setting on, the test Client passes every response here, and one that
 * its operation does not declare, or whose JSON body does not match the declared schema, fails
 * the test with the request and the mismatch. JSON Schema is checked by Ajv (its 2020-12 dialect,
 * OpenAPI 3.1's), loaded only when the setting is on; `format` is not asserted (Ajv leaves formats
 * to a plugin), everything else is.
 */
import type { ValidateFunction } from 'ajv';
import type { CompiledRoute } from '../core/route-table';
import { ReinhardtError } from '../http/errors';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';
import { compilePattern } from '../routing/path-pattern';
import { templatePath } from './converter-schema';
import type { OpenApiProvider } from './document-sources';
import type { OpenApiDocument, OperationObject, SchemaObject } from './openapi-types';

/**
 * A response that does not match the OpenAPI document.
 * @example
 * // GET /api/polls/3/ answered 200, which the OpenAPI document does not allow (poll-detail, 200): /question must be string
 */
export class OpenApiResponseMismatch extends ReinhardtError {}

/** The base URI the document's components are registered under, so `$ref`s resolve into them. */
const DOCUMENT_ID = 'urn:reinhardt:openapi';

/** One Ajv per document, and the validators compiled from it, by operation and status. */
interface Checker {
  readonly ajv: { compile(schema: object): ValidateFunction };
  readonly validators: Map<string, ValidateFunction>;
}

const checkers = new WeakMap<OpenApiDocument, Checker>();

function checkerFor(document: OpenApiDocument): Checker {
  let checker = checkers.get(document);
  if (checker === undefined) {
    const Ajv2020 = (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default;
    // strict off: OpenAPI keywords such as `contentMediaType` or a schema's `example` are not Ajv's.
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: DOCUMENT_ID, components: document.components } as object);
    checker = { ajv, validators: new Map() };
    checkers.set(document, checker);
  }
  return checker;
}

function isJson(response: HttpResponse): boolean {
  const type = (response.headers.get('Content-Type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Throws OpenApiResponseMismatch when `response` to `request` breaks the document of `app`: a 2xx
 * status the operation does not declare, a non-JSON body where JSON is declared, or a JSON body
 * that does not match the schema. Requests that reached no operation (no route, a HEAD or OPTIONS
 * the framework answered, an `@ApiExclude` route) and undeclared error statuses are not checked.
 */
export function checkResponse(app: OpenApiProvider, request: HttpRequest, response: HttpResponse, body: Buffer): void {
  const route = request.route as CompiledRoute | null;
  if (route === null) return;
  const document = app.openapi();
  const path = templatePath(compilePattern(route.route));
  const operation = (document.paths[path] as Record<string, OperationObject | undefined> | undefined)?.[request.method.toLowerCase()];
  if (operation === undefined) return;
  const status = String(response.statusCode);
  const where = `${request.method} ${request.getFullPath()} answered ${status}, which the OpenAPI document does not allow (${operation.operationId}, ${status})`;
  const declared = operation.responses[status];
  if (declared === undefined) {
    if (response.statusCode >= 200 && response.statusCode < 300) {
      throw new OpenApiResponseMismatch(`${where}: the operation declares ${Object.keys(operation.responses).join(', ')}.`);
    }
    return;
  }
  const media = declared.content?.['application/json'];
  if (media === undefined) return;
  if (!isJson(response)) throw new OpenApiResponseMismatch(`${where}: application/json is declared, the body is ${response.headers.get('Content-Type') ?? 'untyped'}.`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OpenApiResponseMismatch(`${where}: the body is not JSON.`);
  }
  const checker = checkerFor(document);
  const key = `${request.method} ${path} ${status}`;
  let validate = checker.validators.get(key);
  if (validate === undefined) {
    // The response's schema refers to '#/components/...' of the document: point that at the registered copy.
    validate = checker.ajv.compile(relocateRefs(media.schema));
    checker.validators.set(key, validate);
  }
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '(the body)'} ${error.message ?? 'is invalid'}`);
    throw new OpenApiResponseMismatch(`${where}: ${problems.join('; ')}`);
  }
}

/** `schema` with its document-local `$ref`s (`#/components/...`) made absolute, into the registered copy. */
function relocateRefs(schema: SchemaObject): SchemaObject {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOCUMENT_ID}#/`)) as SchemaObject;
}
