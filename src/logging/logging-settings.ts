/**
 * Start-up checks of the logging settings (settings.ts calls them, so this file does not import
 * Settings back): a bad value fails `createApp` naming the setting, not the first request.
 */
import { ImproperlyConfigured } from '../http/errors';
import { isLogLevel, type LogLevel } from './log-levels';

/** The settings this checks. */
interface LoggingSettings {
  readonly logLevel: LogLevel;
  readonly accessLog: boolean;
  readonly requestIdHeader: string;
  readonly trustRequestIdHeader: boolean;
}

/** RFC 9110 §5.6.2's token: what a header field name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Checks the logging settings at start-up, naming the one at fault.
 * @example checkLoggingSettings({ logLevel: 'verbose' }) // throws: The logLevel setting must be ...
 */
export function checkLoggingSettings(settings: LoggingSettings): void {
  if (!isLogLevel(settings.logLevel)) {
    throw new ImproperlyConfigured(`The logLevel setting must be 'debug', 'info', 'warn' or 'error', not ${JSON.stringify(settings.logLevel)}.`);
  }
  for (const key of ['accessLog', 'trustRequestIdHeader'] as const) {
    if (typeof settings[key] !== 'boolean') throw new ImproperlyConfigured(`The ${key} setting must be true or false.`);
  }
  if (typeof settings.requestIdHeader !== 'string' || !HEADER_NAME.test(settings.requestIdHeader)) {
    throw new ImproperlyConfigured(`The requestIdHeader setting must be a header name such as 'X-Request-ID', not ${JSON.stringify(settings.requestIdHeader)}.`);
  }
}
