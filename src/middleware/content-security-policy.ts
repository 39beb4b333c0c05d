import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { getCspOverrides } from '../../decorators/csp';
import { handleInline, type InlineMiddleware, type InlineNext, type MaybePromise, type MiddlewareClass, type NextHandler } from '../core/middleware';
import type { Settings } from '../core/settings';
import { CSP, CSP_EXEMPT_RESPONSE, compilePolicy, renderPolicy, type CompiledPolicy } from '../http/csp';
import type { HttpRequest } from '../http/http-request';
import type { HttpResponse } from '../http/http-response';

const ENFORCE_KEY = CSP.HEADER_ENFORCE.toLowerCase();
const REPORT_ONLY_KEY = CSP.HEADER_REPORT_ONLY.toLowerCase();

/** The two policies one response gets; null for one that sends no header. */
interface Policies {
  readonly enforced: CompiledPolicy | null;
  readonly reportOnly: CompiledPolicy | null;
}

/** The settings' policies, compiled once per settings object. */
const settingsPolicies = new WeakMap<Readonly<Settings>, Policies>();
/** Each route's policies (its decorators', else the settings'), compiled at its first request. */
const routePolicies = new WeakMap<object, Policies>();

function policiesOfSettings(settings: Readonly<Settings>): Policies {
  let policies = settingsPolicies.get(settings);
  if (policies === undefined) {
    policies = {
      enforced: compilePolicy(settings.secureCsp, 'The secureCsp setting'),
      reportOnly: compilePolicy(settings.secureCspReportOnly, 'The secureCspReportOnly setting'),
    };
    settingsPolicies.set(settings, policies);
  }
  return policies;
}

/** The route's compiled entry carries its controller class (see CompiledRoute in core/route-table.ts). */
interface RouteWithController {
  readonly controller?: unknown;
  readonly methodName: string;
}

/**
 * The policies for this request: a matched route's decorators (`@CspOverride`,
 * `@CspReportOnlyOverride`, `@CspExempt`) replace the settings' policy, each header on its own,
 * as Django's `response._csp_config` / `_csp_ro_config` do; no route (a 404, a 405) uses the
 * settings.
 */
function policiesFor(request: HttpRequest): Policies {
  const route = request.route as RouteWithController | null;
  if (route === null) return policiesOfSettings(request.settings);
  let policies = routePolicies.get(route);
  if (policies === undefined) {
    const fromSettings = policiesOfSettings(request.settings);
    const overrides = typeof route.controller === 'function' ? getCspOverrides(route.controller, route.methodName) : null;
    policies =
      overrides === null || (overrides.enforced === undefined && overrides.reportOnly === undefined)
        ? fromSettings
        : {
            enforced: overrides.enforced === undefined ? fromSettings.enforced : compilePolicy(overrides.enforced, '@CspOverride()'),
            reportOnly: overrides.reportOnly === undefined ? fromSettings.reportOnly : compilePolicy(overrides.reportOnly, '@CspReportOnlyOverride()'),
          };
    routePolicies.set(route, policies);
  }
  return policies;
}

/**
 * Content-Security-Policy headers (Django 6.0's `ContentSecurityPolicyMiddleware`,
 * django/middleware/csp.py): `Content-Security-Policy` from `secureCsp` and
 * `Content-Security-Policy-Report-Only` from `secureCspReportOnly`, each only when its policy is
 * not empty and the response has no such header yet (a handler may set its own). Routes replace
 * either policy with `@CspOverride`, `@CspReportOnlyOverride` or `@CspExempt`.
 *
 * `request.cspNonce` is made only when read; the policy's `CSP.NONCE` then becomes
 * `'nonce-<it>'`, and is dropped from a response that did not read it (Django's LazyNonce), so
 * a page without inline code costs no random bytes and says no nonce.
 *
 * Off by default, as in Django: it is not in `DEFAULT_MIDDLEWARE`, and an app without it pays
 * nothing. Put it near the outside of the stack, so that it sees every response.
 * @example
 * createApp({
 *   controllers,
 *   middleware: [ContentSecurityPolicyMiddleware, ...DEFAULT_MIDDLEWARE],
 *   settings: { secureCsp: { 'default-src': [CSP.SELF], 'script-src': [CSP.SELF, CSP.NONCE] } },
 * });
 */
@injectable()
export class ContentSecurityPolicyMiddleware implements MiddlewareClass, InlineMiddleware {
  async handle(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
    return this[handleInline](request, next);
  }

  [handleInline](request: HttpRequest, next: InlineNext): MaybePromise<HttpResponse> {
    request._cspNonce = null; // from now on, reading request.cspNonce makes one
    const response = next(request);
    return response instanceof Promise ? addPoliciesLater(request, response) : addPolicies(request, response);
  }
}

function addPolicies(request: HttpRequest, response: HttpResponse): HttpResponse {
  if ((response as unknown as Record<symbol, unknown>)[CSP_EXEMPT_RESPONSE] === true) return response;
  const policies = policiesFor(request);
  const nonce = request._cspNonce;
  // The values are checked at start-up (checkCspConfig) and a nonce is base64url: plain ASCII.
  if (policies.enforced !== null) response.headers.addChecked(ENFORCE_KEY, CSP.HEADER_ENFORCE, renderPolicy(policies.enforced, nonce));
  if (policies.reportOnly !== null) response.headers.addChecked(REPORT_ONLY_KEY, CSP.HEADER_REPORT_ONLY, renderPolicy(policies.reportOnly, nonce));
  return response;
}

async function addPoliciesLater(request: HttpRequest, pending: Promise<HttpResponse>): Promise<HttpResponse> {
  return addPolicies(request, await pending);
}
