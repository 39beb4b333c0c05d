/** Every reflect-metadata key Reinhardt uses, in one place (Fastify's lib/symbols.js). */
export const CONTROLLER = Symbol('reinhardt:controller');
export const ROUTES = Symbol('reinhardt:routes');
export const PARAMS = Symbol('reinhardt:params');
export const CSRF_EXEMPT = Symbol('reinhardt:csrf-exempt');
export const LOGIN_REQUIRED = Symbol('reinhardt:login-required');
export const PERMISSION_REQUIRED = Symbol('reinhardt:permission-required');
/** Route guards: functions run before the handler that may answer instead of it (@LoginRequired, ...). */
export const GUARDS = Symbol('reinhardt:guards');
/** Conditional view processing: the ETag / Last-Modified functions of @Condition, @ETag, @LastModified. */
export const CONDITIONS = Symbol('reinhardt:conditions');
/** Per-route Content-Security-Policy: the policies of @CspOverride / @CspReportOnlyOverride / @CspExempt. */
export const CSP_OVERRIDE = Symbol('reinhardt:csp-override');
export const CSP_REPORT_ONLY_OVERRIDE = Symbol('reinhardt:csp-report-only-override');
