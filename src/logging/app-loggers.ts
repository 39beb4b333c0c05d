/**
 * Each app's logger, by the app's settings object (what every request it makes carries, as the
 * error views and the router are found: src/core/exception-to-response.ts), so that
 * `request.log` and the modules that only have a request or the settings in hand (the CSRF
 * middleware, the session store, the rate limiter) log through the app's logger without the
 * app. A request made outside an app (a unit test's `new HttpRequest`) gets the default logger
 * for its settings.
 */
import type { DependencyContainer } from 'tsyringe';
import { defaultLogger } from './default-logger';
import type { LogLevel } from './log-levels';
import { LOGGER, type Logger } from './logger';

/** The settings a logger is looked up by (and the default one built from). */
export interface LoggerSettings {
  readonly debug: boolean;
  readonly logLevel: LogLevel;
}

const loggers = new WeakMap<LoggerSettings, Logger>();

/**
 * The logger of a new app: createApp's `logger`, registered under LOGGER for the parts that
 * resolve it; else the one registered in its container (or a parent); else the default logger
 * (not registered: another app in the same container may have other settings).
 * @example this.logger = resolveAppLogger(options.logger, this.container, this.settings);
 */
export function resolveAppLogger(given: Logger | undefined, container: DependencyContainer, settings: LoggerSettings): Logger {
  if (given !== undefined) {
    container.registerInstance(LOGGER, given);
    return given;
  }
  return container.isRegistered(LOGGER, true) ? container.resolve<Logger>(LOGGER) : defaultLogger(settings);
}

/** Called once by the app at start-up. */
export function registerAppLogger(settings: LoggerSettings, logger: Logger): void {
  loggers.set(settings, logger);
}

/**
 * The logger of the app these settings belong to; the default logger for settings no app made.
 * @example appLoggerFor(request.settings).child({ name: 'reinhardt.cache' }).error({ err }, 'The cache failed');
 */
export function appLoggerFor(settings: LoggerSettings): Logger {
  let logger = loggers.get(settings);
  if (logger === undefined) {
    logger = defaultLogger(settings);
    loggers.set(settings, logger);
  }
  return logger;
}
