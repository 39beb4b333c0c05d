/**
 * The access log: one `reinhardt.server` record at INFO per request served, written once its
 * last byte went out (Django's WSGIRequestHandler.log_request, after the response). The message
 * is Django's runserver line, `"GET /polls/ HTTP/1.1" 200 123`, so the human format prints it as
 * runserver does (`[06/Dec/2026 12:00:00] "GET /polls/ HTTP/1.1" 200 123`); the fields carry the
 * same facts for JSON lines: method, path, status, bytes (body bytes sent), durationMs and the
 * request ID.
 *
 * Off by default (`accessLog: false`): the app then has no AccessLog at all, so a request pays one
 * null check — no timer read, no listener, no record. `reinhardt runserver` turns it on.
 * The health probes are left out (a load balancer polls them every few seconds), as is any
 * controller passed to {@link exemptFromAccessLog}.
 */
import type { IncomingMessage } from 'node:http';
import type { Logger } from './logger';

/** Controllers whose requests are not logged (the health probes). */
const exempt = new WeakSet<Function>();

/**
 * Leaves a controller's requests out of the access log.
 * @example exemptFromAccessLog(HealthController);
 */
export function exemptFromAccessLog(controller: Function): void {
  exempt.add(controller);
}

/** What the access log needs of a request (HttpRequest has it). */
export interface AccessLogRequest {
  readonly req: IncomingMessage;
  readonly route: unknown;
  readonly id: string;
}

/**
 * One app's access log: `begin` when the request arrives, `end` once its response is sent.
 * @example
 * const accessLog = new AccessLog(app.logger);
 * accessLog.begin(request);
 * accessLog.end(request, 200, 123);
 */
export class AccessLog {
  private readonly logger: Logger;
  /** Each request's start (performance.now()), until its record is written. */
  private readonly starts = new WeakMap<AccessLogRequest, number>();

  constructor(logger: Logger) {
    this.logger = logger.child({ name: 'reinhardt.server' });
  }

  begin(request: AccessLogRequest): void {
    this.starts.set(request, performance.now());
  }

  /** Writes the request's record. `bytes`: the body bytes sent (0 for HEAD, 204, 304). */
  end(request: AccessLogRequest, status: number, bytes: number): void {
    const start = this.starts.get(request);
    if (start === undefined) return;
    this.starts.delete(request);
    const route = request.route as { controller?: Function } | null;
    if (route !== null && route.controller !== undefined && exempt.has(route.controller)) return;
    const req = request.req;
    const method = req.method ?? 'GET';
    const target = req.url ?? '/';
    const durationMs = Math.round((performance.now() - start) * 1000) / 1000;
    // The request line as Django's runserver shows it; the fields for JSON lines (path: the
    // request target as sent, query included).
    this.logger.info(
      { method, path: target, status, bytes, durationMs, requestId: request.id },
      `"${method} ${target} HTTP/${req.httpVersion}" ${status} ${bytes}`,
    );
  }
}
