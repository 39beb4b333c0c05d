/** The sample app enables the probes (issue 23 item 3): /healthz and /readyz at those paths. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';

describe('sample app health probes', () => {
  let dataDir: string;
  let built: BuiltApp;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-health-'));
    built = buildApp({ dataDir, secretKey: 'health-test-secret' });
  });
  afterAll(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('GET /healthz and GET /readyz answer 200 with their JSON, never cached', async () => {
    const client = new Client(built.app);
    const live = await client.get('/healthz');
    expect([live.statusCode, live.text, live.headers.get('Cache-Control')]).toEqual([200, '{"status":"ok"}', 'max-age=0, no-cache, no-store, must-revalidate, private']);
    const ready = await client.get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ok');
    expect(Object.keys(ready.json().checks)).toEqual(['sessionStore', ...Object.keys(built.app.settings.caches).map((alias) => `cache:${alias}`)]);
  });
});
