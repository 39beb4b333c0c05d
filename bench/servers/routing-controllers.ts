/**
 * routing-controllers on Express: a JsonController with its parameter
 * decorators (@Param, @QueryParam, @Body, @CookieParam, @UploadedFile — the
 * last one is multer writing to disk), the urlencoded parser on the form route.
 */
import 'reflect-metadata';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import express from 'express';
import { Body, CookieParam, createExpressServer, Get, JsonController, Param, Post, QueryParam, UploadedFile, UseBefore } from 'routing-controllers';

@JsonController()
class BenchController {
  @Get('/hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('/users/:id')
  user(@Param('id') id: number, @QueryParam('fields', { isArray: true, type: String }) fields: string[]) {
    return { id, fields: fields ?? [] };
  }

  @Post('/echo')
  echo(@Body() body: unknown) {
    return body;
  }

  @Post('/form')
  @UseBefore(express.urlencoded({ extended: false }))
  form(@Body() body: { a: string | string[]; b: string }) {
    return { a: Array.isArray(body.a) ? body.a : [body.a], b: body.b };
  }

  @Get('/cookie')
  cookie(@CookieParam('theme') theme: string) {
    return { theme };
  }

  @Post('/upload')
  async upload(@UploadedFile('file', { options: { dest: tmpdir() } }) file: { path: string; size: number }) {
    await unlink(file.path);
    return { size: file.size };
  }
}

const app = createExpressServer({ controllers: [BenchController], classTransformer: false, validation: false });
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
