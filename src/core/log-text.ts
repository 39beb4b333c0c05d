/**
 * Text made safe to write into a log line. Request data (a path, a header parameter, a cookie)
 * reaches log messages, and a raw newline in it starts a line the attacker wrote
 * (`POST /x%0A[ERROR]%20forged` logs a forged `[ERROR]` record); terminal escapes (`\x1b[...`)
 * rewrite what an operator sees. Django escapes the arguments of `log_response` with Python's
 * `unicode_escape` since 5.2.2 / 5.1.10 / 4.2.22 (CVE-2025-48432, django/utils/log.py). Every
 * framework log call goes through {@link escapeLogText}: the app logger (src/core/application.ts),
 * the CSRF failure warning and the SuspiciousSession warnings.
 */

// C0 controls, DEL, C1 controls (NEL U+0085 among them), the Unicode line and paragraph
// separators, and the backslash itself, so that an escaped line reads back unambiguously.
const UNSAFE = /[\x00-\x1f\x7f-\x9f\\\u2028\u2029]/;
const UNSAFE_ALL = /[\x00-\x1f\x7f-\x9f\\\u2028\u2029]/g;

/**
 * `text` with every control character written as Python's `unicode_escape` writes it (`\n`,
 * `\r`, `\t`, `\x1b`, `\u2028`) and `\` as `\\`; printable text, non-ASCII included, is kept
 * as it is (Django escapes all non-ASCII too). Text with nothing to escape is returned as is.
 *
 * @example
 * escapeLogText('Forbidden (CSRF cookie not set.): /s/x\n[ERROR] forged/')
 * // 'Forbidden (CSRF cookie not set.): /s/x\\n[ERROR] forged/'
 */
export function escapeLogText(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
}

/**
 * What goes after a log message about `error`: its stack, whose first line(s) (`Name: message`,
 * where request data may sit) are escaped and whose frames keep their own lines; a string is
 * escaped; anything else is returned for the logger to format.
 *
 * @example logger.error(escapeLogText(message), errorDetailForLog(error));
 */
export function errorDetailForLog(error: unknown): unknown {
  if (typeof error === 'string') return escapeLogText(error);
  if (!(error instanceof Error)) return error;
  const stack = error.stack;
  if (typeof stack !== 'string') return escapeLogText(String(error));
  // V8 writes the stack's header as Error.prototype.toString does when the stack is first read.
  const head = Error.prototype.toString.call(error);
  // A header that no longer matches (message changed after the stack was read) cannot be told
  // apart from the frames: escape it all, one line, rather than let a line through unescaped.
  if (!stack.startsWith(head)) return escapeLogText(stack);
  return escapeLogText(head) + stack.slice(head.length);
}

function escapeChar(char: string): string {
  switch (char) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\\':
      return '\\\\';
    default: {
      const code = char.charCodeAt(0);
      return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
    }
  }
}
