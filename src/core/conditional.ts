/**
 * Conditional requests and ranges (RFC 9110 §13 and §14), as pure functions of a request's
 * method and headers and the resource's validators: Django's `get_conditional_response`
 * (django/utils/cache.py) plus the `Range`/`If-Range` handling Django leaves to the web server.
 * `checkPreconditions` serves the @Condition decorators before a handler runs;
 * `applyConditional` is the after-handler check (Django's ConditionalGetMiddleware).
 */
import { HttpResponse } from '../http/http-response';
import { FileResponse } from '../http/file-response';
import { HttpResponseNotModified, HttpResponsePreconditionFailed } from '../http/response-subclasses';

/** The little of a request this needs (an HttpRequest fits; so does a test double). */
export interface ConditionalRequest {
  readonly method: string;
  readonly headers: { get(name: string): string | null | undefined };
}

/** Django's ETAG_MATCH: an optionally weak quoted entity-tag (RFC 9110 §8.8.3). */
export const ETAG = /^((?:W\/)?"[^"]*")$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime formats (Django's parse_http_date).
const IMF_FIXDATE = /^\w{3}, (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE = /^\w{6,9}, (\d{2})-(\w{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^\w{3} (\w{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;
const RANGE = /^bytes=(\d*)-(\d*)$/i;
// Headers a 304 keeps (RFC 9110 §15.4.5), plus Last-Modified, as Django's `_not_modified`.
const NOT_MODIFIED_HEADERS = ['Cache-Control', 'Content-Location', 'Date', 'ETag', 'Expires', 'Last-Modified', 'Vary'];

/** Django's `parse_etags`: `['*']`, or the valid entity-tags of a comma-separated list. */
export function parseEtags(header: string): string[] {
  if (header.trim() === '*') return ['*'];
  const out: string[] = [];
  for (const part of header.split(',')) {
    const match = ETAG.exec(part.trim());
    if (match !== null) out.push(match[1]);
  }
  return out;
}

/** Seconds since the epoch of an HTTP date in any of RFC 9110's three formats, or null. */
export function parseHttpDate(text: string): number | null {
  let day: string, month: string, year: number, h: string, m: string, s: string;
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    [, day, month, , h, m, s] = match;
    year = Number(match[3]);
  } else if ((match = RFC850_DATE.exec(text)) !== null) {
    [, day, month, , h, m, s] = match;
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    const twoDigits = Number(match[3]);
    const now = new Date().getUTCFullYear();
    const century = now - (now % 100);
    year = twoDigits - (now % 100) > 50 ? century - 100 + twoDigits : century + twoDigits;
  } else if ((match = ASCTIME_DATE.exec(text)) !== null) {
    [, month, day, h, m, s] = match;
    year = Number(match[6]);
  } else return null;
  const monthIndex = MONTHS.indexOf(month.toLowerCase());
  if (monthIndex === -1) return null;
  const ms = Date.UTC(year, monthIndex, Number(day), Number(h), Number(m), Number(s));
  return Number.isFinite(ms) ? ms / 1000 : null;
}

/** The response's ETag and Last-Modified (whole seconds), from FileResponse's stat or the headers. */
function validators(response: HttpResponse): { etag: string | undefined; lastModified: number | null } {
  const etag = response.headers.get('etag');
  const header = response.headers.get('last-modified');
  return { etag, lastModified: header === undefined ? null : parseHttpDate(header) };
}

/** Strips `W/` for the weak comparison of RFC 9110 §8.8.3.2. */
function opaque(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

/**
 * Django's `_not_modified`: a 304 keeping the validators, caching headers and cookies of
 * `response`, which is closed (its file or stream released, never read).
 * @example
 * if (ifNoneMatchMatches(ifNoneMatch, etag)) return notModified(response);
 */
export function notModified(response: HttpResponse): HttpResponse {
  const answer = new HttpResponseNotModified();
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== undefined) answer.headers.set(name, value);
  }
  copyCookies(response, answer);
  response.close();
  return answer;
}

/**
 * RFC 9110 §13.1.2: whether an `If-None-Match` field value names `etag` (`*`, or one of its
 * entity-tags equal to `etag` by the weak comparison of §8.8.3.2: `W/` ignored on both sides).
 * @example
 * ifNoneMatchMatches('W/"v3-br", "v2"', 'W/"v3-br"') // true
 */
export function ifNoneMatchMatches(ifNoneMatch: string, etag: string): boolean {
  return namesWeakly(parseEtags(ifNoneMatch), etag);
}

/** Whether parsed `If-None-Match` tags name `etag`: `*`, or an equal tag by weak comparison. */
function namesWeakly(tags: readonly string[], etag: string): boolean {
  if (tags[0] === '*') return true;
  const wanted = opaque(etag);
  return tags.some((tag) => opaque(tag) === wanted);
}

function copyCookies(from: HttpResponse, to: HttpResponse): void {
  if (from.cookieHeaders().length === 0) return;
  for (const [name, cookie] of from.cookies) to.cookies.set(name, cookie);
}

/**
 * Evaluates the preconditions of RFC 9110 §13.2.2 against the resource's validators, in its
 * order (Django's `get_conditional_response`, steps 1-4): 1. `If-Match` (strong comparison;
 * `*` matches any current representation) fails -> 412; 2. else `If-Unmodified-Since` fails
 * -> 412; 3. `If-None-Match` (weak comparison) matches -> 304 for GET/HEAD, 412 otherwise;
 * 4. else `If-Modified-Since` not older than Last-Modified -> 304 for GET/HEAD. Returns 0 when
 * the request may proceed. Invalid dates and entity-tags are ignored, as Django.
 *
 * @example
 * if (checkPreconditions(request, '"v3"', null) === 412) return new HttpResponsePreconditionFailed();
 */
export function checkPreconditions(request: ConditionalRequest, etag: string | undefined, lastModified: number | null): 0 | 304 | 412 {
  const headers = request.headers;
  const method = request.method.toUpperCase();
  return decide(
    headers.get('if-match'),
    headers.get('if-unmodified-since'),
    headers.get('if-none-match'),
    headers.get('if-modified-since'),
    method === 'GET' || method === 'HEAD',
    etag,
    lastModified,
  );
}

function decide(
  ifMatch: string | null | undefined,
  ifUnmodifiedSince: string | null | undefined,
  ifNoneMatch: string | null | undefined,
  ifModifiedSince: string | null | undefined,
  safe: boolean,
  etag: string | undefined,
  lastModified: number | null,
): 0 | 304 | 412 {
  // §13.1.1 If-Match: strong comparison; '*' matches any current representation.
  const ifMatchTags = ifMatch ? parseEtags(ifMatch) : [];
  if (ifMatchTags.length > 0) {
    const passes = etag !== undefined && (ifMatchTags[0] === '*' || (!etag.startsWith('W/') && ifMatchTags.includes(etag)));
    if (!passes) return 412;
  } else if (ifUnmodifiedSince) {
    // §13.1.4: ignored when the date is invalid.
    const since = parseHttpDate(ifUnmodifiedSince);
    if (since !== null && !(lastModified !== null && lastModified <= since)) return 412;
  }

  // §13.1.2 If-None-Match: weak comparison.
  const ifNoneMatchTags = ifNoneMatch ? parseEtags(ifNoneMatch) : [];
  if (ifNoneMatchTags.length > 0) {
    const matches = etag !== undefined && namesWeakly(ifNoneMatchTags, etag);
    if (matches) return safe ? 304 : 412;
  } else if (ifModifiedSince && safe) {
    // §13.1.3: only for GET/HEAD, ignored when invalid or when If-None-Match is present.
    const since = parseHttpDate(ifModifiedSince);
    if (since !== null && lastModified !== null && lastModified <= since) return 304;
  }
  return 0;
}

/**
 * The after-handler check (Django's ConditionalGetMiddleware): answers a conditional or range
 * GET or HEAD from `response` when it applies, else returns `response` unchanged. Any other
 * method is left alone: its handler already ran, and "it's too late to prevent an unsafe request
 * with a 412 response" (django/middleware/http.py) — a PUT's preconditions belong before its
 * handler, in @Condition / @ETag / @LastModified. Only 2xx responses are considered (Django).
 * After the preconditions of {@link checkPreconditions} (412 or 304):
 * `Range` on a FileResponse read from a path, honouring `If-Range` (§13.1.5):
 * one `bytes=a-b`, `a-` or `-n` range -> 206 with `Content-Range: bytes a-b/size`; a range
 * that starts past the end -> 416 with the unsatisfied-range Content-Range (§14.4, the size
 * only). Several ranges are answered with the whole file (200): a server may ignore Range
 * (§14.2), and multipart/byteranges is rarely worth its cost. A malformed Range is ignored (§14.2).
 *
 * @example
 * const response = applyConditional(request, new FileResponse('/srv/video.mp4'));
 */
export function applyConditional(request: ConditionalRequest, response: HttpResponse): HttpResponse {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') return response;
  const status = response.statusCode;
  if (status < 200 || status > 299) return response;
  const headers = request.headers;
  const ifMatch = headers.get('if-match');
  const ifUnmodifiedSince = headers.get('if-unmodified-since');
  const ifNoneMatch = headers.get('if-none-match');
  const ifModifiedSince = headers.get('if-modified-since');
  const range = headers.get('range');
  if (!ifMatch && !ifUnmodifiedSince && !ifNoneMatch && !ifModifiedSince && !range) return response;

  const { etag, lastModified } = validators(response);
  const outcome = decide(ifMatch, ifUnmodifiedSince, ifNoneMatch, ifModifiedSince, true, etag, lastModified);
  if (outcome === 412) return preconditionFailed(response);
  if (outcome === 304) return notModified(response);

  if (range && status === 200 && response instanceof FileResponse && response.supportsRanges) {
    return applyRange(headers.get('if-range'), range, response, etag, lastModified);
  }
  return response;
}

function preconditionFailed(response: HttpResponse): HttpResponse {
  response.close();
  return new HttpResponsePreconditionFailed();
}

/** §14.2 Range and §13.1.5 If-Range for one file. */
function applyRange(
  ifRange: string | null | undefined,
  rangeHeader: string,
  response: FileResponse,
  etag: string | undefined,
  lastModified: number | null,
): HttpResponse {
  if (ifRange) {
    // An entity-tag must match strongly; a date must equal Last-Modified exactly. Otherwise
    // the representation changed: send all of it.
    const current = ifRange.startsWith('"') || ifRange.startsWith('W/')
      ? etag !== undefined && !etag.startsWith('W/') && ifRange === etag
      : lastModified !== null && parseHttpDate(ifRange) === lastModified;
    if (!current) return response;
  }
  const match = RANGE.exec(rangeHeader.trim());
  if (match === null) return response; // several ranges, another unit, or malformed
  const [, first, last] = match;
  if (first === '' && last === '') return response;
  const size = response.fileSize ?? 0;
  let start: number;
  let end: number;
  if (first === '') {
    // suffix-range: the last n bytes (§14.1.2); n = 0 cannot be satisfied.
    const length = Number(last);
    if (length === 0 || size === 0) return unsatisfiable(response, size);
    start = Math.max(0, size - length);
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return response; // invalid range-spec: ignore Range
    if (start >= size) return unsatisfiable(response, size);
  }
  response.byteRange = { start, end };
  response.statusCode = 206;
  response.headers.setUnchecked('Content-Range', `bytes ${start}-${end}/${size}`, 'content-range');
  response.headers.setUnchecked('Content-Length', String(end - start + 1), 'content-length');
  return response;
}

/** §15.5.17: 416 with the current length, keeping the response's cookies. */
function unsatisfiable(response: FileResponse, size: number): HttpResponse {
  const answer = new HttpResponse(undefined, { status: 416 });
  answer.headers.setUnchecked('Content-Range', `bytes */${size}`, 'content-range');
  copyCookies(response, answer);
  response.close();
  return answer;
}
