import 'reflect-metadata';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, HttpResponseRedirect, Http404, Post, createApp, render, reverse } from 'reinhardt';

const polls = [{ id: 1, question: 'Tea or coffee?', votes: 3, total: 4 }];

function pollOr404(id: number) {
  const poll = polls.find((p) => p.id === id);
  if (poll === undefined) throw new Http404(`No poll ${id}.`);
  return poll;
}

@Controller('/polls')
export class PollController {
  /** No form on this page: it makes no CSRF token and sets no csrftoken cookie. */
  @Get('/', { name: 'poll-index' })
  index(request: HttpRequest) {
    return render(request, 'poll-index.html', { polls });
  }

  /** `{% csrf_token %}` in the form: this page sets the csrftoken cookie. */
  @Get('/<int:id>/', { name: 'poll-detail' })
  detail(request: HttpRequest, id: number) {
    return render(request, 'poll-detail.html', { poll: pollOr404(id) });
  }

  @Post('/<int:id>/vote/', { name: 'poll-vote' })
  vote(request: HttpRequest, id: number) {
    pollOr404(id).votes += 1;
    return new HttpResponseRedirect(reverse('poll-detail', { id }));
  }
}

export function buildApp() {
  return createApp({
    controllers: [PollController],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      // Searched in order: the app's own templates, then a shared folder (Django's TEMPLATES DIRS).
      templatesDir: join(__dirname, 'templates'),
      templateDirs: [join(__dirname, 'shared-templates')],
      // Runs once, when the first page is rendered: the app's own filters and globals.
      configureTemplates: (env) => {
        env.addFilter('percent', (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`);
        env.addGlobal('siteName', 'Polls');
      },
    },
  });
}
