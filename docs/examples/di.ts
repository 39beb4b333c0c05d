import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import { Controller, Get, HttpRequest, createApp, currentRequest } from 'reinhardt';

/** A singleton service: one instance for the app's lifetime. */
@injectable()
export class VisitCounter {
  private count = 0;
  next(): number {
    return ++this.count;
  }
}

/** A service deep in a call chain that needs the request without taking it as an argument. */
@injectable()
export class AuditLog {
  describe(action: string): string {
    return `${action} by ${currentRequest().getHost()}`;
  }
}

/** Singleton controller (the default): built once at start, its dependencies injected. */
@Controller('/stats')
export class StatsController {
  constructor(
    private readonly counter: VisitCounter,
    private readonly audit: AuditLog,
  ) {}

  @Get('/')
  visits() {
    return { visits: this.counter.next(), audit: this.audit.describe('count') };
  }
}

/** Request-scoped controller: a fresh instance per request; the constructor may take the HttpRequest. */
@Controller('/whoami', { scope: 'request' })
export class WhoAmIController {
  constructor(private readonly request: HttpRequest) {}

  @Get('/')
  show() {
    return { path: this.request.path, lang: this.request.GET.get('lang') };
  }
}

export function buildApp() {
  const scope = container.createChildContainer(); // keep registrations out of the root container
  scope.registerSingleton(VisitCounter);
  return createApp({
    controllers: [StatsController, WhoAmIController],
    container: scope,
    settings: { debug: true, requestContext: true }, // AuditLog calls currentRequest()
  });
}
