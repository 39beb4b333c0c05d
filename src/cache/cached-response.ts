import { HttpResponse } from '../http/http-response';

/**
 * A response as the page cache stores it: JSON, so the memory and Redis backends keep the same
 * thing (Django pickles the response object). Only complete, cookie-free responses are stored
 * (see `PageCache`), so the status, the headers and the body bytes are all there is.
 */
export interface CachedResponse {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
  /** The body, base64. */
  readonly body: string;
}

export function toCachedResponse(response: HttpResponse): CachedResponse {
  return {
    status: response.statusCode,
    headers: Array.from(response.headers.entries()),
    body: response.content.toString('base64'),
  };
}

/** A fresh response from a stored one, or null when what is stored is not one (tampered, another format). */
export function fromCachedResponse(stored: unknown): HttpResponse | null {
  if (stored === null || typeof stored !== 'object') return null;
  const { status, headers, body } = stored as Partial<CachedResponse>;
  if (typeof status !== 'number' || typeof body !== 'string' || !Array.isArray(headers)) return null;
  try {
    return new HttpResponse(Buffer.from(body, 'base64'), { status, headers });
  } catch {
    // A header the response refuses: treat it as a miss rather than a 500.
    return null;
  }
}
