import 'reflect-metadata';
import type { Validated, Validator } from '../src/validation/validator';
import { PARAMS } from './metadata-keys';

/**
 * Where a decorated handler argument comes from. `dto` is the validator of `@Body(...)` /
 * `@Query(...)`: a class-validator DTO class or a Standard Schema (see `isStandardSchema`).
 */
export type ParamSource =
  | { kind: 'param'; name: string }
  | { kind: 'body'; dto: Validator | null }
  | { kind: 'query'; dto: Validator | null }
  | { kind: 'user' }
  | { kind: 'session' };

/**
 * A parameter decorator that TypeScript checks against the parameter it decorates: the handler's
 * parameter at `index` must accept `Value` (`@Body(PollSchema) body: string` does not compile).
 * TypeScript calls a parameter decorator with the prototype, the method's name and the index as
 * literal types, which is what lets the parameter's declared type be looked up here.
 */
export type TypedParameterDecorator<Value> = <Target extends object, Key extends string | symbol | undefined, Index extends number>(
  target: Target,
  propertyKey: Key,
  index: Index & ParameterAccepts<Value, Target, Key, Index>,
) => void;

/**
 * `Index` when the parameter accepts `Value`, else a type naming the mismatch. Not checked: a
 * parameter that cannot be looked up (a private method), and an `unknown` value (a hand-written
 * schema that declares no `types`).
 */
type ParameterAccepts<Value, Target, Key, Index extends number> = unknown extends Value
  ? Index
  : Key extends keyof Target
  ? Target[Key] extends (...args: infer Args) => unknown
    ? [Value] extends [Args[Index]]
      ? Index
      : { 'the parameter must accept the validated type': Value }
    : Index
  : Index;

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
 * The request body (JSON or form data), turned into a `Dto` instance and validated, or parsed by a
 * Standard Schema (Zod, Valibot, ...); 400/422 with `{"errors": {...}}` on failure. The parameter
 * is type-checked against the DTO or the schema's output. Without a validator: the parsed body
 * (`request.data`).
 * @example
 * create(request: HttpRequest, \@Body(CreatePollDto) body: CreatePollDto)
 * create(request: HttpRequest, \@Body(PollSchema) body: z.output<typeof PollSchema>)
 */
export function Body(): ParameterDecorator;
export function Body<V extends Validator>(validator: V): TypedParameterDecorator<Validated<V>>;
export function Body(validator?: Validator): ParameterDecorator {
  return define({ kind: 'body', dto: validator ?? null });
}

/**
 * The query string, turned into a `Dto` instance and validated, or parsed by a Standard Schema.
 * Without a validator: `request.GET`.
 * @example
 * list(request: HttpRequest, \@Query(PageDto) page: PageDto)
 * list(request: HttpRequest, \@Query(PageSchema) page: z.output<typeof PageSchema>)
 */
export function Query(): ParameterDecorator;
export function Query<V extends Validator>(validator: V): TypedParameterDecorator<Validated<V>>;
export function Query(validator?: Validator): ParameterDecorator {
  return define({ kind: 'query', dto: validator ?? null });
}
/** `request.user`. */
export const User = (): ParameterDecorator => define({ kind: 'user' });
/** `request.session`. */
export const Session = (): ParameterDecorator => define({ kind: 'session' });

export function getParamSources(prototype: object, propertyKey: string): ParamSource[] {
  return Reflect.getOwnMetadata(PARAMS, prototype, propertyKey) ?? [];
}
