/**
 * NestJS on its default platform (Express): one controller, pipes for the
 * path parameter, cookie-parser as its docs advise, FileInterceptor (multer)
 * writing the upload to disk.
 */
import 'reflect-metadata';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  Body, Controller, Get, HttpCode, Module, Param, ParseIntPipe, Post, Query, Req, UploadedFile, UseInterceptors,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FileInterceptor } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import type { Request } from 'express';

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

@Controller()
class BenchController {
  @Get('hello')
  hello() {
    return { hello: 'world' };
  }

  @Get('users/:id')
  user(@Param('id', ParseIntPipe) id: number, @Query('fields') fields: string | string[] | undefined) {
    return { id, fields: asList(fields) };
  }

  @Post('echo')
  @HttpCode(200)
  echo(@Body() body: unknown) {
    return body;
  }

  @Post('form')
  @HttpCode(200)
  form(@Body() body: { a: string | string[]; b: string }) {
    return { a: asList(body.a), b: body.b };
  }

  @Get('cookie')
  cookie(@Req() request: Request) {
    return { theme: request.cookies.theme };
  }

  @Post('upload')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { dest: tmpdir() }))
  async upload(@UploadedFile() file: Express.Multer.File) {
    await unlink(file.path);
    return { size: file.size };
  }
}

@Module({ controllers: [BenchController] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.use(cookieParser());
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();
