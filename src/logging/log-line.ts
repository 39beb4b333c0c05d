/**
 * One record as one line of text, in the default logger's two formats:
 *
 * - human (settings.debug), read in a terminal, like Django's console output:
 *   `[06/Dec/2026 13:22:06] WARNING reinhardt.security.csrf: Forbidden (CSRF cookie not set.): /vote/ requestId=1a2b-1`;
 *   `reinhardt.server`'s info records (the access log, start-up lines) use Django's `django.server`
 *   formatter, `[{server_time}] {message}` (django/utils/log.py DEFAULT_LOGGING), so the access log
 *   reads as runserver's: `[06/Dec/2026 12:00:00] "GET / HTTP/1.1" 200 123`.
 * - JSON (production), one object per line with pino's field names (`level`, `time`, `name`,
 *   `msg`, `err`), so the tools made for pino's output read it.
 *
 * Request data reaches messages and fields; a newline in it would start a line the client wrote
 * (CVE-2025-48432). The human format escapes every message and string field with escapeLogText;
 * JSON.stringify escapes control characters by itself.
 */
import { errorDetailForLog, escapeLogText } from '../core/log-text';
import { LEVEL_NAMES, type LogLevel } from './log-levels';
import type { LogFields } from './logger';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * `06/Dec/2026 12:00:00`, local time: BaseHTTPRequestHandler.log_date_time_string, the
 * `server_time` of Django's `django.server` records.
 * @example logTime(new Date(2026, 11, 6, 12, 0, 0)) // '06/Dec/2026 12:00:00'
 */
export function logTime(date: Date): string {
  return `${two(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/**
 * The human line of a record (without the final newline): the time, the level, the logger's
 * name, the message, then the other fields as `key=value`; an `err` follows on the next lines as
 * its escaped stack (errorDetailForLog).
 * @example formatHumanLine('warn', Date.now(), { name: 'reinhardt.security.csrf' }, 'Forbidden (CSRF cookie not set.): /vote/')
 */
export function formatHumanLine(level: LogLevel, time: number, fields: LogFields, message: string): string {
  const name = fields.name;
  const head = `[${logTime(new Date(time))}]`;
  if (name === 'reinhardt.server' && level === 'info') return `${head} ${escapeLogText(message)}`;
  let line = `${head} ${LEVEL_NAMES[level]} ${typeof name === 'string' ? `${escapeLogText(name)}: ` : ''}${escapeLogText(message)}`;
  let err: unknown;
  for (const key in fields) {
    if (key === 'name') continue;
    const value = fields[key];
    if (key === 'err') err = value;
    else if (value !== undefined) line += ` ${escapeLogText(key)}=${humanValue(value)}`;
  }
  if (err !== undefined) {
    const detail = errorDetailForLog(err);
    line += `\n${typeof detail === 'string' ? detail : humanValue(detail)}`;
  }
  return line;
}

/** A string as it is (escaped), anything else as JSON: `status=500 path=/x`. */
function humanValue(value: unknown): string {
  if (typeof value === 'string') return escapeLogText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return escapeLogText(safeStringify(value));
}

/**
 * The JSON line of a record (without the final newline), in pino's order: `level` (as a label:
 * pino's `formatters.level`), `time` (epoch milliseconds), the fields, `msg`. An `err` is
 * serialised as pino's std serializer does: `{ type, message, stack }`.
 * @example formatJsonLine('info', 0, { name: 'reinhardt.server' }, 'GET /') // '{"level":"info","time":0,"name":"reinhardt.server","msg":"GET /"}'
 */
export function formatJsonLine(level: LogLevel, time: number, fields: LogFields, message: string | undefined): string {
  const record: Record<string, unknown> = { level, time };
  for (const key in fields) {
    const value = fields[key];
    record[key] = key === 'err' ? serializeError(value) : value;
  }
  if (message !== undefined) record.msg = message;
  return safeStringify(record);
}

/** pino's `stdSerializers.err`, for the fields logs are searched by. */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const out: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const key of Object.keys(error)) if (!(key in out)) out[key] = (error as unknown as Record<string, unknown>)[key];
  return out;
}

/** JSON.stringify that never throws: a record with a cycle or a BigInt is still written. */
function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
  }
}
