import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import {
  Controller,
  FileResponse,
  Get,
  HttpResponse,
  HttpResponseCreated,
  HttpResponseNotFound,
  HttpResponseRedirect,
  JsonResponse,
  Post,
  StreamingHttpResponse,
  createApp,
} from 'reinhardt';

export const REPORT = join(tmpdir(), 'reinhardt-report.txt');
writeFileSync(REPORT, '0123456789');

@Controller('/r')
export class ResponsesController {
  @Get('/text/')
  text() {
    const response = new HttpResponse('<p>Hello</p>'); // text/html; charset=utf-8
    response.headers.set('Cache-Control', 'no-cache');
    response.setCookie('theme', 'dark', { maxAge: 3600, sameSite: 'Lax' });
    return response;
  }

  @Post('/items/')
  create() {
    return new HttpResponseCreated(JSON.stringify({ id: 7 }), { contentType: 'application/json', headers: { Location: '/r/items/7/' } });
  }

  @Get('/missing/')
  missing() {
    return new HttpResponseNotFound('<h1>No such thing</h1>'); // a response; `throw new Http404()` uses the 404 view
  }

  @Get('/moved/')
  moved() {
    return new HttpResponseRedirect('/r/text/'); // 302; { preserveRequest: true } gives 307
  }

  @Get('/list/')
  list() {
    return new JsonResponse([1, 2, 3], { safe: false }); // arrays need safe: false
  }

  @Get('/when/')
  when() {
    return new JsonResponse({ at: new Date(Date.UTC(2024, 0, 2)), big: 10n, tags: new Set(['a']) });
  }

  @Get('/stream/')
  stream() {
    async function* rows() {
      yield 'id,name\n';
      yield '1,Ada\n';
    }
    return new StreamingHttpResponse(rows(), { contentType: 'text/csv' });
  }

  @Get('/report/')
  report() {
    return new FileResponse(REPORT, { asAttachment: true, filename: 'report.txt' });
  }
}

export function buildApp() {
  return createApp({ controllers: [ResponsesController], container: container.createChildContainer(), settings: { debug: true } });
}
