/**
 * Reinhardt bare with its access log on (`accessLog: true`): one `reinhardt.server` JSON record per
 * request from the default logger (`LineLogger`, JSON format), written to stdout as Fastify's pino
 * writes (the bench points stdout at /dev/null; a file or /dev/null is written synchronously, as
 * pino's default destination writes).
 */
import { createApp, LineLogger } from 'reinhardt';
import { BenchController, benchSettings } from './reinhardt-controller';

const logger = new LineLogger({ format: 'json', destination: process.stdout });
const app = createApp({ controllers: [BenchController], middleware: [], settings: { ...benchSettings, accessLog: true }, logger });
void app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
