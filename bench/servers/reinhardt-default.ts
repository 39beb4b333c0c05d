/**
 * Reinhardt with Django's default middleware stack (no `middleware` option):
 * SecurityMiddleware, SessionMiddleware, AuthenticationMiddleware, CsrfMiddleware.
 * The POST handlers are @CsrfExempt, as an API's would be.
 */
import { createApp } from 'reinhardt';
import { BenchController, benchSettings } from './reinhardt-controller';

const app = createApp({ controllers: [BenchController], settings: benchSettings });
void app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
