import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, HttpRequest, Post, createApp, type Logger } from 'reinhardt';

@Controller('/polls')
export class VoteController {
  @Post('/<int:id>/vote/')
  vote(request: HttpRequest, id: number) {
    const choice = request.POST.get('choice');
    if (!choice) {
      // Carries this request's ID, like every record written while it is handled.
      request.log.warn({ name: 'polls', poll: id }, 'A vote without a choice');
      return { voted: false };
    }
    return { voted: true, id: request.id };
  }
}

export function buildApp(logger?: Logger) {
  return createApp({
    controllers: [VoteController],
    container: container.createChildContainer(),
    settings: {
      secretKey: process.env.SECRET_KEY ?? 'logging-example-secret',
      allowedHosts: ['127.0.0.1', 'localhost'],
      accessLog: true, // one reinhardt.server record per request
      trustRequestIdHeader: true, // our load balancer sets X-Request-ID
    },
    logger, // default: human lines with debug, JSON lines without, on stderr
  });
}
