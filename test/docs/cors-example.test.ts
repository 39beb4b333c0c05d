/**
 * docs/examples/cors.ts (docs/cors.md), run through the test Client: the statuses and headers
 * asserted here are the ones the guide states.
 */
import { rootLogger } from '../logging/root-logger';
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/cors';

const APP = 'https://app.example.com';
const DEV = 'http://localhost:5173';

function corsHeaders(response: { headers: Iterable<[string, string]> }): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [name, value] of response.headers) if (/^access-control-|^vary$/i.test(name)) seen[name] = value;
  return seen;
}

describe('docs/examples/cors.ts', () => {
  test('GET /api/polls/ from an allowed origin: the origin, credentials and the exposed header', async () => {
    const response = await new Client(buildApp()).get('/api/polls/', undefined, { headers: { Origin: DEV } });
    expect(response.statusCode).toBe(200);
    expect(corsHeaders(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': DEV,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'x-total-count',
    });
  });

  test('GET /api/polls/ from another origin: only Vary', async () => {
    const response = await new Client(buildApp()).get('/api/polls/', undefined, { headers: { Origin: 'https://evil.example' } });
    expect(response.statusCode).toBe(200);
    expect(corsHeaders(response)).toEqual({ Vary: 'Origin' });
  });

  test('the preflight of a JSON POST: 200, empty, with the allowed methods and headers', async () => {
    const response = await new Client(buildApp(), { enforceCsrfChecks: true }).options('/api/polls/', undefined, {
      headers: { Origin: APP, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-csrftoken' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('');
    expect(corsHeaders(response)).toEqual({
      Vary: 'Origin',
      'Access-Control-Allow-Origin': APP,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'x-total-count',
      'Access-Control-Allow-Headers': 'accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with',
      'Access-Control-Allow-Methods': 'DELETE, GET, OPTIONS, PATCH, POST, PUT',
      'Access-Control-Max-Age': '86400',
    });
  });

  test('POST /api/polls/ with the token: 201 from the CSRF-trusted origin, 403 from the dev server (CORS does not touch CSRF)', async () => {
    const client = new Client(buildApp(), { enforceCsrfChecks: true });
    const { csrfToken } = (await client.get('/api/csrf/', undefined, { headers: { Origin: APP } })).json();
    const post = (origin: string) => client.post('/api/polls/', { question: 'Tea?' }, { json: true, headers: { Origin: origin, 'X-CSRFToken': csrfToken } });
    const trusted = await post(APP);
    expect(trusted.statusCode).toBe(201);
    expect(trusted.json()).toEqual({ id: 2, question: 'Tea?' });
    expect(trusted.headers.get('Access-Control-Allow-Origin')).toBe(APP);
    rootLogger.clear();
    const untrusted = await post(DEV);
    expect(rootLogger.messages()).toEqual(['Forbidden (Origin checking failed - http://localhost:5173 does not match any trusted origins.): /api/polls/']);
    expect(untrusted.statusCode).toBe(403);
    expect(untrusted.json()).toEqual({ detail: 'CSRF Failed: Origin checking failed - http://localhost:5173 does not match any trusted origins.' });
    expect(untrusted.headers.get('Access-Control-Allow-Origin')).toBe(DEV);
  });

  test('GET /api/widget/ : `*` for any origin, no credentials; corsExposeHeaders still applies', async () => {
    const response = await new Client(buildApp()).get('/api/widget/', undefined, { headers: { Origin: 'https://blog.example' } });
    expect(corsHeaders(response)).toEqual({ Vary: 'Origin', 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'x-total-count' });
  });

  test('POST /api/purge/ : exempt, no CORS headers even for an allowed origin; its preflight gets the app’s 204', async () => {
    const client = new Client(buildApp());
    expect(corsHeaders(await client.post('/api/purge/', {}, { headers: { Origin: APP } }))).toEqual({});
    const preflight = await client.options('/api/purge/', undefined, { headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(corsHeaders(preflight)).toEqual({});
  });
});
