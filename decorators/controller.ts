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
}

export interface ControllerMetadata {
  prefix: string;
  scope: 'singleton' | 'request';
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
 */
export function Controller(prefix = '', options: ControllerOptions = {}): ClassDecorator {
  return (target) => {
    const metadata: ControllerMetadata = { prefix, scope: options.scope ?? 'singleton' };
    Reflect.defineMetadata(CONTROLLER, metadata, target);
    injectable()(target as unknown as new (...args: any[]) => unknown);
  };
}

export function getControllerMetadata(target: Function): ControllerMetadata | undefined {
  return Reflect.getMetadata(CONTROLLER, target);
}
