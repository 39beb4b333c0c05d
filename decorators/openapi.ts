/**
 * OpenAPI decorators for what the code cannot say by itself. They only store metadata (FoalTS's
 * core/openapi decorators do the same); src/openapi/ reads it when `app.openapi()` first builds
 * the document, so a handler pays nothing for them per request.
 */
import 'reflect-metadata';
import { API_EXCLUDE, API_OPERATION, API_RESPONSES } from './metadata-keys';

/** A DTO class, or `[Dto]` for a JSON array of them. */
export type ApiSchemaType = (new (...args: any[]) => object) | readonly [new (...args: any[]) => object];

/** One declared response of a handler. */
export interface ApiResponseMetadata {
  readonly status: number;
  /** The body's DTO; null for a response without a body (`@Returns(204)`). */
  readonly type: ApiSchemaType | null;
  readonly description: string | null;
}

/** What `@ApiOperation` says about a handler. */
export interface ApiOperationOptions {
  /** A one-line summary, shown beside the path in the docs page. */
  summary?: string;
  /** Longer text (CommonMark). */
  description?: string;
  /** Marks the operation as deprecated. */
  deprecated?: boolean;
}

/**
 * Declares a response of the handler: its status and, when it has a body, the DTO (or `[Dto]`)
 * it holds as JSON. Stack one per status. The statuses the framework itself answers with (the
 * validation error, 401/403 of guards, 429 of rate limits) are added without being declared.
 * @example
 * \@Post('/', { name: 'poll-create' })
 * \@Returns(201, PollDto)
 * \@Returns(404, ErrorDto, 'No such question.')
 * create(request: HttpRequest, \@Body(CreatePollDto) body: CreatePollDto) { ... }
 */
export function Returns(status: number, type?: ApiSchemaType | null, description?: string): MethodDecorator {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new TypeError(`@Returns(${status}): the status must be an integer from 100 to 599.`);
  }
  const response: ApiResponseMetadata = { status, type: type ?? null, description: description ?? null };
  return (target, propertyKey) => {
    const existing: ApiResponseMetadata[] = Reflect.getOwnMetadata(API_RESPONSES, target, propertyKey) ?? [];
    // Decorators apply bottom-up: prepending keeps the responses in the order they are written.
    Reflect.defineMetadata(API_RESPONSES, [response, ...existing], target, propertyKey);
  };
}

/**
 * A summary, description or deprecation for the operation.
 * @example
 * \@Get('/legacy/')
 * \@ApiOperation({ summary: 'The old list', deprecated: true })
 * legacy(request: HttpRequest) { ... }
 */
export function ApiOperation(options: ApiOperationOptions): MethodDecorator {
  const copy: ApiOperationOptions = { ...options };
  return (target, propertyKey) => Reflect.defineMetadata(API_OPERATION, copy, target, propertyKey);
}

/**
 * Leaves a handler, or every handler of a controller, out of the OpenAPI document (the route
 * still answers).
 * @example
 * \@Controller('/internal')
 * \@ApiExclude()
 * export class InternalController { ... }
 */
export function ApiExclude(): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(API_EXCLUDE, true, target);
    else Reflect.defineMetadata(API_EXCLUDE, true, target, propertyKey);
  }) as ClassDecorator & MethodDecorator;
}

/** The responses `@Returns` declared on a handler, in the order written. */
export function getApiResponses(prototype: object, propertyKey: string): readonly ApiResponseMetadata[] {
  return Reflect.getOwnMetadata(API_RESPONSES, prototype, propertyKey) ?? [];
}

/** What `@ApiOperation` said about a handler, or null. */
export function getApiOperation(prototype: object, propertyKey: string): ApiOperationOptions | null {
  return Reflect.getOwnMetadata(API_OPERATION, prototype, propertyKey) ?? null;
}

/** Whether `@ApiExclude` is on the handler or on its controller. */
export function isApiExcluded(controller: Function, propertyKey: string): boolean {
  return Reflect.getOwnMetadata(API_EXCLUDE, controller) === true || Reflect.getOwnMetadata(API_EXCLUDE, controller.prototype, propertyKey) === true;
}
