/**
 * docs/examples/conditional.ts (docs/responses.md, "Conditional view processing"), run through the test
 * Client: the statuses and headers asserted here are the ones the guide states.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { Client } from 'reinhardt';
import { buildApp, pages } from '../../docs/examples/conditional';

describe('conditional view processing example', () => {
  const client = new Client(buildApp());

  test('GET carries the computed ETag and Last-Modified; a matching If-None-Match is a 304', async () => {
    const first = await client.get('/wiki/home/');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ slug: 'home', text: 'Welcome' });
    expect(first.headers.get('ETag')).toBe('"home-v1"');
    expect(first.headers.get('Last-Modified')).toBe('Mon, 06 May 2024 07:08:09 GMT');
    const again = await client.get('/wiki/home/', undefined, { headers: { 'If-None-Match': '"home-v1"' } });
    expect(again.statusCode).toBe(304);
    const history = await client.get('/wiki/home/history/', undefined, { headers: { 'If-Modified-Since': 'Mon, 06 May 2024 07:08:09 GMT' } });
    expect(history.statusCode).toBe(304);
  });

  test('PUT with a stale If-Match is a 412 and changes nothing; with the current one it updates', async () => {
    const stale = await client.put('/wiki/home/', { text: 'Lost update' }, { json: true, headers: { 'If-Match': '"home-v0"' } });
    expect(stale.statusCode).toBe(412);
    expect(pages.get('home')!.text).toBe('Welcome');
    const current = await client.put('/wiki/home/', { text: 'Hello' }, { json: true, headers: { 'If-Match': '"home-v1"' } });
    expect(current.statusCode).toBe(200);
    expect(current.json()).toEqual({ slug: 'home', version: 2 });
    expect(pages.get('home')!.text).toBe('Hello');
    const missing = await client.put('/wiki/nowhere/', { text: 'x' }, { json: true, headers: { 'If-Match': '*' } });
    expect(missing.statusCode).toBe(412);
  });
});
