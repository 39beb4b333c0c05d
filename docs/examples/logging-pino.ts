import 'reflect-metadata';
import pino from 'pino';
import { container } from 'tsyringe';
import { Controller, Get, createApp } from 'reinhardt';

@Controller()
export class HomeController {
  @Get('/')
  home() {
    return { ok: true };
  }
}

export function buildApp(destination: pino.DestinationStream = pino.destination(2)) {
  return createApp({
    controllers: [HomeController],
    container: container.createChildContainer(),
    settings: { secretKey: process.env.SECRET_KEY ?? 'pino-example-secret' },
    logger: pino({ level: 'info' }, destination),
  });
}
