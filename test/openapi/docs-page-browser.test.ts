/**
 * The Swagger UI page of openApiController() in headless Chromium, over a real socket: it loads
 * the document from /api/openapi.json and lists every operation, every file it fetches comes from
 * the app itself (no CDN), and it leaves a screenshot in test-results/openapi-docs.png.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromiumInstalled, chromiumMissingError, launchChromium } from '../helpers/chromium';
import { app } from './fixtures/api/app';

const SHOTS = join(__dirname, '..', '..', 'test-results');

if (!chromiumInstalled()) {
  test('headless Chromium is installed', () => {
    throw chromiumMissingError();
  });
}

(chromiumInstalled() ? describe : describe.skip)('the docs page in a browser', () => {
  let server: Server;
  let browser: Browser | undefined;

  beforeAll(async () => {
    server = await app.listen(0, '127.0.0.1', { handleSignals: false });
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((done) => server.close(() => done()));
  });

  test('lists the operations of the document, every file served by the app', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/api/docs/`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    const operations = await page.$$eval('.opblock-summary', (blocks) =>
      blocks.map((block) => `${block.querySelector('.opblock-summary-method')?.textContent} ${block.querySelector('[data-path]')?.getAttribute('data-path')}`),
    );
    expect(operations).toEqual([
      'GET /api/polls/',
      'POST /api/polls/',
      'GET /api/polls/{id}/',
      'DELETE /api/polls/{id}/',
      'POST /api/polls/{id}/attachments/',
      'POST /api/polls/subscribe/{list}/',
    ]);
    expect(await page.textContent('.info .title')).toContain('Polls');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'openapi-docs.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(fetched.filter((url) => !url.startsWith(`${base}/`) && !url.startsWith('data:'))).toEqual([]);
    expect(fetched).toContain(`${base}/api/openapi.json`);
  }, 30_000);
});
