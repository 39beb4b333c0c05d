import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { CONTROLLER } from './metadata-keys';

export interface ControllerOptions {
  /**
   * `'singleton'` (default): one instance, resolved when the app starts.
   * `'request'`: a fresh instance per request from a child container in which `HttpRequest` is
   * registered, so the constructor may take the request.
   */
  scope?: 'singleton' | 'request';
  /**
   * An API controller: every error under it — a 400 parse error, 401/403/404/405/413/429/500, a
   * validation error — answers JSON (`{"detail": ...}`, plus `errors` for validation) whatever
   * the client's Accept says, and so does a path under `prefix` that no route matches.
   */
  api?: boolean;
}

export interface ControllerMetadata {
  prefix: string;
  scope: 'singleton' | 'request';
  api: boolean;
}

/**
 * Marks a class as a controller: injectable by tsyringe, with a path prefix for its routes.
 * @example
 * \@Controller('/polls')
 * export class PollController {
 *   constructor(private readonly polls: PollRepository) {}
 *   \@Get('/<int:id>/', { name: 'poll-detail' })
 *   detail(request: HttpRequest, id: number) { return this.polls.find(id); }
 * }
 * // Errors under /api/ answer JSON whatever Accept says:
 * \@Controller('/api/polls', { api: true })
 * export class PollApiController { ... }
 */
export function Controller(prefix = '', options: ControllerOptions = {}): ClassDecorator {
  return (target) => {
    const metadata: ControllerMetadata = { prefix, scope: options.scope ?? 'singleton', api: options.api === true };
    Reflect.defineMetadata(CONTROLLER, metadata, target);
    injectable()(target as unknown as new (...args: any[]) => unknown);
  };
}

export function getControllerMetadata(target: Function): ControllerMetadata | undefined {
  return Reflect.getMetadata(CONTROLLER, target);
}
