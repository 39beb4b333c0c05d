import 'reflect-metadata';
import { container } from 'tsyringe';
import { CachePage, Controller, Get, HttpRequest, Post, VaryOnHeaders, cachesFor, createApp } from 'reinhardt';

const votes = new Map<string, number>([
  ['tea', 0],
  ['coffee', 0],
]);
let computed = 0;

@Controller('/polls')
export class PollController {
  // The page is kept for 60 seconds in the 'pages' cache; a hit does not run the handler.
  @Get('/')
  @CachePage(60, { cache: 'pages' })
  list() {
    computed++;
    return { votes: Object.fromEntries(votes), computed };
  }

  // One page per language: the Vary header below @CachePage puts Accept-Language in the key.
  @Get('/welcome/')
  @CachePage(300, { cache: 'pages' })
  @VaryOnHeaders('Accept-Language')
  welcome(request: HttpRequest) {
    return request.headers.get('Accept-Language')?.startsWith('fr') ? '<h1>Bienvenue</h1>' : '<h1>Welcome</h1>';
  }

  // A vote changes the list: empty the page cache so the next GET computes it again.
  @Post('/<str:choice>/vote/')
  async vote(request: HttpRequest, choice: string) {
    votes.set(choice, (votes.get(choice) ?? 0) + 1);
    await cachesFor(request.settings).get('pages').clear();
    return { voted: choice };
  }

  // The cache API directly: computed once, then read from the cache for 10 minutes.
  @Get('/stats/')
  async stats(request: HttpRequest) {
    const cache = cachesFor(request.settings).get();
    const total = await cache.getOrSet('polls:total', () => [...votes.values()].reduce((a, b) => a + b, 0), 600);
    const views = (await cache.add('polls:stats-views', 1, null)) ? 1 : await cache.incr('polls:stats-views');
    return { total, views };
  }
}

export function buildApp() {
  return createApp({
    controllers: [PollController],
    container: container.createChildContainer(),
    settings: {
      secretKey: process.env.SECRET_KEY ?? 'dev-only-secret',
      // 'default' for the cache API, 'pages' for @CachePage so a vote can empty it alone. With
      // several workers or machines: { backend: 'redis', location: 'redis://127.0.0.1:6379/1' }.
      caches: { default: { backend: 'memory' }, pages: { backend: 'memory', maxEntries: 1000 } },
    },
  });
}
