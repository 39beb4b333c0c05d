import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, Post, Route, createApp, registerConverter, reverse, type PathConverter } from 'reinhardt';

/** `<yyyy:year>`: four digits, a number in the handler, zero-padded again by reverse(). */
const fourDigitYear: PathConverter<number> = {
  regex: '[0-9]{4}',
  toPython: (text) => Number(text),
  toUrl: (year) => String(year).padStart(4, '0'),
};
registerConverter('yyyy', fourDigitYear); // before the app that uses it is created

@Controller('/articles')
export class ArticleController {
  @Get('/<yyyy:year>/', { name: 'articles-by-year' })
  byYear(request: HttpRequest, year: number) {
    return { year, next: reverse('articles-by-year', { year: year + 1 }) };
  }

  @Get('/<int:year>/<slug:slug>/', { name: 'article' })
  detail(request: HttpRequest, year: number, slug: string) {
    return { year, slug, route: request.resolverMatch?.routeName, params: request.params };
  }

  @Get('/files/<path:rest>', { name: 'article-file' })
  file(request: HttpRequest, rest: string) {
    return { rest }; // <path:...> may contain '/'
  }

  @Route(['GET', 'POST'], '/search/', { name: 'article-search' })
  search(request: HttpRequest) {
    return { method: request.method, q: request.GET.get('q') ?? request.POST.get('q') ?? '' };
  }

  @Post('/<int:year>/<slug:slug>/')
  comment(request: HttpRequest, year: number, slug: string) {
    return null; // 204 No Content
  }
}

export function buildApp() {
  return createApp({ controllers: [ArticleController], container: container.createChildContainer(), settings: { debug: true } });
}
