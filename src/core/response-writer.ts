/**
 * Writes an HttpResponse to a Node `ServerResponse`: the one place bytes reach the socket.
 * A buffered body goes out as one `writeHead` + one `end`; a streaming body (including a
 * FileResponse's file stream) through `stream.pipeline`, which waits for 'drain' between
 * chunks and tears both ends down on an error or a client that goes away.
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { HttpResponse } from '../http/http-response';
import type { StreamingHttpResponse } from '../http/streaming-http-response';

/**
 * Buffered bodies up to this size reach Node as a string: text given in utf-8 as it is, bytes as
 * a latin1 string (byte for byte the same bytes). Node then sends the head and the body as one
 * string, one chunk, where a Buffer body makes two chunks through `writev` — which costs the
 * server about a tenth of a small JSON endpoint's throughput (bench/README.md). Past this size
 * the copy of bytes into a string would cost more than it saves.
 */
const STRING_BODY_LIMIT = 16 * 1024;

/** Where writeResponse counts the body bytes it sent, for the access log (src/logging/access-log.ts). */
export interface BytesSent {
  bytes: number;
}

/** Called with an error a streaming body raised after the headers were sent (for logging). */
export type StreamErrorListener = (error: unknown, response: HttpResponse) => void;

/** RFC 9110 §6.4.1: 1xx, 204 and 304 responses have no content; §8.6: 1xx and 204 no Content-Length. */
function hasNoBody(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/**
 * The headers as Node's flat `[name, value, name, value, ...]` list: one allocation, no
 * per-header `setHeader`, and repeated names (one `Set-Cookie` per cookie) allowed.
 * `contentLength` replaces any Content-Length header; -1 keeps the response's own; -2 drops it.
 */
function headerList(response: HttpResponse, contentLength: number): string[] {
  const list: string[] = [];
  const headers = response.headers.wireList; // [key, name, value, ...], keys lower-case
  for (let i = 0; i < headers.length; i += 3) {
    if (contentLength !== -1 && headers[i] === 'content-length') continue;
    list.push(headers[i + 1], headers[i + 2]);
  }
  if (contentLength >= 0) list.push('Content-Length', String(contentLength));
  const cookies = response.cookieHeaders();
  for (let i = 0; i < cookies.length; i++) list.push('Set-Cookie', cookies[i]);
  return list;
}

/**
 * Sends `response` on `res`. `isHead`: send the headers a GET would get (Content-Length
 * included) and no body. Returns nothing for a buffered body and a promise for a streaming
 * one; the promise always resolves, also when the client disconnects (the stream is stopped,
 * a file closed) or the body fails mid-way (the socket is destroyed, since the status is
 * already sent; `onStreamError` hears of it). `response.close()` runs once the body is done.
 * `sent`, when given, counts the body bytes written (once the promise resolves for a stream).
 *
 * @example
 * http.createServer(async (req, res) => {
 *   await writeResponse(res, new HttpResponse('hi'), req.method === 'HEAD');
 * });
 */
export function writeResponse(
  res: ServerResponse,
  response: HttpResponse,
  isHead: boolean,
  onStreamError?: StreamErrorListener,
  sent?: BytesSent,
): Promise<void> | undefined {
  const status = response.statusCode;
  const noBody = hasNoBody(status);
  if (!response.streaming) {
    const body = response.wireBody;
    const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    res.writeHead(status, response.reasonPhrase, headerList(response, noBody ? -2 : length));
    if (isHead || noBody) res.end();
    else if (typeof body === 'string') res.end(body, 'utf8');
    else if (body.length <= STRING_BODY_LIMIT) res.end(body.toString('latin1'), 'latin1');
    else res.end(body);
    if (sent !== undefined && !(isHead || noBody)) sent.bytes = length;
    response.close();
    return undefined;
  }
  try {
    res.writeHead(status, response.reasonPhrase, headerList(response, noBody ? -2 : -1));
  } catch (error) {
    response.close();
    throw error;
  }
  if (isHead || noBody) {
    res.end();
    response.close();
    return undefined;
  }
  return streamBody(res, response as StreamingHttpResponse, onStreamError, sent);
}

/** The chunks of `source`, their bytes added to `sent` as they pass (only when counting). */
async function* counted(source: AsyncIterable<Buffer | string>, sent: BytesSent): AsyncIterable<Buffer | string> {
  for await (const chunk of source) {
    sent.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    yield chunk;
  }
}

function streamBody(res: ServerResponse, response: StreamingHttpResponse, onStreamError?: StreamErrorListener, sent?: BytesSent): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      res.off('close', finish);
      response.close();
      resolve();
    };
    // 'close' before the pipeline settles means the client went away: stop now, whatever the
    // source is waiting on (pipeline would only notice at its next chunk).
    res.once('close', finish);
    let source: AsyncIterable<Buffer>;
    try {
      source = response.streamingContent;
    } catch (error) {
      onStreamError?.(error, response);
      res.destroy();
      finish();
      return;
    }
    pipeline(sent === undefined ? source : counted(source, sent), res).then(finish, (error: unknown) => {
      if ((error as { code?: string } | null)?.code !== 'ERR_STREAM_PREMATURE_CLOSE') onStreamError?.(error, response);
      res.destroy();
      finish();
    });
  });
}
