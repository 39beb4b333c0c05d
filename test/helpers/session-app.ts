/**
 * A small app for the serve() tests, run as its own process:
 *   PORT=8001 REDIS_URL=redis://127.0.0.1:6380 WORKERS=2 node -r ./test/helpers/register-ts.js test/helpers/session-app.ts
 * Prints `listening <pid>` for each worker that listens.
 */
import 'reflect-metadata';
import cluster from 'node:cluster';
import { container } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { CsrfExempt } from '../../decorators/guards';
import { Get, Post } from '../../decorators/route';
import { AbstractBaseUser } from '../../src/auth/anonymous-user';
import { login } from '../../src/auth/login';
import { UserProvider } from '../../src/auth/user-provider';
import { createApp } from '../../src/core/application';
import { serve } from '../../src/core/serve';
import type { HttpRequest } from '../../src/http/http-request';
import { RedisSessionStore } from '../../src/sessions/redis-session-store';
import { SessionStore } from '../../src/sessions/session-store';

class Member extends AbstractBaseUser {
  constructor(readonly id: string, readonly username: string) {
    super();
  }
}
const members = new Map([['1', new Member('1', 'alice')]]);

class Members implements UserProvider<Member> {
  async getUser(id: string) {
    return members.get(id) ?? null;
  }
  getUserId(user: Member) {
    return user.id;
  }
}

@Controller('')
class SessionApp {
  @Post('/login/')
  @CsrfExempt()
  async login(request: HttpRequest) {
    await login(request, members.get(String(request.POST.get('id')))!);
    request.session.set('loggedInBy', process.pid);
    return { pid: process.pid };
  }

  @Get('/whoami/')
  whoami(request: HttpRequest) {
    return { pid: process.pid, user: request.user.isAuthenticated ? request.user.username : null, loggedInBy: request.session.get('loggedInBy') ?? null };
  }

  @Get('/crash/')
  crash() {
    setImmediate(() => process.exit(1));
    return { pid: process.pid };
  }
}

if (cluster.isPrimary) {
  cluster.on('listening', (worker) => {
    // CHANNEL_ERROR=1: the primary's message to this worker fails as it does when the worker is
    // exiting (test/core/serve.test.ts), before the test is told the worker listens.
    if (process.env.CHANNEL_ERROR) worker.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
    console.log(`listening ${worker.process.pid}`);
  });
}

void serve(
  () => {
    container.register(SessionStore, { useValue: new RedisSessionStore({ url: process.env.REDIS_URL }) });
    container.register(UserProvider, { useClass: Members });
    return createApp({ controllers: [SessionApp], settings: { secretKey: 'shared-secret', allowedHosts: ['127.0.0.1'] } });
  },
  { port: Number(process.env.PORT), host: '127.0.0.1', workers: Number(process.env.WORKERS ?? 2), shutdownTimeout: 3000 },
);
