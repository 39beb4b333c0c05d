/**
 * docs/examples/compression.ts and compression-page.ts (docs/compression.md), run through the
 * test Client: the headers and bodies asserted here are the ones the guide states.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Client } from 'reinhardt';
import * as compression from '../../docs/examples/compression';
import * as compressionPage from '../../docs/examples/compression-page';

const CHROMIUM = { headers: { 'Accept-Encoding': 'gzip, deflate, br, zstd' } };
const CURL = { headers: { 'Accept-Encoding': 'gzip' } };

describe('docs/examples/compression.ts', () => {
  const client = new Client(compression.buildApp());
  const polls = { polls: Array.from({ length: 50 }, (_, i) => ({ id: i + 1, question: `Question ${i + 1}?` })) };

  test('GET /api/polls/ from Chromium: Brotli, exact Content-Length, Vary: Accept-Encoding', async () => {
    const response = await client.get('/api/polls/', {}, CHROMIUM);
    expect(response.headers.get('Content-Encoding')).toBe('br');
    expect(response.headers.get('Content-Length')).toBe(String(response.body.length));
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(JSON.parse(brotliDecompressSync(response.body).toString())).toEqual(polls);
    expect(response.body.length).toBeLessThan(JSON.stringify(polls).length / 3);
  });

  test('GET /api/polls/ with curl --compressed (gzip): gzip with the random file name', async () => {
    const response = await client.get('/api/polls/', {}, CURL);
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.body[3] & 0x08).toBe(0x08);
    expect(JSON.parse(gunzipSync(response.body).toString())).toEqual(polls);
  });

  test('GET /api/polls/ without Accept-Encoding: as it is, still Vary: Accept-Encoding', async () => {
    const response = await client.get('/api/polls/');
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.headers.get('Vary')).toBe('Accept-Encoding');
    expect(response.json()).toEqual(polls);
  });

  test('GET /api/polls.csv: one compressed stream, no Content-Length', async () => {
    const response = await client.get('/api/polls.csv', {}, CURL);
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(response.headers.has('Content-Length')).toBe(false);
    const csv = gunzipSync(response.body).toString().split('\n');
    expect(csv[0]).toBe('id,question');
    expect(csv[1000]).toBe('1000,Question 1000?');
  });

  test('GET /api/ping/ (short) and /api/logo.png (no-transform): untouched', async () => {
    const ping = await client.get('/api/ping/', {}, CHROMIUM);
    expect(ping.headers.has('Content-Encoding')).toBe(false);
    expect(ping.json()).toEqual({ ok: true });
    const logo = await client.get('/api/logo.png', {}, CHROMIUM);
    expect(logo.headers.has('Content-Encoding')).toBe(false);
    expect(logo.body.length).toBe(300);
  });
});

describe('docs/examples/compression-page.ts', () => {
  const client = new Client(compressionPage.buildApp());

  test('GET /reports/2024/ : gzip even when Brotli is offered (the decorator allows gzip only)', async () => {
    const response = await client.get('/reports/2024/', {}, CHROMIUM);
    expect(response.headers.get('Content-Encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(response.body).toString()).months).toHaveLength(12);
  });

  test('GET /reports/2024/summary/ : not decorated, not compressed', async () => {
    const response = await client.get('/reports/2024/summary/', {}, CHROMIUM);
    expect(response.headers.has('Content-Encoding')).toBe(false);
    expect(response.json().total).toBe(4242);
  });
});
