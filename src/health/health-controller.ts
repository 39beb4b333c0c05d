/**
 * The opt-in probe routes, `GET /healthz` (liveness) and `GET /readyz` (readiness), shaped like
 * `openApiController()`: a factory whose class the app lists among its controllers.
 */
import type { Server } from 'node:http';
import { inject } from 'tsyringe';
import { NeverCache } from '../../decorators/cache';
import { Controller } from '../../decorators/controller';
import { ApiExclude } from '../../decorators/openapi';
import { Get } from '../../decorators/route';
import type { HttpRequest } from '../http/http-request';
import { JsonResponse } from '../http/json-response';
import { SessionStore } from '../sessions/session-store';
import { appLoggerFor } from '../logging/app-loggers';
import { exemptFromAccessLog } from '../logging/access-log';
import { markLogged } from '../logging/log-response';
import { cacheChecks, sessionStoreCheck } from './dependency-checks';
import type { HealthCheck, HealthReport } from './health-check';
import { runHealthChecks, type HealthLogger } from './run-health-checks';

/** Options of {@link healthController}. */
export interface HealthControllerOptions {
  /** Extra readiness checks, run with the built-in ones (session store, caches). */
  checks?: readonly HealthCheck[];
  /** Milliseconds each check may take before it counts as failed. Default 2000. */
  timeout?: number;
  /**
   * Seconds a readiness report is reused (default 0: every probe runs the checks). Probes that
   * arrive while a run is in progress share it either way, so a burst of probes is one run.
   */
  cacheSeconds?: number;
  /** Where the routes live (default '': `/healthz` and `/readyz`). */
  prefix?: string;
  /** Where unexpected check errors are logged (default: the app's logger, as `reinhardt.health`). */
  logger?: HealthLogger;
}

const SHUTTING_DOWN: HealthReport = { status: 'shutting_down' };

/**
 * Whether the server that accepted this request has stopped listening: `app.close()` and SIGTERM
 * close the listener first and let in-flight requests finish, and a load balancer must hear
 * `shutting_down` on those (NestJS terminus does the same). A request without a socket (the test
 * Client) is never draining.
 */
function draining(request: HttpRequest): boolean {
  // node:net sets `socket.server` on every connection a server accepts (lib/net.js onconnection);
  // `listening` turns false as soon as `server.close()` is called, before the drain ends.
  const server = (request.req.socket as { server?: Server } | null)?.server;
  return server !== undefined && !server.listening;
}

/**
 * A controller answering `/healthz` (200 `{"status":"ok"}` while the process serves) and `/readyz`
 * (200 when the session store, every configured cache and each extra check answer; 503 with the
 * per-check results when one fails). Both answer 503 `{"status":"shutting_down"}` while the server
 * drains, carry `Cache-Control: no-store` (Django's `never_cache` headers) and are left out of the
 * OpenAPI document. They are GET routes, so CSRF never applies.
 * @example
 * const app = createApp({
 *   controllers: [PollController, healthController({ checks: [databaseCheck], timeout: 1000 })],
 * });
 * // GET /healthz -> {"status":"ok"}
 * // GET /readyz  -> {"status":"ok","checks":{"sessionStore":{"status":"ok"},"cache:default":{"status":"ok"},"database":{"status":"ok"}}}
 */
export function healthController(options: HealthControllerOptions = {}): new (store: SessionStore) => object {
  const timeout = options.timeout ?? 2000;
  const cacheMs = (options.cacheSeconds ?? 0) * 1000;
  const extra = options.checks ?? [];
  const names = new Set<string>();
  for (const check of extra) {
    if (names.has(check.name)) throw new TypeError(`healthController(): two checks are named ${check.name}.`);
    names.add(check.name);
  }

  @Controller(options.prefix ?? '')
  @ApiExclude()
  class HealthController {
    private checks: readonly HealthCheck[] | null = null;
    private logger: HealthLogger | null = null;
    private running: Promise<HealthReport> | null = null;
    private last: HealthReport | null = null;
    private lastAt = 0;

    constructor(@inject(SessionStore) private readonly store: SessionStore) {}

    @Get('/healthz', { name: 'healthz' })
    @NeverCache()
    liveness(request: HttpRequest): JsonResponse {
      return draining(request) ? probeFailed(SHUTTING_DOWN) : new JsonResponse({ status: 'ok' });
    }

    @Get('/readyz', { name: 'readyz' })
    @NeverCache()
    async readiness(request: HttpRequest): Promise<JsonResponse> {
      if (draining(request)) return probeFailed(SHUTTING_DOWN);
      const report = await this.report(request);
      return report.status === 'ok' ? new JsonResponse(report) : probeFailed(report);
    }

    private report(request: HttpRequest): Promise<HealthReport> {
      if (this.last !== null && Date.now() - this.lastAt < cacheMs) return Promise.resolve(this.last);
      if (this.running !== null) return this.running;
      // Built on the first probe: the caches come from the settings the request carries.
      this.logger ??= (options.logger ?? appLoggerFor(request.settings)).child({ name: 'reinhardt.health' });
      this.checks ??= [sessionStoreCheck(this.store, this.logger), ...cacheChecks(request.settings, this.logger), ...extra];
      const running = runHealthChecks(this.checks, timeout, this.logger).then((report) => {
        this.running = null;
        this.last = report;
        this.lastAt = Date.now();
        return report;
      });
      this.running = running;
      return running;
    }
  }
  // A load balancer polls these every few seconds: their lines would drown the log.
  exemptFromAccessLog(HealthController);
  return HealthController;
}

/**
 * A probe's 503, kept out of the `reinhardt.request` records as probes are kept out of the access
 * log: an orchestrator asks every few seconds, the failed check is logged on `reinhardt.health`
 * with its cause, and a drain by the server's shutdown lines.
 */
function probeFailed(report: HealthReport): JsonResponse {
  return markLogged(new JsonResponse(report, { status: 503 }));
}
