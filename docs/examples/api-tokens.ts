import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import {
  AbstractBaseUser,
  Authentication,
  Controller,
  Get,
  HttpRequest,
  JsonResponse,
  LoginRequired,
  MemoryTokenStore,
  Post,
  SessionAuthentication,
  TokenAuthentication,
  TokenStore,
  UserProvider,
  createApp,
  issueToken,
  revokeToken,
} from 'reinhardt';

export class Author extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
  ) {
    super();
  }
}

@injectable()
export class Authors implements UserProvider<Author> {
  readonly all = new Map([[1, new Author(1, 'ada')]]);
  async getUser(id: string) {
    return this.all.get(Number(id)) ?? null;
  }
  getUserId(author: Author) {
    return String(author.id);
  }
}

export interface PollOut {
  id: number;
  question: string;
  author: string;
}

@Controller('/api/polls', { api: true }) // every error here answers JSON
@Authentication(TokenAuthentication, SessionAuthentication) // a token first, else the session
export class PollApi {
  private readonly polls: PollOut[] = [];

  @Get('/')
  list() {
    return this.polls;
  }

  @Post('/')
  @LoginRequired() // anonymous: 401 with WWW-Authenticate: Token
  create(request: HttpRequest) {
    const { question } = request.json<{ question: string }>();
    const poll: PollOut = { id: this.polls.length + 1, question, author: request.user.username };
    this.polls.push(poll);
    return new JsonResponse(poll, { status: 201 });
  }
}

/** The account page's token button: a new token, shown once; the store keeps only its digest. */
@Controller('/accounts/token')
export class TokenController {
  constructor(
    private readonly tokens: TokenStore,
    private readonly authors: Authors,
  ) {}

  @Post('/')
  @LoginRequired() // a logged-in session, with its CSRF token
  async issue(request: HttpRequest) {
    return { token: await issueToken(this.tokens, this.authors.getUserId(request.user as Author)) };
  }

  @Post('/revoke/')
  @Authentication(TokenAuthentication) // the token revokes itself
  @LoginRequired()
  async revoke(request: HttpRequest) {
    const [, token] = (request.headers.get('Authorization') ?? '').split(' ');
    return { revoked: await revokeToken(this.tokens, token) };
  }
}

export function buildApp() {
  const scope = container.createChildContainer();
  scope.registerSingleton(Authors);
  scope.register(UserProvider, { useToken: Authors });
  scope.registerInstance(TokenStore, new MemoryTokenStore()); // one store per app: your database in production
  const app = createApp({ controllers: [PollApi, TokenController], container: scope, settings: { secretKey: 'docs-example-key' } });
  return { app, tokens: scope.resolve(TokenStore) };
}
