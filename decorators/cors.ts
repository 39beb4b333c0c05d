import 'reflect-metadata';
import { checkCorsOptions, type CorsOptions } from '../src/middleware/cors-policy';
import { CORS_OVERRIDE } from './metadata-keys';

/** A decorator for a handler, or for a controller (then every handler without its own). */
export type CorsDecorator = MethodDecorator & ClassDecorator;

/** What a route's decorators stored: its options, or null when it is exempt. */
export type CorsOverride = Readonly<CorsOptions> | null;

function corsDecorator(value: CorsOverride): CorsDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(CORS_OVERRIDE, value, target);
    else Reflect.defineMetadata(CORS_OVERRIDE, value, target, propertyKey);
  }) as CorsDecorator;
}

/**
 * CORS for this handler (or every handler of this controller) with `options` over the `cors*`
 * settings: each option left out keeps its setting. The route is served CORS headers even when
 * `corsUrlsRegex` does not cover its path; a preflight for it (an OPTIONS request naming the
 * route's method in `Access-Control-Request-Method`) is answered with these options too. The
 * options are checked here, so a bad origin fails when the module loads. Needs CorsMiddleware.
 * @example
 * \@Get('/api/widgets/')
 * \@Cors({ allowedOrigins: ['https://partner.example.com'], exposeHeaders: ['x-total-count'] })
 * widgets() { ... }
 */
export function Cors(options: CorsOptions = {}): CorsDecorator {
  checkCorsOptions(options, '@Cors()');
  return corsDecorator(Object.freeze({ ...options }));
}

/**
 * No CORS for this handler or controller: no `Access-Control-*` headers and no `Vary: Origin`,
 * and its preflights go on to the app's own OPTIONS answer (which allows no origin), so browsers
 * refuse cross-origin calls to it whatever the settings allow.
 * @example
 * \@Post('/api/admin/purge/')
 * \@CorsExempt()
 * purge() { ... }
 */
export function CorsExempt(): CorsDecorator {
  return corsDecorator(null);
}

/**
 * The CORS override a route's decorators set: the method's, else its controller's; undefined
 * when neither has one (the settings apply).
 * @internal
 */
export function getCorsOverride(controller: Function, methodName: string): CorsOverride | undefined {
  const proto = controller.prototype as object;
  const own: CorsOverride | undefined = Reflect.getMetadata(CORS_OVERRIDE, proto, methodName);
  return own !== undefined ? own : (Reflect.getMetadata(CORS_OVERRIDE, controller) as CorsOverride | undefined);
}
