/**
 * The one logger every part of Reinhardt writes to. Its shape is pino's (`logger.info(fields,
 * message)`, `logger.child(bindings)`), so a pino logger is a Reinhardt logger as it is, and the
 * default one writes the same records without pino installed.
 *
 * Records carry Django's logger names in a `name` field: `reinhardt.request` (4xx/5xx answers),
 * `reinhardt.server` (the access log, start-up and shutdown), `reinhardt.security.csrf`,
 * `reinhardt.security.DisallowedHost`, `reinhardt.security.SuspiciousSession`, ... as
 * `django.request`, `django.server` and `django.security.*` in Django's logging docs.
 */

/** Structured fields of one record (`name`, `requestId`, `status`, `err`, ...). */
export type LogFields = Record<string, unknown>;

/** One level's method: fields first, as pino takes them; the message is optional. */
export interface LogMethod {
  (fields: LogFields, message?: string): void;
  (message: string): void;
}

/**
 * What Reinhardt logs through: the levels Django's logging uses (`warn` for `WARNING`),
 * and `child` for a logger whose records all carry some fields (a name, a request ID).
 *
 * @example
 * import pino from 'pino';
 * createApp({ controllers, logger: pino() });
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger whose records also carry `bindings` (pino's `child`). */
  child(bindings: LogFields): Logger;
}

/**
 * The container token the logger is registered under: `createApp({ logger })` registers it;
 * without one, the app registers the default logger (see `defaultLogger`).
 *
 * @example container.register(LOGGER, { useValue: capturingLogger });
 */
export const LOGGER = 'reinhardt:logger';
