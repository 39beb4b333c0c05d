/** Start-up check of `@CachePage`: the cache it names must exist. Registered when the decorator is imported. */
import { getControllerMetadata } from '../../decorators/controller';
import { CACHE_PAGE } from '../../decorators/metadata-keys';
import { getRouteMetadata } from '../../decorators/route';
import { checkError, type CheckMessage } from '../checks/check-message';
import { registerCheck, type CheckTarget } from '../checks/check-registry';
import type { PageCache } from './page-cache';

/** caches.E001: a `@CachePage` naming a cache the caches setting does not have. */
export function checkCachePageAliases(target: CheckTarget): CheckMessage[] {
  const found: CheckMessage[] = [];
  for (const controller of target.controllers) {
    if (getControllerMetadata(controller) === undefined) continue;
    for (const spec of getRouteMetadata(controller)) {
      const pageCache: PageCache | undefined = Reflect.getMetadata(CACHE_PAGE, controller.prototype, spec.propertyKey);
      if (pageCache !== undefined && !Object.hasOwn(target.settings.caches, pageCache.alias)) {
        found.push(
          checkError(
            'caches.E001',
            `@CachePage on ${controller.name}.${spec.propertyKey} keeps pages in the cache '${pageCache.alias}', which the caches setting does not have.`,
            `Add '${pageCache.alias}' to the caches setting, or name one it has.`,
          ),
        );
      }
    }
  }
  return found;
}

registerCheck(checkCachePageAliases);
