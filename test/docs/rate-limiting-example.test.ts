/**
 * docs/examples/rate-limiting.ts (docs/rate-limiting.md), run through the test Client: the
 * statuses, headers and bodies asserted here are the ones the guide states.
 */
// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/rate-limiting';

const JSON_ACCEPT = { headers: { Accept: 'application/json' } };

describe('docs/examples/rate-limiting.ts', () => {
  test('POST /accounts/login/ : five pass, the 6th is a 429 with Retry-After; GETs are not counted', async () => {
    const client = new Client(buildApp());
    for (let i = 0; i < 8; i++) expect((await client.get('/accounts/login/')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await client.post('/accounts/login/', { username: 'ada' })).json()).toEqual({ username: 'ada' });
    const refused = await client.post('/accounts/login/', { username: 'ada' }, JSON_ACCEPT);
    expect(refused.statusCode).toBe(429);
    const wait = Number(refused.headers.get('Retry-After'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.text).toBe(`{"detail":"Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}."}`);
  });

  test('POST /accounts/signup/ : the 4th in the hour still runs, with request.limited', async () => {
    const client = new Client(buildApp());
    for (let i = 0; i < 3; i++) expect((await client.post('/accounts/signup/')).json()).toEqual({ created: true });
    const fourth = await client.post('/accounts/signup/');
    expect(fourth.statusCode).toBe(200);
    expect(fourth.json()).toEqual({ captcha: true });
  });

  test('GET /accounts/export/ : counted per token', async () => {
    const client = new Client(buildApp());
    const token = (value: string) => ({ headers: { 'X-Api-Token': value } });
    expect((await client.get('/accounts/export/', undefined, token('a'))).statusCode).toBe(200);
    expect((await client.get('/accounts/export/', undefined, token('a'))).statusCode).toBe(200);
    expect((await client.get('/accounts/export/', undefined, token('a'))).statusCode).toBe(429);
    expect((await client.get('/accounts/export/', undefined, token('b'))).statusCode).toBe(200);
  });
});
