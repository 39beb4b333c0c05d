import 'reflect-metadata';
import { container } from 'tsyringe';
import { HealthCheckError, createApp, healthController, type HealthCheck } from 'reinhardt';

// A check is an async run() that returns when the dependency is fine and throws when it is not.
export let queueDepth = 0;
export function setQueueDepth(depth: number): void {
  queueDepth = depth;
}

export const queueCheck: HealthCheck = {
  name: 'queue',
  async run() {
    if (queueDepth > 10_000) throw new HealthCheckError(`backlog of ${queueDepth} jobs`);
  },
};

export const app = createApp({
  controllers: [healthController({ checks: [queueCheck], timeout: 1000 })],
  settings: { secretKey: process.env.SECRET_KEY ?? 'health-example-secret' },
  container: container.createChildContainer(),
});
