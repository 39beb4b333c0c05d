import 'reflect-metadata';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { Controller, CsrfExempt, Get, HttpRequest, Post, createApp, csrfToken, render } from 'reinhardt';

@Controller()
export class CommentController {
  /** The form: `{{ csrf_input }}` in the template is the hidden csrfmiddlewaretoken field. */
  @Get('/comments/')
  form(request: HttpRequest) {
    return render(request, 'comment.html');
  }

  /** For JavaScript clients: send the token back in the X-CSRFToken header. */
  @Get('/csrf/')
  token(request: HttpRequest) {
    return { csrfToken: csrfToken(request) };
  }

  @Post('/comments/')
  comment(request: HttpRequest) {
    return { text: request.POST.get('text') };
  }

  @Post('/api/comments/')
  apiComment(request: HttpRequest) {
    return { text: request.json<{ text: string }>().text };
  }

  /** A webhook authenticated some other way (a signature header, say). */
  @Post('/hooks/payment/')
  @CsrfExempt()
  payment(request: HttpRequest) {
    return { received: true };
  }
}

export function buildApp() {
  return createApp({
    controllers: [CommentController],
    container: container.createChildContainer(),
    settings: {
      debug: true,
      templatesDir: join(__dirname, 'templates'),
      csrfTrustedOrigins: ['https://admin.example.com', 'https://*.example.org'], // other origins allowed to POST
    },
  });
}
