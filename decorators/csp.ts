import 'reflect-metadata';
import { checkCspConfig, type CspConfig } from '../src/http/csp';
import { CSP_OVERRIDE, CSP_REPORT_ONLY_OVERRIDE } from './metadata-keys';

/** A decorator for a handler, or for a controller (then every handler without its own). */
export type CspDecorator = MethodDecorator & ClassDecorator;

const EMPTY: CspConfig = Object.freeze({});

/**
 * Stores `config` under `key`: on the method for a handler, on the class for a controller. The
 * policy is checked here, so a bad one fails when the module loads, naming the decorator.
 */
function cspDecorator(key: symbol, config: CspConfig, name: string): CspDecorator {
  checkCspConfig(config, name);
  const frozen: CspConfig = Object.freeze({ ...config });
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) Reflect.defineMetadata(key, frozen, target);
    else Reflect.defineMetadata(key, frozen, target, propertyKey);
  }) as CspDecorator;
}

/**
 * Replaces the `secureCsp` policy for this handler (or every handler of this controller), as
 * Django 6.0's `@csp_override(config)`. `{}` sends no `Content-Security-Policy` header here.
 * Needs ContentSecurityPolicyMiddleware; the report-only header keeps its own policy.
 * @example
 * \@Get('/map/')
 * \@CspOverride({ 'default-src': [CSP.SELF], 'img-src': [CSP.SELF, 'https://tiles.example.com'] })
 * map() { ... }
 */
export function CspOverride(config: CspConfig): CspDecorator {
  return cspDecorator(CSP_OVERRIDE, config, '@CspOverride()');
}

/**
 * Replaces the `secureCspReportOnly` policy for this handler or controller, as Django 6.0's
 * `@csp_report_only_override(config)`. `{}` sends no `Content-Security-Policy-Report-Only`.
 * @example
 * \@Get('/beta/')
 * \@CspReportOnlyOverride({ 'default-src': [CSP.NONE], 'report-uri': '/csp-report/' })
 * beta() { ... }
 */
export function CspReportOnlyOverride(config: CspConfig): CspDecorator {
  return cspDecorator(CSP_REPORT_ONLY_OVERRIDE, config, '@CspReportOnlyOverride()');
}

/**
 * No CSP header at all for this handler or controller: both policies overridden with `{}`, which
 * is how Django 6.0 disables them per view (`@csp_override({})` and
 * `@csp_report_only_override({})`; Django has no `csp_exempt`).
 * @example
 * \@Get('/legacy-widget/')
 * \@CspExempt()
 * widget() { ... }
 */
export function CspExempt(): CspDecorator {
  const enforced = cspDecorator(CSP_OVERRIDE, EMPTY, '@CspExempt()');
  const reportOnly = cspDecorator(CSP_REPORT_ONLY_OVERRIDE, EMPTY, '@CspExempt()');
  return ((target: object, propertyKey?: string | symbol) => {
    (enforced as (target: object, propertyKey?: string | symbol) => void)(target, propertyKey);
    (reportOnly as (target: object, propertyKey?: string | symbol) => void)(target, propertyKey);
  }) as CspDecorator;
}

/**
 * The policies a route's decorators set: the method's, else its controller's; undefined when
 * neither has one (the settings apply).
 * @internal
 */
export function getCspOverrides(controller: Function, methodName: string): { enforced: CspConfig | undefined; reportOnly: CspConfig | undefined } {
  const proto = controller.prototype as object;
  const read = (key: symbol): CspConfig | undefined =>
    Reflect.getMetadata(key, proto, methodName) ?? Reflect.getMetadata(key, controller);
  return { enforced: read(CSP_OVERRIDE), reportOnly: read(CSP_REPORT_ONLY_OVERRIDE) };
}
