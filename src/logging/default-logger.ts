/**
 * The logger an app uses when it is given none: one line per record to stderr, human-readable
 * when `settings.debug` is on and JSON lines otherwise (see log-line.ts), records below
 * `settings.logLevel` dropped before anything is formatted.
 *
 * Django's default (django/utils/log.py DEFAULT_LOGGING) shows INFO and up on the console only
 * with DEBUG on and sends ERROR to the admins' mail otherwise; here `logLevel` (default 'info')
 * applies in both modes, so production keeps its warnings (CSRF failures, DisallowedHost) in the
 * log rather than in a mailbox (docs/differences-from-django.md).
 */
import { LEVEL_VALUES, type LogLevel } from './log-levels';
import { formatHumanLine, formatJsonLine } from './log-line';
import type { LogFields, Logger } from './logger';

/** Where lines go: a stream (process.stderr) or anything with a `write(text)`. */
export interface LogDestination {
  write(text: string): unknown;
}

export interface LineLoggerOptions {
  /** 'human' (Django's console lines) or 'json' (pino's lines). */
  format: 'human' | 'json';
  /** Records below this level are dropped. Default 'info'. */
  level?: LogLevel;
  /** Default process.stderr. */
  destination?: LogDestination;
}

/** What a logger and all its children share. */
interface Sink {
  readonly format: 'human' | 'json';
  readonly minimum: number;
  readonly destination: LogDestination;
}

const NO_FIELDS: LogFields = Object.freeze({});

/**
 * A Logger writing one line per record. Children share the destination and the level and add
 * their bindings to every record, as pino's do.
 *
 * @example
 * const logger = new LineLogger({ format: 'json', level: 'warn' });
 * logger.child({ name: 'reinhardt.security.csrf' }).warn('Forbidden (CSRF cookie not set.): /vote/');
 * // {"level":"warn","time":1765027326000,"name":"reinhardt.security.csrf","msg":"Forbidden (CSRF cookie not set.): /vote/"}
 */
export class LineLogger implements Logger {
  private readonly sink: Sink;
  private readonly bindings: LogFields;

  constructor(options: LineLoggerOptions, bindings: LogFields = NO_FIELDS) {
    this.sink = { format: options.format, minimum: LEVEL_VALUES[options.level ?? 'info'], destination: options.destination ?? process.stderr };
    this.bindings = bindings;
  }

  debug(fields: LogFields | string, message?: string): void {
    if (this.sink.minimum <= 20) this.write('debug', fields, message);
  }

  info(fields: LogFields | string, message?: string): void {
    if (this.sink.minimum <= 30) this.write('info', fields, message);
  }

  warn(fields: LogFields | string, message?: string): void {
    if (this.sink.minimum <= 40) this.write('warn', fields, message);
  }

  error(fields: LogFields | string, message?: string): void {
    this.write('error', fields, message);
  }

  child(bindings: LogFields): Logger {
    const child = Object.create(LineLogger.prototype) as { sink: Sink; bindings: LogFields };
    child.sink = this.sink;
    child.bindings = this.bindings === NO_FIELDS ? { ...bindings } : { ...this.bindings, ...bindings };
    return child as unknown as Logger;
  }

  /** Whether records at `level` are written (pino's `isLevelEnabled`): skip building costly fields. */
  isLevelEnabled(level: LogLevel): boolean {
    return LEVEL_VALUES[level] >= this.sink.minimum;
  }

  private write(level: LogLevel, fieldsOrMessage: LogFields | string, message?: string): void {
    let fields = this.bindings;
    let text = message;
    if (typeof fieldsOrMessage === 'string') text = fieldsOrMessage;
    else if (fields === NO_FIELDS) fields = fieldsOrMessage;
    else fields = { ...fields, ...fieldsOrMessage };
    const time = Date.now();
    const line = this.sink.format === 'json' ? formatJsonLine(level, time, fields, text) : formatHumanLine(level, time, fields, text ?? '');
    this.sink.destination.write(`${line}\n`);
  }
}

/**
 * The app's logger when `createApp` is given none and none is registered under LOGGER: human
 * lines with `debug`, JSON lines without, at `logLevel`, to stderr.
 * @example const logger = defaultLogger(resolveSettings({ debug: true }));
 */
export function defaultLogger(settings: { readonly debug: boolean; readonly logLevel: LogLevel }, destination?: LogDestination): LineLogger {
  return new LineLogger({ format: settings.debug ? 'human' : 'json', level: settings.logLevel, destination });
}
