/**
 * A Logger that keeps its records in an array instead of writing them, for tests: register it
 * (`createApp({ logger })`, or the container's LOGGER) and assert the exact records a request
 * produced, as Django's tests do with `assertLogs('django.request', 'WARNING')`. Children share
 * their parent's array, so the records of every part of the app land in one place.
 */
import type { LogLevel } from '../logging/log-levels';
import type { LogFields, Logger } from '../logging/logger';

/** One record as logged: its level, the bindings of the logger it came through, its fields and message. */
export interface LogRecord {
  level: LogLevel;
  /** Django's logger name (`reinhardt.request`, `reinhardt.security.csrf`, ...), when it has one. */
  name?: string;
  msg?: string;
  [field: string]: unknown;
}

const NO_FIELDS: LogFields = Object.freeze({});

/**
 * Keeps every record in `records`.
 *
 * @example
 * const logger = new CapturingLogger();
 * const client = new Client(createApp({ controllers: [PollController], logger }));
 * await client.post('/vote/', {});
 * expect(logger.records).toEqual([
 *   { level: 'warn', name: 'reinhardt.security.csrf', requestId: expect.any(String), status: 403, msg: 'Forbidden (CSRF cookie not set.): /vote/' },
 * ]);
 */
export class CapturingLogger implements Logger {
  readonly records: LogRecord[];
  private readonly bindings: LogFields;

  constructor(bindings: LogFields = NO_FIELDS, records: LogRecord[] = []) {
    this.bindings = bindings;
    this.records = records;
  }

  debug(fields: LogFields | string, message?: string): void {
    this.keep('debug', fields, message);
  }

  info(fields: LogFields | string, message?: string): void {
    this.keep('info', fields, message);
  }

  warn(fields: LogFields | string, message?: string): void {
    this.keep('warn', fields, message);
  }

  error(fields: LogFields | string, message?: string): void {
    this.keep('error', fields, message);
  }

  child(bindings: LogFields): CapturingLogger {
    return new CapturingLogger({ ...this.bindings, ...bindings }, this.records);
  }

  /**
   * The records of one logger name (and level, if given).
   * @example expect(logger.named('reinhardt.request', 'error')).toHaveLength(1);
   */
  named(name: string, level?: LogLevel): LogRecord[] {
    return this.records.filter((record) => record.name === name && (level === undefined || record.level === level));
  }

  /** The messages, in order, for assertions that only care about the text. */
  messages(level?: LogLevel): string[] {
    return this.records.filter((record) => level === undefined || record.level === level).map((record) => record.msg ?? '');
  }

  /** Forgets the records kept so far. */
  clear(): void {
    this.records.length = 0;
  }

  private keep(level: LogLevel, fieldsOrMessage: LogFields | string, message?: string): void {
    const fields = typeof fieldsOrMessage === 'string' ? NO_FIELDS : fieldsOrMessage;
    const text = typeof fieldsOrMessage === 'string' ? fieldsOrMessage : message;
    const record: LogRecord = { level, ...this.bindings, ...fields };
    if (text !== undefined) record.msg = text;
    this.records.push(record);
  }
}
