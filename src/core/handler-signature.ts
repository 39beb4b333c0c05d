/**
 * What a handler's signature says, read once at start-up from the decorator metadata TypeScript
 * emits (`design:paramtypes`) and from the parameter decorators, so that a handler that cannot
 * work — the request taken as a DTO, a route parameter nobody receives, an argument that is
 * always `undefined`, a constructor dependency tsyringe cannot make — stops the app at
 * `createApp` with the controller, the method and the parameter named, instead of answering
 * wrongly on every request (issue 22 item 4). The system checks in src/checks/routing-checks.ts
 * report these findings; nothing here runs per request.
 */
import 'reflect-metadata';
import type { DependencyContainer } from 'tsyringe';
import type { ParamSource } from '../../decorators/params';
import { HttpRequest } from '../http/http-request';

/** One declared parameter of a handler or constructor. */
export interface DeclaredParameter {
  readonly index: number;
  /** The name in the source, null when destructured or unknown. */
  readonly name: string | null;
  /** `...rest`: receives every argument from here on. */
  readonly rest: boolean;
  /** The emitted design type (a constructor: `Number`, `Object`, a class), or undefined without metadata. */
  readonly type: unknown;
}

/** `#1 \`id\`` — how a finding names a parameter. */
export function describeParameter(parameter: DeclaredParameter): string {
  return parameter.name === null ? `#${parameter.index}` : `#${parameter.index} \`${parameter.name}\``;
}

/** A type as the source wrote it, near enough: `Number` is `number`, `Object` an interface or `any`. */
export function typeName(type: unknown): string {
  if (type === Number || type === String || type === Boolean) return (type as Function).name.toLowerCase();
  return typeof type === 'function' && type.name !== '' ? type.name : 'an unknown type';
}

/**
 * The parameters of `fn` as its source declares them: names from `Function.prototype.toString`
 * (compiled output keeps them; decorators are moved out of the list), types from
 * `design:paramtypes` where TypeScript emitted them. Without metadata (plain JavaScript) the
 * source alone gives the count, and every type is undefined.
 */
export function declaredParameters(fn: Function, types: readonly unknown[] | undefined, source: string = Function.prototype.toString.call(fn)): DeclaredParameter[] {
  const names = parameterList(source);
  const count = Math.max(types?.length ?? 0, names.length, types === undefined ? fn.length : 0);
  const parameters: DeclaredParameter[] = [];
  for (let index = 0; index < count; index++) {
    const raw = names[index] ?? null;
    const rest = raw !== null && raw.startsWith('...');
    const bare = raw === null ? null : raw.replace(/^\.\.\./, '');
    const name = bare !== null && /^[\p{L}_$][\p{L}\p{N}_$]*/u.test(bare) ? /^[\p{L}_$][\p{L}\p{N}_$]*/u.exec(bare)![0] : null;
    parameters.push({ index, name, rest, type: types?.[index] });
  }
  return parameters;
}

