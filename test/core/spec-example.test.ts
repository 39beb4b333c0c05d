import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { container, injectable } from 'tsyringe';
import { Client, Controller, Get, Post, HttpRequest, Http404, HttpResponseRedirect, reverse, createApp } from '../../src';

interface Poll {
  id: number;
  question: string;
  votes: Record<string, number>;
}

@injectable()
class PollRepository {
  private readonly polls: Poll[] = [
    { id: 1, question: 'Tabs or spaces?', votes: { tabs: 0, spaces: 0 } },
    { id: 2, question: 'Vim or Emacs?', votes: { vim: 0, emacs: 0 } },
  ];
  async latest(n: number) {
    return this.polls.slice(0, n);
  }
  async find(id: number) {
    return this.polls.find((p) => p.id === id);
  }
  async vote(id: number, choice: string) {
    const poll = await this.find(id);
    if (poll && choice in poll.votes) poll.votes[choice]++;
  }
}

// SPEC §2's example, as written there.
@Controller('/polls')
export class PollController {
  constructor(private readonly polls: PollRepository) {}

  @Get('/', { name: 'poll-index' })
  async index(request: HttpRequest) {
    return { polls: await this.polls.latest(Number(request.GET.get('n') ?? 5)) };
  }

  @Get('/<int:id>/', { name: 'poll-detail' })
  async detail(request: HttpRequest, id: number) {
    const poll = await this.polls.find(id);
    if (!poll) throw new Http404(`No poll ${id}`);
    return poll;
  }

  @Post('/<int:id>/vote/')
  async vote(request: HttpRequest, id: number) {
    await this.polls.vote(id, request.POST.getItem('choice'));
    return new HttpResponseRedirect(reverse('poll-detail', { id }));
  }
}

describe("SPEC §2's controller runs as written", () => {
  const app = createApp({ controllers: [PollController], container: container.createChildContainer(), settings: { secretKey: 'spec-example' } });
  const client = new Client(app);

  test('index honours ?n=', async () => {
    const response = await client.get('/polls/', { n: 1 });
    expect(response.json()).toEqual({ polls: [{ id: 1, question: 'Tabs or spaces?', votes: { tabs: 0, spaces: 0 } }] });
  });

  test('detail and the 404 view', async () => {
    expect((await client.get('/polls/2/')).json()).toEqual({ id: 2, question: 'Vim or Emacs?', votes: { vim: 0, emacs: 0 } });
    const missing = await client.get('/polls/9/', undefined, { headers: { Accept: 'application/json' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ detail: 'No poll 9' });
  });

  test('vote redirects to the detail page by reverse()', async () => {
    const response = await client.post('/polls/1/vote/', { choice: 'spaces' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/polls/1/');
    expect((await client.get('/polls/1/')).json().votes).toEqual({ tabs: 0, spaces: 1 });
  });

  test('a POST without the field is a 400 naming the key, not a 500', async () => {
    const response = await client.post('/polls/1/vote/', { other: 'x' }, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: "Missing parameter 'choice'." });
  });
});
