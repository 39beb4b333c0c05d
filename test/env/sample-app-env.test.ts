/**
 * The sample app takes its settings from the environment (issue 20 item 4): DEBUG, SECRET_KEY and
 * ALLOWED_HOSTS change without editing code.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisSessionStore, SessionStore } from 'reinhardt';
import { startFromEnvironment } from '../../sample-app/main';
import { startRedisServer } from '../helpers/redis-server';

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

  test('DATABASE_PATH puts the SQLite file elsewhere; REDIS_URL keeps the sessions in Redis', async () => {
    const redis = await startRedisServer();
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-sample-'));
    const databasePath = join(dir, 'elsewhere', 'polls.sqlite3');
    Object.assign(process.env, {
      PORT: '0',
      SECRET_KEY: 'from-the-environment',
      REINHARDT_SAMPLE_DATA: join(dir, 'data'),
      DATABASE_PATH: databasePath,
      REDIS_URL: redis.url,
    });
    const started = await startFromEnvironment();
    try {
      expect(existsSync(databasePath)).toBe(true);
      expect(existsSync(join(dir, 'data', 'db.sqlite3'))).toBe(false);
      const store = started.container.resolve(SessionStore);
      expect(store).toBeInstanceOf(RedisSessionStore);
      await store.save('k'.repeat(32), { visits: 1 }, 60, 'create');
      // Another store on the same URL and prefix (another process) sees it.
      const other = new RedisSessionStore({ url: redis.url, prefix: 'polls:session:' });
      expect(await other.load('k'.repeat(32))).toEqual({ visits: 1 });
      await other.close();
    } finally {
      await started.app.close();
      await redis.stop();
    }
  });
});
