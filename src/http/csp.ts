/**
 * Content-Security-Policy values: the `CSP` constants, the policy type and `buildPolicy` (Django
 * 6.0's django/utils/csp.py). The middleware that sends the headers is
 * src/middleware/content-security-policy.ts; this module knows no request.
 */
import { ImproperlyConfigured } from './errors';
import type { HttpResponse } from './http-response';

/**
 * One directive's value: a source list (an array, or a Set, sorted for a stable header), a single
 * source, `true` for a directive without value (`upgrade-insecure-requests`), `false` or `null`
 * to leave the directive out.
 */
export type CspDirectiveValue = string | readonly string[] | ReadonlySet<string> | boolean | null;

/**
 * A policy: directive name → value, e.g. `{ 'default-src': [CSP.SELF] }` (the shape of Django's
 * `SECURE_CSP`). An empty object means no header.
 */
export type CspConfig = Readonly<Record<string, CspDirectiveValue>>;

/**
 * Django's CSP constants (django.utils.csp.CSP): the quoted keywords, so that `'self'` is never
 * written without its quotes, and the `NONCE` placeholder that the middleware replaces with
 * `'nonce-<request.cspNonce>'` when the request used its nonce (and drops otherwise).
 * @example
 * createApp({ controllers, settings: { secureCsp: { 'default-src': [CSP.SELF], 'script-src': [CSP.SELF, CSP.NONCE] } } });
 */
export const CSP = Object.freeze({
  HEADER_ENFORCE: 'Content-Security-Policy',
  HEADER_REPORT_ONLY: 'Content-Security-Policy-Report-Only',
  NONE: "'none'",
  REPORT_SAMPLE: "'report-sample'",
  SELF: "'self'",
  STRICT_DYNAMIC: "'strict-dynamic'",
  UNSAFE_EVAL: "'unsafe-eval'",
  UNSAFE_HASHES: "'unsafe-hashes'",
  UNSAFE_INLINE: "'unsafe-inline'",
  WASM_UNSAFE_EVAL: "'wasm-unsafe-eval'",
  /** A placeholder, never a real nonce (Django's value). */
  NONCE: '<CSP_NONCE_SENTINEL>',
} as const);

/**
 * The header value for `config` (Django's `build_policy`): directives joined by `; `, each one's
 * sources by spaces, in the object's order. `CSP.NONCE` becomes `'nonce-<nonce>'` when a nonce is
 * given and is dropped otherwise; a directive left with no source is dropped.
 * @example
 * buildPolicy({ 'default-src': [CSP.SELF], 'script-src': [CSP.SELF, CSP.NONCE] }, 'abc123')
 * // "default-src 'self'; script-src 'self' 'nonce-abc123'"
 */
export function buildPolicy(config: CspConfig, nonce?: string | null): string {
  const policy: string[] = [];
  for (const directive of Object.keys(config)) {
    const values = config[directive];
    if (values === null || values === undefined || values === false) continue;
    if (values === true) {
      policy.push(directive);
      continue;
    }
    const list = typeof values === 'string' ? [values] : values instanceof Set ? [...values].sort() : [...(values as readonly string[])];
    const sources: string[] = [];
    for (const value of list) {
      if (value !== CSP.NONCE) sources.push(value);
      else if (nonce) sources.push(`'nonce-${nonce}'`);
    }
    if (sources.length > 0) policy.push(`${directive} ${sources.join(' ')}`);
  }
  return policy.join('; ');
}

/**
 * A policy compiled once (at start-up, or the first request of a route): the header value as it
 * is without a nonce, and the pieces to join around the nonce when the policy holds `CSP.NONCE`.
 * @internal
 */
export interface CompiledPolicy {
  readonly withoutNonce: string;
  /** null when the policy has no `CSP.NONCE`: the header never changes. */
  readonly aroundNonce: readonly string[] | null;
}

/** Stands for the nonce while compiling: checked sources are visible ASCII, so it occurs nowhere else. */
const MARK = '\u0000';

/**
 * Compiles `config` after checking it (see checkCspConfig); null for `{}`, which sends no header.
 * A policy with directives is always sent, even one that renders empty, as Django does.
 * @internal
 */
export function compilePolicy(config: CspConfig, name: string): CompiledPolicy | null {
  checkCspConfig(config, name);
  if (Object.keys(config).length === 0) return null;
  const withoutNonce = buildPolicy(config, null);
  const marked = buildPolicy(config, MARK);
  return { withoutNonce, aroundNonce: marked === withoutNonce ? null : marked.split(MARK) };
}

/** The header value for one response: the nonce in it only when the request used one. @internal */
export function renderPolicy(policy: CompiledPolicy, nonce: string | null | undefined): string {
  const pieces = policy.aroundNonce;
  return pieces === null || typeof nonce !== 'string' ? policy.withoutNonce : pieces.join(nonce);
}

/** A directive name: CSP3 §2.2, `directive-name = 1*( ALPHA / DIGIT / "-" )`. */
const DIRECTIVE_NAME = /^[A-Za-z0-9-]+$/;
/**
 * A source: visible ASCII without `;` (ends a directive) or `,` (starts another policy, CSP3
 * §2.2.1), so a policy from settings can never inject a directive, a policy or a header line.
 */
const SOURCE = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+$/;

/**
 * Fails at start-up, naming the setting or decorator, on a policy that is not an object of
 * directive → value, or whose names or sources would break the header (Django builds whatever
 * it is given; a bad value there only shows in the browser).
 * @internal
 */
export function checkCspConfig(config: unknown, name: string): asserts config is CspConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ImproperlyConfigured(`${name} must be an object of CSP directives, e.g. { 'default-src': [CSP.SELF] }.`);
  }
  for (const [directive, value] of Object.entries(config)) {
    if (!DIRECTIVE_NAME.test(directive)) {
      throw new ImproperlyConfigured(`${name}: '${directive}' is not a CSP directive name.`);
    }
    if (value === null || value === undefined || typeof value === 'boolean') continue;
    const list: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) || value instanceof Set ? [...value] : [value];
    for (const source of list) {
      if (typeof source !== 'string' || !SOURCE.test(source)) {
        throw new ImproperlyConfigured(
          `${name}: the value of '${directive}' must be sources without spaces, ';' or ',' (a string, an array or a Set of them, or a boolean); got ${JSON.stringify(source)}.`,
        );
      }
    }
  }
}

/**
 * Marks a response the CSP middleware leaves alone, as Django leaves its technical 404 and 500
 * pages (tests/middleware/test_csp.py, test_csp_500_debug_view): their inline style would be
 * blocked by the policy meant for the app's pages.
 * @internal
 */
export const CSP_EXEMPT_RESPONSE: unique symbol = Symbol('reinhardt:csp-exempt-response');

/** Marks `response` with {@link CSP_EXEMPT_RESPONSE} and returns it. @internal */
export function exemptFromCsp<R extends HttpResponse>(response: R): R {
  (response as unknown as Record<symbol, boolean>)[CSP_EXEMPT_RESPONSE] = true;
  return response;
}
