import 'reflect-metadata';
import { container } from 'tsyringe';
import { Controller, DEFAULT_MIDDLEWARE, Get, JsonResponse, MetricsMiddleware, createApp, metricsController } from 'reinhardt';

@Controller('/polls')
class PollController {
  @Get('/<int:id>/')
  detail(_request: unknown, id: number): JsonResponse {
    return new JsonResponse({ id });
  }
}

export const app = createApp({
  controllers: [PollController, metricsController()],
  // First, so the duration covers the whole stack.
  middleware: [MetricsMiddleware, ...DEFAULT_MIDDLEWARE],
  settings: { secretKey: process.env.SECRET_KEY ?? 'metrics-example-secret' },
  container: container.createChildContainer(),
});
