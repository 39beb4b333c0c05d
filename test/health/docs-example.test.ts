/** docs/health-checks.md's example, through the test Client: the bodies the guide shows. */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { app, setQueueDepth } from '../../docs/examples/health';

describe('docs/examples/health.ts', () => {
  const client = new Client(app);
  afterEach(() => setQueueDepth(0));

  test('GET /healthz answers {"status":"ok"}', async () => {
    const response = await client.get('/healthz');
    expect([response.statusCode, response.text]).toEqual([200, '{"status":"ok"}']);
  });

  test('GET /readyz lists each check; a failing check makes it 503', async () => {
    const ok = await client.get('/readyz');
    expect([ok.statusCode, ok.text]).toEqual([
      200,
      '{"status":"ok","checks":{"sessionStore":{"status":"ok"},"cache:default":{"status":"ok"},"queue":{"status":"ok"}}}',
    ]);
    setQueueDepth(12_000);
    const failing = await client.get('/readyz');
    expect([failing.statusCode, failing.text]).toEqual([
      503,
      '{"status":"error","checks":{"sessionStore":{"status":"ok"},"cache:default":{"status":"ok"},"queue":{"status":"error","error":"backlog of 12000 jobs"}}}',
    ]);
  });
});
