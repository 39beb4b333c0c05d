/**
 * The entry point of the system checks: loads the built-in check modules (each registers its own
 * checks), runs them when an app starts, and keeps what they looked at for `reinhardt check`.
 */
import type { CheckMessage } from './check-message';
import { runRegisteredChecks, type CheckTarget } from './check-registry';
import { SystemCheckError } from './check-report';
import './settings-checks';
import './routing-checks';
import './security-checks';
import '../staticfiles/static-checks';
import type { Logger } from '../logging/logger';

/** Each app's check target, for `reinhardt check` (which gets the app, not its options). */
const targets = new WeakMap<object, CheckTarget>();
let deferred = 0;

/**
 * Every registered check's findings for an app; with `deploy`, Django's deployment checklist too.
 * @example
 * const messages = runChecks(app, { deploy: true });
 * console.log(formatCheckReport(messages));
 */
export function runChecks(app: object, options: { deploy?: boolean } = {}): CheckMessage[] {
  const target = targets.get(app);
  if (target === undefined) throw new TypeError('runChecks() takes an Application made by createApp().');
  return runRegisteredChecks(target, options);
}

/**
 * Called once by the Application constructor, before its routes are built: the checks that are
 * not deployment checks run, an error throws SystemCheckError with Django's report, and warnings
 * go to the logger. Nothing here runs per request.
 * @internal
 */
export function runStartupChecks(app: object, target: CheckTarget, logger: Logger): void {
  targets.set(app, target);
  // A command that loads the app runs the checks it needs itself (Django's requires_system_checks).
  if (deferred > 0) return;
  const messages = runRegisteredChecks(target);
  if (messages.length === 0) return;
  if (messages.some((m) => m.isSerious)) throw new SystemCheckError(messages);
  // Django's runserver prints them; here they are records of their own logger, their id a field to filter on.
  const checks = logger.child({ name: 'reinhardt.checks' });
  for (const message of messages) checks.warn({ checkId: message.id }, String(message));
}

/**
 * Runs `load` (which creates an app) without the start-up checks, for a command that reports
 * them itself (`reinhardt check`) or does not need them (`reinhardt routes`).
 * @internal
 */
export function withStartupChecksDeferred<T>(load: () => T): T {
  deferred++;
  try {
    return load();
  } finally {
    deferred--;
  }
}
