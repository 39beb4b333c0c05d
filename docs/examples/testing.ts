import 'reflect-metadata';
import { container, injectable } from 'tsyringe';
import { AbstractBaseUser, Client, Controller, Get, HttpRequest, LoginRequired, Post, UserProvider, createApp } from 'reinhardt';

class Author extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
  ) {
    super();
  }
}
const ada = new Author(1, 'ada');

@injectable()
class Authors implements UserProvider<Author> {
  async getUser(id: string) {
    return id === '1' ? ada : null;
  }
  getUserId(author: Author) {
    return String(author.id);
  }
}

@Controller('/notes')
class NoteController {
  private readonly notes: string[] = [];

  @Get('/')
  list(request: HttpRequest) {
    return { notes: this.notes.slice(0, Number(request.GET.get('limit') ?? 10)) };
  }

  @Post('/')
  @LoginRequired()
  add(request: HttpRequest) {
    this.notes.push(`${request.user.username}: ${request.json<{ text: string }>().text}`);
    return { count: this.notes.length };
  }
}

function buildApp() {
  const scope = container.createChildContainer();
  scope.register(UserProvider, { useClass: Authors });
  return createApp({ controllers: [NoteController], container: scope, settings: { secretKey: 'test' } });
}

describe('notes', () => {
  test('anonymous JSON clients get 401', async () => {
    const client = new Client(buildApp());
    const response = await client.post('/notes/', { text: 'hi' }, { json: true });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  test('a logged-in author adds a note', async () => {
    const client = new Client(buildApp());
    await client.forceLogin(ada); // a session for ada, its cookie kept by the client
    expect((await client.post('/notes/', { text: 'hi' }, { json: true })).json()).toEqual({ count: 1 });
    const response = await client.get('/notes/', { limit: 5 });
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.json()).toEqual({ notes: ['ada: hi'] });
  });

  test('CSRF is only checked when asked', async () => {
    const client = new Client(buildApp(), { enforceCsrfChecks: true });
    await client.forceLogin(ada);
    const response = await client.post('/notes/', { text: 'hi' }, { json: true });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' });
  });
});
