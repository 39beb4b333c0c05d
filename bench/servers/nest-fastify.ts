/**
 * NestJS on FastifyAdapter: the same controller shape, @fastify/cookie and
 * @fastify/multipart registered on the adapter as Nest's Fastify docs show,
 * the upload streamed to disk with request.file().
 */
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import { BadRequestException, Body, Controller, Get, HttpCode, Module, Param, ParseIntPipe, Post, Query, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
let uploads = 0;
type FastifyPlugin = Parameters<NestFastifyApplication['register']>[0];

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
  cookie(@Req() request: FastifyRequest) {
    return { theme: request.cookies.theme };
  }

  @Post('upload')
  @HttpCode(200)
  async upload(@Req() request: FastifyRequest) {
    const file = await request.file();
    if (!file) throw new BadRequestException('no file');
    const path = join(tmpdir(), `bench-nest-fastify-${process.pid}-${uploads++}`);
    await pipeline(file.file, createWriteStream(path));
    const { size } = await stat(path);
    await unlink(path);
    return { size };
  }
}

@Module({ controllers: [BenchController] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false });
  // Nest pins its own fastify release; the plugins' types name the top-level
  // one, so they are cast to the adapter's plugin type (same runtime API).
  await app.register(fastifyCookie as unknown as FastifyPlugin);
  await app.register(fastifyMultipart as unknown as FastifyPlugin, { limits: { fileSize: 64 * 1024 * 1024 } });
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
}

void main();
