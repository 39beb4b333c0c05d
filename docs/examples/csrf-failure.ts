import 'reflect-metadata';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, Post, createApp, defaultCsrfFailureView, render } from 'reinhardt';

@Controller()
export class FeedbackController {
  @Get('/feedback/')
  form(request: HttpRequest) {
    return render(request, 'feedback.html');
  }

  @Post('/feedback/')
  send(request: HttpRequest) {
    return { thanks: request.POST.get('text') };
  }

  @Post('/api/feedback/')
  apiSend(request: HttpRequest) {
    return { thanks: true };
  }
}

export function buildApp() {
  return createApp({
    controllers: [FeedbackController],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      // Holds 403_csrf.html, which the default failure view renders.
      templatesDir: join(__dirname, 'csrf-failure-templates'),
      // Django's CSRF_FAILURE_VIEW: an expired form gets a page of its own; the rest, the default.
      csrfFailureView: (request, reason) =>
        request.path === '/feedback/'
          ? render(request, 'feedback-expired.html', { reason }, { status: 403 })
          : defaultCsrfFailureView(request, reason),
    },
  });
}
