import 'reflect-metadata';
import { PARAMS } from './metadata-keys';

/** Where a decorated handler argument comes from. */
export type ParamSource =
  | { kind: 'param'; name: string }
  | { kind: 'body'; dto: (new () => object) | null }
  | { kind: 'query'; dto: (new () => object) | null }
  | { kind: 'user' }
  | { kind: 'session' };

function define(source: ParamSource): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) {
      throw new TypeError(`Parameter decorators go on handler methods, not on the constructor of ${(target as Function).name}.`);
    }
    const existing: ParamSource[] = Reflect.getOwnMetadata(PARAMS, target, propertyKey) ?? [];
    const sources = existing.slice();
    sources[index] = source;
    Reflect.defineMetadata(PARAMS, sources, target, propertyKey);
  };
}

/**
 * The converted path parameter `name`.
 * @example detail(request: HttpRequest, \@Param('id') id: number)
 */
export const Param = (name: string): ParameterDecorator => define({ kind: 'param', name });
/**
 * The request body (JSON or form data), turned into `dto` and validated (400/422 on failure).
 * Without a DTO: the parsed body (`request.data`).
 * @example create(request: HttpRequest, \@Body(CreatePollDto) body: CreatePollDto)
 */
export const Body = (dto?: new () => object): ParameterDecorator => define({ kind: 'body', dto: dto ?? null });
/**
 * The query string, turned into `dto` and validated. Without a DTO: `request.GET`.
 * @example list(request: HttpRequest, \@Query(PageDto) page: PageDto)
 */
export const Query = (dto?: new () => object): ParameterDecorator => define({ kind: 'query', dto: dto ?? null });
/** `request.user`. */
export const User = (): ParameterDecorator => define({ kind: 'user' });
/** `request.session`. */
export const Session = (): ParameterDecorator => define({ kind: 'session' });

export function getParamSources(prototype: object, propertyKey: string): ParamSource[] {
  return Reflect.getOwnMetadata(PARAMS, prototype, propertyKey) ?? [];
}