/** The comma-separated entries of the first parameter list in `source`, top level only. */
function parameterList(source: string): string[] {
  const open = source.indexOf('(');
  if (open === -1) return [];
  const entries: string[] = [];
  let depth = 0;
  let current = '';
  let quote: string | null = null;
  for (let i = open + 1; i < source.length; i++) {
    const ch = source[i];
    if (quote !== null) {
      current += ch;
      if (ch === '\\') current += source[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ')') {
      if (depth === 0) {
        if (current.trim() !== '') entries.push(current.trim());
        return entries;
      }
      depth--;
    } else if (ch === ',' && depth === 0) {
      entries.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  return entries;
}

/** The parameters of a controller's method, typed from `design:paramtypes`. */
export function handlerParameters(controller: Function, propertyKey: string): DeclaredParameter[] {
  const handler = (controller.prototype as Record<string, unknown>)[propertyKey] as Function;
  return declaredParameters(handler, Reflect.getMetadata('design:paramtypes', controller.prototype, propertyKey));
}

/** A problem with one parameter: what is wrong and how to fix it. */
export interface SignatureProblem {
  readonly id: string;
  readonly message: string;
  readonly hint: string;
}

/**
 * What a handler `culprit` declared for the route `pattern` (parameter names `routeParams`, in
 * order) does not receive, given its decorated arguments `sources`. A handler is called as
 * `handler(request, ...pathArgs)` and a decorated parameter replaces the argument at its index,
 * so an undecorated parameter at index 0 is the request and at index k+1 the k-th route
 * parameter.
 */
export function handlerSignatureProblems(
  culprit: string,
  pattern: string,
  routeParams: readonly string[],
  parameters: readonly DeclaredParameter[],
  sources: readonly (ParamSource | undefined)[],
): SignatureProblem[] {
  const problems: SignatureProblem[] = [];
  const first = parameters[0];
  // routing.E003: the request given to something typed otherwise, e.g. `create(body: CreatePollDto)`
  // would answer the whole HttpRequest as JSON with a 200.
  if (first !== undefined && sources[0] === undefined && !first.rest && !isRequestType(first.type)) {
    problems.push({
      id: 'routing.E003',
      message: `The first parameter ${describeParameter(first)} of ${culprit} is typed ${typeName(first.type)}, but a handler's first argument is the HttpRequest.`,
      hint: routeParams.length > 0
        ? `Take the request first: ${culprit.split('.')[1]}(request: HttpRequest, ${routeParams.join(', ')}), or decorate the parameter (@Param('${routeParams[0]}'), @Body(Dto), ...).`
        : 'Take the request first (request: HttpRequest), or decorate the parameter (@Body(Dto), @Query(Dto), @User(), @Session()).',
    });
  }
  const restAt = parameters.findIndex((p) => p.rest);
  // routing.E004: a route parameter that reaches no argument, in a handler that takes route
  // parameters as arguments (Django's view would raise TypeError on every request). A handler that
  // takes none of them may read `request.params`, or not need them: that is its choice.
  const takesRouteParams =
    restAt >= 1 ||
    parameters.some((p) => p.index >= 1 && p.index <= routeParams.length && sources[p.index] === undefined) ||
    sources.some((s) => s !== undefined && s.kind === 'param');
  // A misnamed @Param is routing.E002's finding, whose hint lists the pattern's parameters: one
  // mistake, one report.
  const misnamed = sources.some((s) => s !== undefined && s.kind === 'param' && !routeParams.includes(s.name));
  routeParams.forEach((name, k) => {
    if (!takesRouteParams || misnamed) return;
    const position = k + 1;
    const positional = (restAt !== -1 && restAt <= position) || (position < parameters.length && sources[position] === undefined);
    const decorated = sources.some((s) => s !== undefined && s.kind === 'param' && s.name === name);
    if (positional || decorated) return;
    problems.push({
      id: 'routing.E004',
      message: `The route parameter '${name}' of ${pattern} reaches no argument of ${culprit}.`,
      hint: `Take it as parameter #${position} (after the request and the route parameters before it), or anywhere with @Param('${name}').`,
    });
  });
  // routing.E005: an undecorated parameter past the route parameters is always undefined.
  for (const parameter of parameters) {
    if (parameter.index === 0 || parameter.rest || sources[parameter.index] !== undefined || parameter.index <= routeParams.length) continue;
    const type = parameter.type;
    const isClass = typeof type === 'function' && !BUILT_IN_TYPES.has(type);
    problems.push({
      id: 'routing.E005',
      message: `The parameter ${describeParameter(parameter)} of ${culprit}${isClass ? ` (${typeName(type)})` : ''} receives nothing: the route ${pattern} has ${routeParams.length === 0 ? 'no parameters' : `only ${routeParams.length} parameter${routeParams.length === 1 ? '' : 's'}`}.`,
      hint: isClass
        ? `A body or query DTO takes @Body(${typeName(type)}) or @Query(${typeName(type)}); a service goes in the controller's constructor, where tsyringe injects it.`
        : 'Decorate it (@Param(name), @Body(), @Query(), @User(), @Session()), or remove it.',
    });
  }
  return problems;
}

/** Types TypeScript emits for primitives, interfaces, unions and `any`: never a DTO or a service. */
const BUILT_IN_TYPES: ReadonlySet<unknown> = new Set([Object, String, Number, Boolean, Array, Function, Symbol, BigInt, Promise]);

/**
 * `request: HttpRequest`, a subclass, anything TypeScript emits as Object (`any`, an interface),
 * or Function: what tsc emits for a class imported with `import type { HttpRequest }` (the
 * class is not there at run time), as the built health and OpenAPI controllers have it; swc,
 * which runs the tests, emits Object for the same source.
 */
function isRequestType(type: unknown): boolean {
  if (typeof type !== 'function') return true;
  return type === Object || type === Function || type === HttpRequest || type.prototype instanceof HttpRequest;
}

/** tsyringe's `@inject(token)` overrides, by parameter index (tsyringe's reflection-helpers). */
const INJECTION_TOKENS = 'injectionTokens';

/**
 * Why tsyringe cannot construct `ctor` from `container`, following its dependencies, or null
 * when it can: a class is made when it is registered, when its constructor takes no argument,
 * or when a class decorator (`@injectable()`, `@singleton()`, `@Controller()`) made TypeScript
 * emit its parameter types. A class with parameters and no decorator at all is what tsyringe
 * reports as `TypeInfo not known for "Repo"`.
 * @param provided types the resolving container provides itself (HttpRequest for request scope).
 */
export function constructionProblem(
  ctor: Function,
  container: DependencyContainer,
  provided: ReadonlySet<unknown>,
  seen: Set<Function> = new Set(),
): string | null {
  if (seen.has(ctor)) return null;
  seen.add(ctor);
  const types: readonly unknown[] | undefined = Reflect.getMetadata('design:paramtypes', ctor);
  const tokens: Record<string, unknown> = Reflect.getOwnMetadata(INJECTION_TOKENS, ctor) ?? {};
  const parameters = declaredParameters(ctor, types, constructorSource(ctor));
  for (const parameter of parameters) {
    if (Object.hasOwn(tokens, String(parameter.index))) continue;
    const type = parameter.type;
    if (typeof type !== 'function' || provided.has(type) || container.isRegistered(type as never, true)) continue;
    const where = `the constructor parameter ${describeParameter(parameter)} of ${ctor.name}`;
    if (BUILT_IN_TYPES.has(type)) {
      return `${where} is typed ${typeName(type)} (an interface, a union or a primitive is Object, String... at run time), which tsyringe cannot inject: give it a token with @inject(TOKEN) and register the token.`;
    }
    if (type.length > 0 && Reflect.getMetadata('design:paramtypes', type) === undefined) {
      return `${where} is the class ${type.name}, which is not registered in the container and is not decorated with @injectable(), so tsyringe cannot make it (it would say: TypeInfo not known for "${type.name}").`;
    }
    const deeper = constructionProblem(type, container, provided, seen);
    if (deeper !== null) return `${where} is the class ${type.name}, which cannot be made: ${deeper}`;
  }
  return null;
}

/** The class's own `constructor(...)` text (the class source starts with `class X {`). */
function constructorSource(ctor: Function): string {
  const source = Function.prototype.toString.call(ctor);
  const at = source.search(/\bconstructor\s*\(/);
  return at === -1 ? '()' : source.slice(at);
}
