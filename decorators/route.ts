import 'reflect-metadata';
import { ROUTES } from './metadata-keys';

/** Options of a route decorator. */
export interface RouteOptions {
  /** The route's name for `reverse()`. */
  name?: string;
}

export interface RouteMetadata {
  methods: string[];
  path: string;
  name: string | null;
  propertyKey: string;
}

/**
 * Declares a handler for several methods.
 * @example \@Route(['GET', 'POST'], '/contact/', { name: 'contact' })
 */
export function Route(methods: string[], path = '', options: RouteOptions = {}): MethodDecorator {
  return (target, propertyKey) => {
    const controller = target.constructor;
    const routes: RouteMetadata[] = Reflect.getOwnMetadata(ROUTES, controller) ?? [];
    routes.push({
      methods: methods.map((method) => method.toUpperCase()),
      path,
      name: options.name ?? null,
      propertyKey: String(propertyKey),
    });
    Reflect.defineMetadata(ROUTES, routes, controller);
  };
}

/** `@Get('/<int:id>/', { name: 'poll-detail' })` */
export const Get = (path = '', options?: RouteOptions): MethodDecorator => Route(['GET'], path, options);
/** `@Post('/<int:id>/vote/')` */
export const Post = (path = '', options?: RouteOptions): MethodDecorator => Route(['POST'], path, options);
/** `@Put('/<int:id>/')` */
export const Put = (path = '', options?: RouteOptions): MethodDecorator => Route(['PUT'], path, options);
/** `@Patch('/<int:id>/')` */
export const Patch = (path = '', options?: RouteOptions): MethodDecorator => Route(['PATCH'], path, options);
/** `@Delete('/<int:id>/')` */
export const Delete = (path = '', options?: RouteOptions): MethodDecorator => Route(['DELETE'], path, options);
/** `@Head('/ping/')`: a HEAD handler of its own (otherwise HEAD is served by the GET handler). */
export const Head = (path = '', options?: RouteOptions): MethodDecorator => Route(['HEAD'], path, options);
/** `@Options('/x/')`: an OPTIONS handler of its own (otherwise OPTIONS answers 204 with Allow). */
export const Options = (path = '', options?: RouteOptions): MethodDecorator => Route(['OPTIONS'], path, options);

export function getRouteMetadata(controller: Function): RouteMetadata[] {
  return Reflect.getOwnMetadata(ROUTES, controller) ?? [];
}
