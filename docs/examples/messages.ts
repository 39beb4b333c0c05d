import 'reflect-metadata';
import { join } from 'node:path';
import {
  Controller, CsrfMiddleware, Get, HttpRequest, HttpResponseRedirect, MessageMiddleware, Post, SessionMiddleware,
  createApp, messages, render,
} from 'reinhardt';

@Controller('/polls')
export class PollController {
  @Post('/vote/')
  vote(request: HttpRequest) {
    messages.success(request, 'Your vote was recorded.');
    if (!request.POST.has('choice')) messages.warning(request, 'You did not pick a choice.', { extraTags: 'form' });
    return new HttpResponseRedirect('/polls/');
  }

  /** The template iterates `messages`: they show once, then are gone. */
  @Get('/')
  index(request: HttpRequest) {
    return render(request, 'messages-base.html');
  }

  /** In code: iterating `getMessages` marks them read, as in a template. */
  @Get('/messages.json')
  list(request: HttpRequest) {
    return [...messages.getMessages(request)].map((message) => ({ level: message.level, tags: message.tags, text: message.message }));
  }
}

/** MessageMiddleware after SessionMiddleware: the default storage falls back to the session. */
export function buildApp() {
  return createApp({
    controllers: [PollController],
    middleware: [SessionMiddleware, CsrfMiddleware, MessageMiddleware],
    settings: { secretKey: 'change me', allowedHosts: ['localhost'], templatesDir: join(__dirname, 'templates'), messageTags: { 40: 'danger' } },
  });
}
