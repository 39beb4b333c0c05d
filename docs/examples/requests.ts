import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, Post, QueryDict, createApp } from 'reinhardt';

@Controller('/inspect')
export class InspectController {
  /** GET /inspect/?tag=a&tag=b&q=tea%20time */
  @Get('/')
  query(request: HttpRequest) {
    return {
      q: request.GET.get('q'), // last value: 'tea time'
      tags: request.GET.getList('tag'), // every value: ['a', 'b']
      missing: request.GET.get('nope', 'default'),
      fullPath: request.getFullPath(), // '/inspect/?tag=a&tag=b&q=tea%20time'
      host: request.getHost(), // 'testserver' under the test Client
      secure: request.isSecure(),
      absolute: request.buildAbsoluteUri('/elsewhere/'),
      userAgent: request.headers.get('User-Agent') ?? null, // case-insensitive
      meta: request.META.HTTP_USER_AGENT ?? null, // the same header, Django's name
      theme: request.COOKIES.theme ?? null,
    };
  }

  /** A form POST: POST is a QueryDict; a JSON body: request.data / request.json(). */
  @Post('/')
  submit(request: HttpRequest) {
    if (request.contentType === 'application/json') {
      return { kind: 'json', data: request.data };
    }
    return { kind: 'form', colours: request.POST.getList('colour'), name: request.POST.getItem('name') };
  }
}

export function buildApp() {
  return createApp({ controllers: [InspectController], container: container.createChildContainer(), settings: { debug: true } });
}

/** QueryDict on its own, as in Django's shell. */
export function queryDictTour() {
  const q = new QueryDict('a=1&a=2&c=3');
  const frozen = q.getList('a'); // ['1', '2']
  const copy = q.copy(); // copies are mutable
  copy.appendList('a', '4');
  copy.setItem('c', 'x y');
  return { last: q.getItem('a'), frozen, dict: copy.dict(), encoded: copy.urlencode() };
}
