/**
 * The health-check contract (django-health-check's `BaseHealthCheckBackend`): a check is an
 * `async run()` that returns when the dependency is fine and throws when it is not. A
 * `HealthCheckError` is an expected failure, reported with its message; any other error is a bug
 * or an unforeseen state, logged and reported only as "unknown error" (its text may hold hosts,
 * credentials or stack details that a public probe endpoint must not show).
 */

/**
 * One named readiness check.
 * @example
 * const database: HealthCheck = { name: 'database', run: async () => void (await db.query('SELECT 1')) };
 * healthController({ checks: [database], timeout: 1000 });
 */
export interface HealthCheck {
  /** The key of its result in the JSON report, e.g. `sessionStore` or `cache:default`. */
  readonly name: string;
  /** Resolves when healthy; throws (a {@link HealthCheckError} to say why) when not. */
  run(): Promise<void>;
}

/**
 * An expected failure of a check, shown in the report as its message
 * (django-health-check's `ServiceUnavailable`).
 * @example
 * const queue: HealthCheck = {
 *   name: 'queue',
 *   async run() {
 *     if ((await queueDepth()) > 10_000) throw new HealthCheckError('queue backlog over 10000');
 *   },
 * };
 */
export class HealthCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HealthCheckError';
  }
}

/** The result of one check in the report. */
export type HealthCheckResult = { status: 'ok' } | { status: 'error'; error: string };

/** The body of `/readyz`: `ok` only when every check passed. */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  checks?: Record<string, HealthCheckResult>;
}
