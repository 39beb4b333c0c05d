import type { DependencyContainer } from 'tsyringe';
import type { Middleware } from '../core/middleware';
import type { Settings } from '../core/settings';
import type { CheckMessage } from './check-message';

/** What a check looks at: the app as `createApp` was given it, with its settings resolved. */
export interface CheckTarget {
  readonly settings: Readonly<Settings>;
  readonly controllers: readonly Function[];
  /** The middleware the app runs (Django's default stack when `createApp` was given none). */
  readonly middleware: readonly Middleware[];
  readonly container: DependencyContainer;
}

/** A check returns its findings; an empty list means all is well. */
export type SystemCheck = (target: CheckTarget) => CheckMessage[];

export interface CheckOptions {
  /**
   * Only with `reinhardt check --deploy` (Django's `deploy=True`): production advice that would be
   * noise in development and in tests, so never run when an app starts.
   */
  deploy?: boolean;
}

const registered: { check: SystemCheck; deploy: boolean }[] = [];

/**
 * Adds a check to the one registry (Django's `@register`); each module registers its own.
 * @example
 * registerCheck((target) => (target.settings.debug ? [checkWarning('myapp.W001', 'Debug is on.')] : []));
 */
export function registerCheck(check: SystemCheck, options: CheckOptions = {}): void {
  if (!registered.some((entry) => entry.check === check)) registered.push({ check, deploy: options.deploy === true });
}

/**
 * Runs the registered checks (with `deploy`, the deployment checks too) and returns every finding.
 * @example runRegisteredChecks(target, { deploy: true }).filter((m) => m.isSerious)
 */
export function runRegisteredChecks(target: CheckTarget, options: { deploy?: boolean } = {}): CheckMessage[] {
  const deploy = options.deploy === true;
  return registered.filter((entry) => deploy || !entry.deploy).flatMap((entry) => entry.check(target));
}
