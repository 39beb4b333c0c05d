/**
 * The four levels Reinhardt logs at, with pino's numbers (debug 20, info 30, warn 40, error 50)
 * for comparing and Python's level names (`WARNING`, as `logging.getLevelName`) for the human
 * format, which reads like Django's console output.
 */

/** A level a record is written at and the `logLevel` setting names. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** pino's level numbers: a record is written when its number is at least the minimum's. */
export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = Object.freeze({ debug: 20, info: 30, warn: 40, error: 50 });

/** Python's names for the same levels (logging.DEBUG ... logging.ERROR). */
export const LEVEL_NAMES: Readonly<Record<LogLevel, string>> = Object.freeze({ debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' });

/**
 * Whether `value` names a level.
 * @example isLogLevel('warn') // true
 */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LEVEL_VALUES, value);
}
