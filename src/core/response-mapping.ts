import { Readable } from 'node:stream';
import { HttpResponse } from '../http/http-response';
import { JsonResponse } from '../http/json-response';
import { StreamingHttpResponse } from '../http/streaming-http-response';
import { HttpResponseNoContent } from '../http/response-subclasses';

/** Mapped JSON: `safe: false` (arrays are fine here) and the content type given, so no copy is made. */
const MAPPED_JSON = Object.freeze({ safe: false, contentType: 'application/json' });

/**
 * Turns what a handler returned into a response (SPEC §3). `culprit` names the controller and
 * method for the error Django's `check_response` would raise.
 */
export function toResponse(value: unknown, culprit: string): HttpResponse {
  if (value instanceof HttpResponse) return value;
  if (value === null || value === undefined) return new HttpResponseNoContent();
  switch (typeof value) {
    case 'string':
      return new HttpResponse(value);
    case 'object':
      if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
        return new HttpResponse(value, { contentType: 'application/octet-stream' });
      }
      if (value instanceof Readable || typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
        return new StreamingHttpResponse(value as AsyncIterable<string | Buffer>);
      }
      return new JsonResponse(value, MAPPED_JSON);
    default:
      throw new TypeError(
        `The view ${culprit} didn't return an HttpResponse object. It returned a ${typeof value} (${String(value)}), ` +
          'which Reinhardt cannot turn into a response: return an HttpResponse, an object or array (JSON), a string (HTML), ' +
          'a Buffer, a stream, or null.',
      );
  }
}
