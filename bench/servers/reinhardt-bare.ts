/** Reinhardt with the bare pipeline (`middleware: []`): routing, the handler, response mapping. */
import { createApp } from 'reinhardt';
import { BenchController, benchSettings } from './reinhardt-controller';

const app = createApp({ controllers: [BenchController], middleware: [], settings: benchSettings });
void app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
