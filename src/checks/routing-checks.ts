/**
 * Checks of the routes the controllers declare, read from their decorators before the router is
 * built, so a mistake is reported with an id and a hint rather than as the router's exception or,
 * worse, as an argument that is silently `undefined` on every request.
 */
import { getControllerMetadata } from '../../decorators/controller';
import { getParamSources } from '../../decorators/params';
import { getRouteMetadata } from '../../decorators/route';
import { joinPath } from '../core/route-table';
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

registerCheck(checkDuplicateRouteNames);
registerCheck(checkParamNames);
