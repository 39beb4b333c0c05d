/**
 * The Reinhardt controller both Reinhardt servers run, written as a user
 * would: decorated methods, Django's request attributes, plain objects back.
 *
 * S7: the multipart parser already streamed the 20 MB file to a temporary
 * file on disk (it is past `fileUploadMaxMemorySize`) and removes it after
 * the response — the same work multer's `dest` does for Express — so the
 * handler only answers the size.
 */
import 'reflect-metadata';
import { Controller, CsrfExempt, Get, HttpRequest, Post } from 'reinhardt';

@Controller()
export class BenchController {
  @Get('/hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('/users/<int:id>')
  user(request: HttpRequest, id: number) {
    return { id, fields: request.GET.getList('fields') };
  }

  @Post('/echo')
  @CsrfExempt()
  echo(request: HttpRequest) {
    return request.data;
  }

  @Post('/form')
  @CsrfExempt()
  form(request: HttpRequest) {
    return { a: request.POST.getList('a'), b: request.POST.get('b') };
  }

  @Get('/cookie')
  cookie(request: HttpRequest) {
    return { theme: request.COOKIES.theme };
  }

  @Post('/upload')
  @CsrfExempt()
  upload(request: HttpRequest) {
    return { size: request.FILES.getItem('file').size };
  }
}

/** The settings both servers share: any Host (wrk sends 127.0.0.1:port), uploads up to 64 MB. */
export const benchSettings = { secretKey: 'reinhardt-bench-not-secret', allowedHosts: ['*'], maxUploadSize: 64 * 1024 * 1024 };
