import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import {
  Controller,
  CsrfExempt,
  Delete,
  Get,
  HttpRequest,
  HttpResponse,
  LoginRequired,
  PermissionDenied,
  PermissionRequired,
  Post,
  UseGuards,
  UseMiddleware,
  createApp,
  type NextHandler,
  type RouteGuard,
  type RouteInfo,
} from 'reinhardt';

/** A service a guard needs: tsyringe injects it into the guard's constructor. */
@injectable()
export class MaintenanceWindow {
  active = false;
}

/** A guard class, resolved once from the app's container when the app starts. */
@injectable()
export class NotDuringMaintenance {
  constructor(private readonly maintenance: MaintenanceWindow) {}

  check(_request: HttpRequest, route: RouteInfo) {
    if (this.maintenance.active) {
      return new HttpResponse(`${route.controllerName} is down for maintenance.`, { status: 503, headers: { 'Retry-After': '120' } });
    }
  }
}

/** A guard function: nothing lets the request through, a throw answers 403. */
export const sameTeam: RouteGuard = (request) => {
  if (request.headers.get('X-Team') !== 'polls') throw new PermissionDenied();
};

/** A middleware for these routes only: the app's middleware contract, `(request, next)`. */
export async function serverTiming(request: HttpRequest, next: NextHandler): Promise<HttpResponse> {
  const started = process.hrtime.bigint();
  const response = await next(request);
  response.headers.set('Server-Timing', `app;dur=${Number(process.hrtime.bigint() - started) / 1e6}`);
  return response;
}

// Every handler: logged in, not during maintenance, timed. Class guards run before the
// method's, each in the order written.
@Controller('/admin/polls')
@LoginRequired()
@UseGuards(NotDuringMaintenance)
@UseMiddleware(serverTiming)
export class PollAdminController {
  @Get('/')
  list(request: HttpRequest) {
    return { polls: [], user: request.user.username };
  }

  @Delete('/<int:id>/')
  @PermissionRequired('polls.delete_poll')
  @UseGuards(sameTeam)
  remove(_request: HttpRequest, id: number) {
    return { deleted: id };
  }
}

// A webhook sender has no CSRF cookie: every handler of the class is exempt. It
// authenticates with a shared secret instead, checked by a guard.
@Controller('/hooks')
@CsrfExempt()
@UseGuards((request) => {
  if (request.headers.get('X-Hook-Secret') !== process.env.HOOK_SECRET) throw new PermissionDenied();
})
export class HookController {
  @Post('/payment/')
  payment(request: HttpRequest) {
    return { received: request.POST.get('amount') ?? null };
  }
}

/** `scope` holds the app's UserProvider (see authentication.md); each app gets its own guard instances. */
export function buildApp(scope = container.createChildContainer()) {
  // One window per app, shared by the guard and whoever switches it on.
  scope.registerSingleton(MaintenanceWindow);
  return createApp({
    controllers: [PollAdminController, HookController],
    settings: { secretKey: process.env.SECRET_KEY ?? 'dev-only-secret' },
    container: scope,
  });
}
