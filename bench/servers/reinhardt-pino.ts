/**
 * Reinhardt bare with its access log on, written by pino (`createApp({ logger: pino() })`, JSON
 * lines to stdout, the same logger and destination as `fastify-logger`): what the framework's
 * part of the access log costs, apart from the logger's.
 */
import { createApp } from 'reinhardt';
import { pino } from 'pino';
import { BenchController, benchSettings } from './reinhardt-controller';

const app = createApp({ controllers: [BenchController], middleware: [], settings: { ...benchSettings, accessLog: true }, logger: pino() });
void app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
