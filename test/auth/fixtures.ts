import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { container as root, injectable } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { CsrfExempt, LoginRequired, PermissionRequired } from '../../decorators/guards';
import { Get, Post } from '../../decorators/route';
import { AbstractBaseUser } from '../../src/auth/anonymous-user';
import { authenticate } from '../../src/auth/backends';
import { AuthenticationBackend } from '../../src/auth/authentication-backend';
import { login, logout } from '../../src/auth/login';
import { UserProvider } from '../../src/auth/user-provider';
import { createApp } from '../../src/core/application';
import type { Settings } from '../../src/core/settings';
import { PermissionDenied } from '../../src/http/errors';
import type { HttpRequest } from '../../src/http/http-request';
import { HttpResponseForbidden } from '../../src/http/response-subclasses';
import { csrfToken } from '../../src/middleware/csrf';
import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { SessionStore } from '../../src/sessions/session-store';
import { Client } from '../../src/testing/client';

export class Account extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
    readonly password: string,
    readonly perms: string[] = [],
    readonly isSuperuser = false,
  ) {
    super();
  }
  hasPerm(perm: string): Promise<boolean> {
    return Promise.resolve(this.perms.includes(perm));
  }
}

export const alice = new Account(1, 'alice', 'wonderland', ['polls.change_poll']);
export const bob = new Account(2, 'bob', 'builder');
export const root_ = new Account(3, 'root', 'toor', [], true);
/** A user the provider returns as a plain object, without isAuthenticated. */
export const plain = { id: 4, username: 'plain', password: 'object' };
const accounts = new Map<number, object>([[1, alice], [2, bob], [3, root_], [4, plain]]);

@injectable()
export class Accounts implements UserProvider<{ id: number }> {
  async getUser(id: string) {
    return (accounts.get(Number(id)) as { id: number } | undefined) ?? null;
  }
  getUserId(user: { id: number }) {
    return String(user.id);
  }
}

@injectable()
export class BannedBackend implements AuthenticationBackend {
  authenticate(_request: HttpRequest | null, credentials: Record<string, unknown>) {
    if (credentials.username === 'banned') throw new PermissionDenied();
    return null;
  }
}

@injectable()
export class PasswordBackend implements AuthenticationBackend {
  async authenticate(_request: HttpRequest | null, { username, password }: Record<string, unknown>) {
    for (const account of accounts.values()) {
      const a = account as { username: string; password: string };
      if (a.username === username && a.password === password) return account;
    }
    return null;
  }
}

@Controller('/auth')
export class AuthController {
  @Get('/visit/')
  visit(request: HttpRequest) {
    request.session.set('visited', true);
    return { key: request.session.sessionKey };
  }

  @Post('/login/')
  async login(request: HttpRequest) {
    const user = await authenticate(request, { username: request.POST.get('username'), password: request.POST.get('password') });
    if (user === null) return new HttpResponseForbidden('Bad credentials');
    await login(request, user);
    return { key: request.session.sessionKey, visited: request.session.get('visited') ?? null };
  }

  @Post('/logout/')
  async logout(request: HttpRequest) {
    await logout(request);
    return { authenticated: request.user.isAuthenticated };
  }

  @Get('/me/')
  me(request: HttpRequest) {
    const user = request.user;
    return { authenticated: user.isAuthenticated, anonymous: user.isAnonymous, username: user.username ?? null };
  }

  @Get('/private/')
  @LoginRequired()
  private(request: HttpRequest) {
    return { username: request.user.username };
  }

  @Get('/polls/')
  @LoginRequired()
  @PermissionRequired('polls.change_poll')
  polls() {
    return { ok: true };
  }

  @Get('/token/')
  token(request: HttpRequest) {
    return { token: csrfToken(request) };
  }

  @Post('/form/')
  form(request: HttpRequest) {
    return { ok: true, user: request.user.username ?? null };
  }

  @Post('/hook/')
  @CsrfExempt()
  hook() {
    return { ok: true };
  }
}

export function setup(settings: Partial<Settings> = {}, options: { enforceCsrfChecks?: boolean; provider?: boolean } = {}) {
  const container = root.createChildContainer();
  const store = new MemorySessionStore();
  container.register(SessionStore, { useValue: store });
  if (options.provider !== false) container.register(UserProvider, { useClass: Accounts });
  container.register(AuthenticationBackend, { useClass: BannedBackend });
  container.register(AuthenticationBackend, { useClass: PasswordBackend });
  const logger = new CapturingLogger();
  const app = createApp({ controllers: [AuthController], settings: { secretKey: 'k', ...settings }, container, logger });
  return { app, store, logger, client: new Client(app, { enforceCsrfChecks: options.enforceCsrfChecks }) };
}
