/**
 * Checks of the routes the controllers declare, read from their decorators before the router is
 * built, so a mistake is reported with an id and a hint rather than as the router's exception or,
 * worse, as an argument that is silently `undefined` on every request.
 */
import { getControllerMetadata } from '../../decorators/controller';
import { getParamSources } from '../../decorators/params';
import { getRouteMetadata } from '../../decorators/route';
import { constructionProblem, handlerParameters, handlerSignatureProblems } from '../core/handler-signature';
import { joinPath } from '../core/route-table';
import { HttpRequest } from '../http/http-request';
import { checkError, type CheckMessage } from './check-message';
import { registerCheck, type CheckTarget } from './check-registry';

/** A route parameter in a Django path pattern: `<int:id>` or `<slug>` (src/routing/path-pattern.ts). */
const PARAMETER = /<(?:[^>:]+:)?([^>]+)>/g;

interface DeclaredRoute {
  pattern: string;
  name: string | null;
  /** `Controller.method`. */
  culprit: string;
  controller: Function;
  propertyKey: string;
}

function declaredRoutes(controllers: readonly Function[]): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const controller of controllers) {
    const meta = getControllerMetadata(controller);
    // Not a controller: buildRouter names it with its own error.
    if (meta === undefined) continue;
    for (const spec of getRouteMetadata(controller)) {
      routes.push({
        pattern: joinPath(meta.prefix, spec.path),
        name: spec.name,
        culprit: `${controller.name}.${spec.propertyKey}`,
        controller,
        propertyKey: spec.propertyKey,
      });
    }
  }
  return routes;
}

/**
 * routing.E001: one name, one pattern. `reverse(name)` must give one URL; the same name on several
 * methods of one pattern is fine (Django's urls.W005 warns of the like for namespaces).
 */
export function checkDuplicateRouteNames(target: CheckTarget): CheckMessage[] {
  const first = new Map<string, DeclaredRoute>();
  const found: CheckMessage[] = [];
  for (const route of declaredRoutes(target.controllers)) {
    if (route.name === null) continue;
    const earlier = first.get(route.name);
    if (earlier === undefined) first.set(route.name, route);
    else if (earlier.pattern !== route.pattern) {
      found.push(
        checkError(
          'routing.E001',
          `${route.culprit} (${route.pattern}) uses the route name '${route.name}', which already names ${earlier.pattern} (${earlier.culprit}).`,
          'Give each pattern its own name: reverse() turns a name into one URL.',
          route.culprit,
        ),
      );
    }
  }
  return found;
}

/** routing.E002: every `@Param(name)` names a parameter of its route's pattern. */
export function checkParamNames(target: CheckTarget): CheckMessage[] {
  const found: CheckMessage[] = [];
  for (const route of declaredRoutes(target.controllers)) {
    const names = Array.from(route.pattern.matchAll(PARAMETER), (m) => m[1]);
    for (const source of getParamSources(route.controller.prototype as object, route.propertyKey)) {
      if (source === undefined || source.kind !== 'param' || names.includes(source.name)) continue;
      found.push(
        checkError(
          'routing.E002',
          `@Param('${source.name}') names no parameter of the route ${route.pattern}.`,
          names.length === 0 ? 'The pattern has no parameters.' : `The pattern's parameters are: ${names.join(', ')}.`,
          route.culprit,
        ),
      );
    }
  }
  return found;
}

/**
 * routing.E003–E005: each handler's signature against its route (see src/core/handler-signature.ts):
 * E003 a first parameter typed other than HttpRequest (it receives the request), E004 a route
 * parameter no argument receives, E005 a parameter that receives nothing. Only undecorated
 * parameters are judged; a `@Param` name the pattern lacks is E002's.
 */
export function checkHandlerSignatures(target: CheckTarget): CheckMessage[] {
  const found: CheckMessage[] = [];
  for (const route of declaredRoutes(target.controllers)) {
    if (typeof (route.controller.prototype as Record<string, unknown>)[route.propertyKey] !== 'function') continue;
    const names = Array.from(route.pattern.matchAll(PARAMETER), (m) => m[1]);
    const sources = getParamSources(route.controller.prototype as object, route.propertyKey);
    const parameters = handlerParameters(route.controller, route.propertyKey);
    for (const problem of handlerSignatureProblems(route.culprit, route.pattern, names, parameters, sources)) {
      found.push(checkError(problem.id, problem.message, problem.hint, route.culprit));
    }
  }
  return found;
}

/**
 * routing.E006: every controller can be made by the container. A dependency tsyringe cannot
 * construct (a class without @injectable() that is not registered, an interface without
 * @inject(token)) is reported here, naming the parameter, rather than as tsyringe's
 * `TypeInfo not known for "Repo"` — and for request-scoped controllers, at start rather than on
 * the first request.
 */
export function checkControllerConstructors(target: CheckTarget): CheckMessage[] {
  const found: CheckMessage[] = [];
  for (const controller of target.controllers) {
    const meta = getControllerMetadata(controller);
    if (meta === undefined) continue;
    // A request-scoped controller's container provides the HttpRequest (src/di/request-scope.ts).
    const provided = meta.scope === 'request' ? REQUEST_PROVIDED : NOTHING_PROVIDED;
    const problem = constructionProblem(controller, target.container, provided);
    if (problem !== null) {
      found.push(
        checkError(
          'routing.E006',
          `${controller.name} cannot be created: ${problem}`,
          'Decorate the class with @injectable() (from tsyringe) or register it in the container; give a parameter typed by an interface a token with @inject(TOKEN).',
          controller.name,
        ),
      );
    }
  }
  return found;
}

const REQUEST_PROVIDED: ReadonlySet<unknown> = new Set([HttpRequest]);
const NOTHING_PROVIDED: ReadonlySet<unknown> = new Set();

registerCheck(checkDuplicateRouteNames);
registerCheck(checkParamNames);
registerCheck(checkHandlerSignatures);
registerCheck(checkControllerConstructors);
