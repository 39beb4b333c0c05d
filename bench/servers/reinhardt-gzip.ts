/**
 * S8's Reinhardt: the 1 KB JSON of lib/scenarios.js with GZipMiddleware as the only middleware
 * (defaults: gzip level 6, Brotli quality 4, Django's 200-byte minimum and BREACH padding), the
 * counterpart of servers/fastify-compress.ts.
 */
import 'reflect-metadata';
import { Controller, GZipMiddleware, Get, createApp } from 'reinhardt';
import { benchSettings } from './reinhardt-controller';

const { payload } = require('../../lib/scenarios') as { payload: object };

@Controller()
class JsonController {
  @Get('/json-1k')
  json() {
    return payload;
  }
}

const app = createApp({ controllers: [JsonController], middleware: [GZipMiddleware], settings: benchSettings });
void app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
