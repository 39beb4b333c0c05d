/**
 * docs/examples/deployment.ts against a real redis-server (test/helpers/redis-server.ts): two
 * apps standing for two processes share sessions through Redis, and the proxy settings make
 * X-Forwarded-Proto/Host count.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { buildProductionApp } from '../../docs/examples/deployment';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const PROXIED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'www.example.com' };

describe('deployment example: RedisSessionStore behind a proxy', () => {
  let redis: RedisServer;
  const stores: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
  });

  function build() {
    const built = buildProductionApp(redis.url, 'a-long-random-secret');
    stores.push(built.store);
    return built.app;
  }

  test('plain HTTP is redirected to https; proxied HTTPS is secure, on the forwarded host, with HSTS', async () => {
    const client = new Client(build());
    const plain = await client.get('/where/', undefined, { headers: { Host: 'www.example.com' } });
    expect([plain.statusCode, plain.headers.get('Location')]).toEqual([301, 'https://www.example.com/where/']);
    const proxied = await client.get('/where/', undefined, { headers: PROXIED });
    expect(proxied.json()).toEqual({ secure: true, host: 'www.example.com', url: 'https://www.example.com/where/' });
    expect(proxied.headers.get('Strict-Transport-Security')).toBe('max-age=31536000');
    const foreign = await client.get('/where/', undefined, { headers: { ...PROXIED, 'X-Forwarded-Host': 'evil.example' } });
    expect(foreign.statusCode).toBe(400);
  });

  test('a session written by one process is read by another', async () => {
    const first = new Client(build());
    const one = await first.post('/visits/', {}, { headers: PROXIED });
    expect(one.json()).toMatchObject({ visits: 1 });
    expect(one.cookieHeaders()[0]).toMatch(/^sessionid=[a-z0-9]{32}; Max-Age=1209600; Path=\/; Expires=.+ GMT; HttpOnly; Secure; SameSite=Lax$/);
    const second = new Client(build());
    second.cookies.set('sessionid', first.cookies.get('sessionid')!);
    expect((await second.post('/visits/', {}, { headers: PROXIED })).json()).toMatchObject({ visits: 2 });
    expect((await first.post('/visits/', {}, { headers: PROXIED })).json()).toMatchObject({ visits: 3 });
  });
});
