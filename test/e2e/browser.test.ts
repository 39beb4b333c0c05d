import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { chromiumInstalled, chromiumMissingError, launchChromium } from '../helpers/chromium';

/**
 * The polls site in headless Chromium, as a visitor uses it: sign up, log in, vote through the
 * HTML form (its CSRF field), see the results, upload and download a file, the 404 page, log
 * out. Each step saves a screenshot to test-results/<step>.png. The steps share one browser
 * session and run in order.
 */
const SHOTS = join(__dirname, '..', '..', 'test-results');
const FILE = Buffer.from('Reinhardt attachment: bytes 0123456789\n');

let dataDir: string;
let built: BuiltApp;
let server: Server;
let base: string;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;

async function shot(step: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${step}.png`), fullPage: true });
}

// Without the browser the suite fails with one line, once, instead of once per step.
if (!chromiumInstalled()) {
  test('headless Chromium is installed', () => {
    throw chromiumMissingError();
  });
}

(chromiumInstalled() ? describe : describe.skip)('sample app in a browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-e2e-'));
    built = buildApp({ dataDir, secretKey: 'browser-test-secret' });
    server = await built.app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1000, height: 700 } });
    page = await context.newPage();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((done) => server.close(() => done()));
    built?.db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('sign up', async () => {
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/polls/`);
    await page.click('#signup-link');
    await page.fill('#id_username', 'margaret');
    await page.fill('#id_email', 'margaret@example.com');
    await page.fill('#id_password1', 'apollo-guidance');
    await page.fill('#id_password2', 'apollo-guidance');
    await shot('01-signup');
    await Promise.all([page.waitForURL(`${base}/polls/`), page.click('#signup-form button[type=submit]')]);
    expect(await page.textContent('#whoami')).toBe('Signed in as margaret');
    await shot('02-polls-signed-up');
  });

  test('log out, then log in again', async () => {
    await Promise.all([page.waitForURL(`${base}/polls/`), page.click('#logout')]);
    await page.click('#login-link');
    await page.fill('#id_username', 'margaret');
    await page.fill('#id_password', 'apollo-guidance');
    await shot('03-login');
    await Promise.all([page.waitForURL(`${base}/polls/`), page.click('#login-form button[type=submit]')]);
    expect(await page.textContent('#whoami')).toBe('Signed in as margaret');
  });

  test('vote through the HTML form, which carries the CSRF token', async () => {
    await page.click('text=What\'s up?');
    expect(page.url()).toBe(`${base}/polls/1/`);
    const token = await page.getAttribute('#vote-form input[name=csrfmiddlewaretoken]', 'value');
    expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
    await page.check('label:has-text("The sky")');
    await shot('04-poll-detail');
    await Promise.all([page.waitForURL(`${base}/polls/1/results/`), page.click('#vote-form input[type=submit]')]);
  });

  test('the results show the vote', async () => {
    const lines = await page.locator('#results li').allTextContents();
    expect(lines.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'Not much -- 0 votes',
      'The sky -- 1 vote',
      'Just hacking again -- 0 votes',
    ]);
    await shot('05-results');
  });

  test('upload a file', async () => {
    await page.goto(`${base}/attachments/`);
    await page.setInputFiles('#id_file', { name: 'guidance.txt', mimeType: 'text/plain', buffer: FILE });
    await Promise.all([page.waitForURL(`${base}/attachments/`), page.click('#upload-form button[type=submit]')]);
    expect(await page.locator('#attachments td').first().textContent()).toBe('guidance.txt');
    await shot('06-upload');
  });

  test('download it: the same bytes, and a Range request gets 206', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.download')]);
    expect(download.suggestedFilename()).toBe('guidance.txt');
    expect(readFileSync(await download.path()).equals(FILE)).toBe(true);
    const partial = await context.request.get(`${base}/attachments/1/download/`, { headers: { Range: 'bytes=0-9' } });
    expect(partial.status()).toBe(206);
    expect(partial.headers()['content-range']).toBe(`bytes 0-9/${FILE.length}`);
    expect((await partial.body()).toString()).toBe('Reinhardt ');
    await shot('07-download');
  });

  test('a missing poll shows the 404 page', async () => {
    const response = await page.goto(`${base}/polls/999/`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('#not-found')).toBe('Page not found');
    await shot('08-not-found');
  });

  test('log out', async () => {
    await page.goto(`${base}/polls/`);
    await Promise.all([page.waitForURL(`${base}/polls/`), page.click('#logout')]);
    expect(await page.locator('#login-link').count()).toBe(1);
    expect(await page.locator('#whoami').count()).toBe(0);
    await shot('09-logged-out');
  });
});
