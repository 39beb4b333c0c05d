/**
 * The sample app takes its settings from the environment (issue 20 item 4): DEBUG, SECRET_KEY and
 * ALLOWED_HOSTS change without editing code.
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFromEnvironment } from '../../sample-app/main';

function get(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sample app: settings from the environment', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('DEBUG, SECRET_KEY and ALLOWED_HOSTS from the environment', async () => {
    Object.assign(process.env, {
      PORT: '0',
      DEBUG: 'true',
      SECRET_KEY: 'from-the-environment',
      ALLOWED_HOSTS: 'polls.example.test',
      REINHARDT_SAMPLE_DATA: mkdtempSync(join(tmpdir(), 'reinhardt-sample-')),
    });
    const started = await startFromEnvironment();
    try {
      expect(started.app.settings.secretKey).toBe('from-the-environment');
      expect(started.app.settings.debug).toBe(true);
      expect((await get(`${started.url}polls/`, 'polls.example.test')).status).toBe(200);
      // The sample app's default hosts (localhost) are replaced by ALLOWED_HOSTS.
      expect((await get(`${started.url}polls/`, 'localhost')).status).toBe(400);
      const missing = await get(`${started.url}no-such-page/`, 'polls.example.test');
      expect(missing.status).toBe(404);
      expect(missing.body).toContain('Reinhardt tried these URL patterns, in this order:');
    } finally {
      await started.app.close();
    }
  });
});
