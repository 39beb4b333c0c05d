import type { DependencyContainer } from 'tsyringe';
import { HttpRequest } from '../http/http-request';

/**
 * Resolves a `{ scope: 'request' }` controller from a child container in which the request is
 * registered under the `HttpRequest` token, so its constructor (and its dependencies') may take it.
 * Made only for request-scoped routes: the singleton path never creates a container.
 */
export function resolveForRequest<T>(container: DependencyContainer, target: new (...args: any[]) => T, request: HttpRequest): T {
  const child = container.createChildContainer();
  child.register(HttpRequest, { useValue: request });
  return child.resolve(target);
}
