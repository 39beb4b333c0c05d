import { STATUS_CODES } from 'node:http';

/*
 * Reason phrases for status lines come from Node's `http.STATUS_CODES`, the IANA registry's
 * phrases (RFC 9110 §15); Django looks them up in Python's `http.HTTPStatus`, the same registry.
 */

/** What Django answers for a code neither table knows (`responses.get(code, "Unknown Status Code")`). */
export const UNKNOWN_STATUS_PHRASE = 'Unknown Status Code';

/**
 * The reason phrase for `statusCode`.
 * @example reasonPhraseFor(404) // 'Not Found'
 * @example reasonPhraseFor(599) // 'Unknown Status Code'
 */
export function reasonPhraseFor(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? UNKNOWN_STATUS_PHRASE;
}

// What Python's int() reads as a decimal integer (Django's `int(status)`), spaces around included.
const DECIMAL_INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * Checks a status the way Django's `HttpResponseBase.__init__` does: an integer, 100–599; a
 * string of decimal digits is read as one (`int("404")`), for code that passes a status along
 * from text.
 * @throws TypeError for a non-integer, RangeError outside 100–599 (Django's ValueError).
 */
export function validateStatusCode(status: number): number {
  if (typeof status !== 'number') {
    if (typeof status !== 'string' || !DECIMAL_INTEGER.test(status)) throw new TypeError('HTTP status code must be an integer.');
    status = Number(status);
  }
  if (!Number.isInteger(status)) {
    throw new TypeError('HTTP status code must be an integer.');
  }
  if (status < 100 || status > 599) {
    throw new RangeError('HTTP status code must be an integer from 100 to 599.');
  }
  return status;
}
