import type { Logger } from '../logging/logger';
import { HealthCheckError, type HealthCheck, type HealthCheckResult, type HealthReport } from './health-check';

/** Where unexpected check errors go: the app's logger (a child named `reinhardt.health`). */
export type HealthLogger = Logger;

const OK: HealthCheckResult = { status: 'ok' };

/**
 * Runs every check at once, each against its own timer, so one hung dependency costs at most
 * `timeoutMs` and never holds the endpoint (AdonisJS's health checks have no timeout; a Redis that
 * accepts the TCP connection and never answers would hang every probe). A timed-out check keeps
 * running in the background; its late outcome is ignored.
 */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs: number, logger: HealthLogger): Promise<HealthReport> {
  const results = await Promise.all(checks.map((check) => runOne(check, timeoutMs, logger)));
  const report: Record<string, HealthCheckResult> = {};
  let healthy = true;
  for (let i = 0; i < checks.length; i++) {
    report[checks[i].name] = results[i];
    if (results[i].status !== 'ok') healthy = false;
  }
  return { status: healthy ? 'ok' : 'error', checks: report };
}

async function runOne(check: HealthCheck, timeoutMs: number, logger: HealthLogger): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'error', error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const ran = Promise.resolve()
    .then(() => check.run())
    .then(
      () => OK,
      (error: unknown): HealthCheckResult => {
        if (error instanceof HealthCheckError) return { status: 'error', error: error.message };
        // django-health-check logs the exception and reports "unknown error": the text of an
        // unexpected error is for the operator's log, not for whoever can reach the probe.
        logger.error({ check: check.name, err: error }, `Health check ${check.name} failed with an unexpected error`);
        return { status: 'error', error: 'unknown error' };
      },
    );
  try {
    return await Promise.race([ran, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
