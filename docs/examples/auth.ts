import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import {
  AbstractBaseUser,
  AuthenticationBackend,
  Controller,
  Get,
  HttpRequest,
  HttpResponseForbidden,
  HttpResponseRedirect,
  LoginRequired,
  PermissionRequired,
  Post,
  UserProvider,
  authenticate,
  checkPassword,
  createApp,
  login,
  logout,
  makePassword,
  urlHasAllowedHostAndScheme,
} from 'reinhardt';

export class Member extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
    readonly passwordHash: string,
    readonly perms: string[] = [],
  ) {
    super(); // isAuthenticated: true, isAnonymous: false
  }
  hasPerm(perm: string): boolean {
    return this.perms.includes(perm);
  }
}

/** Your user storage; a database in a real app. */
@injectable()
export class MemberRepository implements UserProvider<Member> {
  readonly members = new Map<number, Member>();

  async add(id: number, username: string, password: string, perms: string[] = []): Promise<Member> {
    const member = new Member(id, username, await makePassword(password), perms); // pbkdf2_sha256$1200000$...
    this.members.set(id, member);
    return member;
  }
  async getUser(id: string) {
    return this.members.get(Number(id)) ?? null; // the session stores the id; this turns it back into a user
  }
  getUserId(member: Member) {
    return String(member.id);
  }
}

/** Checks credentials for authenticate(); register several and they are asked in order. */
@injectable()
export class PasswordBackend implements AuthenticationBackend<Member> {
  constructor(private readonly members: MemberRepository) {}
  async authenticate(request: HttpRequest | null, { username, password }: Record<string, unknown>) {
    const member = [...this.members.members.values()].find((m) => m.username === username);
    // No such user: checkPassword(password, null) still runs the hasher, so the response time
    // does not tell which usernames exist (Django's ModelBackend does the same).
    const correct = await checkPassword(String(password), member?.passwordHash ?? null);
    return correct && member !== undefined ? member : null;
  }
}

@Controller('/accounts')
export class AccountController {
  @Post('/login/')
  async signIn(request: HttpRequest) {
    const user = await authenticate(request, { username: request.POST.get('username'), password: request.POST.get('password') });
    if (user === null) return new HttpResponseForbidden('Please enter a correct username and password.');
    await login(request, user); // new session key, CSRF token rotated
    // Follow `next` only on this site: a link to /accounts/login/?next=https://evil.example/
    // must not send a freshly logged-in user to a look-alike page (an open redirect).
    const next = request.POST.get('next') ?? '';
    const safe = urlHasAllowedHostAndScheme(next, { allowedHosts: [request.getHost()], requireHttps: request.isSecure() });
    return new HttpResponseRedirect(safe ? next : '/accounts/profile/');
  }

  @Post('/logout/')
  async signOut(request: HttpRequest) {
    await logout(request); // session flushed, request.user is an AnonymousUser again
    return new HttpResponseRedirect('/accounts/login/');
  }

  @Get('/profile/')
  @LoginRequired() // anonymous: 302 to loginUrl?next=..., or 401 JSON
  profile(request: HttpRequest) {
    return { username: request.user.username };
  }

  @Post('/polls/')
  @LoginRequired()
  @PermissionRequired('polls.add_poll') // else 403
  addPoll(request: HttpRequest) {
    return { created: true };
  }
}

export async function buildApp() {
  const scope = container.createChildContainer();
  scope.registerSingleton(MemberRepository);
  scope.register(UserProvider, { useToken: MemberRepository });
  scope.register(AuthenticationBackend, { useClass: PasswordBackend });
  const members = scope.resolve(MemberRepository);
  await members.add(1, 'ada', 'correct horse battery staple', ['polls.add_poll']);
  await members.add(2, 'bob', 'hunter2 hunter2');
  const app = createApp({ controllers: [AccountController], container: scope, settings: { debug: true } });
  return { app, members };
}
