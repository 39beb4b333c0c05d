/**
 * docs/examples/cache.ts (docs/cache.md), run through the test Client: the statuses, headers and
 * bodies asserted here are the ones the guide states.
 */
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/cache';

describe('docs/examples/cache.ts', () => {
  const client = new Client(buildApp());

  test('GET /polls/ twice: computed once, the second answer from the cache with max-age and Age', async () => {
    const first = await client.get('/polls/');
    expect(first.text).toBe('{"votes":{"tea":0,"coffee":0},"computed":1}');
    expect(first.headers.get('Cache-Control')).toBe('max-age=60');
    const second = await client.get('/polls/');
    expect(second.text).toBe('{"votes":{"tea":0,"coffee":0},"computed":1}');
    expect(second.headers.get('Age')).toMatch(/^[01]$/);
  });

  test('a vote empties the page cache: the next GET computes the list again', async () => {
    expect((await client.post('/polls/tea/vote/')).json()).toEqual({ voted: 'tea' });
    expect((await client.get('/polls/')).text).toBe('{"votes":{"tea":1,"coffee":0},"computed":2}');
  });

  test('GET /polls/welcome/ : one page per Accept-Language', async () => {
    expect((await client.get('/polls/welcome/', undefined, { headers: { 'Accept-Language': 'fr' } })).text).toBe('<h1>Bienvenue</h1>');
    const english = await client.get('/polls/welcome/', undefined, { headers: { 'Accept-Language': 'en' } });
    expect(english.text).toBe('<h1>Welcome</h1>');
    expect(english.headers.get('Vary')).toBe('Accept-Language');
    expect(english.headers.get('Cache-Control')).toBe('max-age=300');
  });

  test('GET /polls/stats/ : getOrSet computes the total once; add then incr counts the views', async () => {
    expect((await client.get('/polls/stats/')).json()).toEqual({ total: 1, views: 1 });
    await client.post('/polls/coffee/vote/');
    // The total was cached for 10 minutes: the new vote is not in it yet.
    expect((await client.get('/polls/stats/')).json()).toEqual({ total: 1, views: 2 });
  });
});
