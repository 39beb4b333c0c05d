import 'reflect-metadata';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, Get, Http404, HttpRequest, Post, createApp, render, type Logger } from 'reinhardt';

interface Poll {
  id: number;
  question: string;
  votes?: number[];
}

const POLLS: Poll[] = [{ id: 1, question: "What's new?" }];

@Controller('/polls')
export class PollController {
  @Get('/<int:id>/', { name: 'poll-detail' })
  detail(request: HttpRequest, id: number) {
    const poll = POLLS.find((candidate) => candidate.id === id);
    if (poll === undefined) throw new Http404(`No Poll matches the given query: ${id}.`); // the 404 page names PollController.detail
    return poll;
  }

  @Get('/<int:id>/results/', { name: 'poll-results' })
  results(request: HttpRequest, id: number) {
    const poll = this.detail(request, id);
    return { total: poll.votes!.length }; // a poll without votes: the 500 page shows this line
  }

  @Get('/about/')
  about(request: HttpRequest) {
    return render(request, 'polls/about.html'); // not in the templates folder: the page lists where it looked
  }

  @Post('/<int:id>/vote/')
  vote(request: HttpRequest, id: number) {
    return { voted: id };
  }
}

export function buildApp(options: { debug: boolean; logger?: Logger }) {
  return createApp({
    controllers: [PollController],
    settings: {
      debug: options.debug,
      secretKey: process.env.SECRET_KEY ?? 'only-for-local-development',
      templatesDir: join(__dirname, 'templates'),
    },
    container: container.createChildContainer(),
    logger: options.logger,
  });
}
