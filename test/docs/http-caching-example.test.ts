/**
 * docs/examples/http-caching.ts (docs/http-caching.md), run through the test Client: the headers
 * and statuses asserted here are the ones the guide states.
 */
import { createHash } from 'node:crypto';
import { Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/http-caching';

const weakEtag = (body: string) => `W/"${createHash('md5').update(body).digest('hex')}"`;

describe('HTTP caching example', () => {
  const client = new Client(buildApp());
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2025, 0, 2, 3, 4, 5)));
  afterEach(() => jest.restoreAllMocks());

  test('@CacheControl: the prices may be kept by any cache for five minutes', async () => {
    const response = await client.get('/prices/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=300, stale-while-revalidate=60');
    expect(response.text).toBe('{"eur":1.08,"gbp":0.86}');
    expect(response.headers.get('ETag')).toBe(weakEtag('{"eur":1.08,"gbp":0.86}'));
  });

  test('@VaryOnHeaders and @VaryOnCookie: Vary lists both, the inner decorator first', async () => {
    const response = await client.get('/', undefined, { headers: { 'Accept-Language': 'fr-FR' } });
    expect(response.text).toBe('<h1>Bienvenue visiteur</h1>');
    expect(response.headers.get('Vary')).toBe('Cookie, Accept-Language');
  });

  test('@NeverCache: the login redirect of an anonymous visitor is never cached either', async () => {
    const response = await client.get('/account/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/accounts/login/?next=/account/');
    expect(response.headers.get('Cache-Control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    expect(response.headers.get('Expires')).toBe('Thu, 02 Jan 2025 03:04:05 GMT');
    expect(response.headers.has('ETag')).toBe(false);
  });

  test('patchCacheControl in a handler: old news is immutable for a day, fresh news a minute', async () => {
    expect((await client.get('/news/7/')).headers.get('Cache-Control')).toBe('public, max-age=86400, immutable');
    expect((await client.get('/news/123/')).headers.get('Cache-Control')).toBe('public, max-age=60');
  });

  test('ConditionalGetMiddleware: the ETag sent back in If-None-Match is a 304 without the body', async () => {
    const first = await client.get('/news/7/');
    const etag = first.headers.get('ETag')!;
    expect(etag).toBe(weakEtag('<article>News 7</article>'));
    const again = await client.get('/news/7/', undefined, { headers: { 'If-None-Match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.get('ETag')).toBe(etag);
    expect(again.headers.get('Cache-Control')).toBe('public, max-age=86400, immutable');
  });
});
