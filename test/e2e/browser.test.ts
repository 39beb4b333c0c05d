import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { container as rootContainer } from 'tsyringe';
import { CapturingLogger, LOGGER, staticUrl } from 'reinhardt';
import type { BuiltApp } from '../../sample-app/app';
import { ATTACHMENT_MAX_SIZE } from '../../sample-app/controllers/attachments.controller';
import { buildCollectedApp } from '../sample-app/collected-app';
import { chromiumInstalled, chromiumMissingError, launchChromium } from '../helpers/chromium';

/**
 * The polls site in headless Chromium, every flow a visitor has (issue 26 item 5): sign up, log
 * out, vote anonymously (to the login page and back to the poll), vote signed in, the results,
 * upload a file and download part of it with a Range request, a 404, a CSRF failure from a
 * tampered form token, and the two 413s (the view's per-file limit, the framework's
 * maxUploadSize). The app is served as `npm start` serves it, after collectstatic, and each step
 * asserts what the page shows (heading, message, the header's user) and that the site's
 * stylesheet applied, then saves a screenshot to test-results/<NN>-<step>.png. The steps share
 * one browser session and run in order.
 */
const SHOTS = join(__dirname, '..', '..', 'test-results');

// The browser globals the functions run in the page use: the project compiles without the DOM library.
interface PageElement {
  className: string;
  value: string;
}
declare const document: { querySelector(selector: string): PageElement | null };
declare function getComputedStyle(element: PageElement): { display: string; borderBottom: string; color: string; backgroundColor: string };

const FILE = Buffer.from('Reinhardt attachment: bytes 0123456789\n');

let dataDir: string;
let built: BuiltApp;
let server: Server;
let base: string;
let browser: Browser | undefined;
let page: Page;

async function shot(step: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${step}.png`), fullPage: true });
}

/**
 * The site's stylesheet applied (an unstyled page, e.g. a 404 for the CSS, fails here): the
 * header is site.css's flex row with its grey rule, the brand its green, and a message, when
 * there is one, has its level's background.
 */
async function expectStyled(): Promise<void> {
  const style = await page.evaluate(() => {
    const header = getComputedStyle(document.querySelector('header')!);
    const brand = getComputedStyle(document.querySelector('header a.brand')!);
    const message = document.querySelector('.messages li');
    return {
      header: [header.display, header.borderBottom],
      brand: brand.color,
      message: message === null ? null : [message.className, getComputedStyle(message).backgroundColor],
    };
  });
  expect(style.header).toEqual(['flex', '1px solid rgb(221, 221, 221)']);
  expect(style.brand).toBe('rgb(12, 75, 51)');
  if (style.message !== null) {
    const backgrounds: Record<string, string> = { success: 'rgb(230, 244, 234)', info: 'rgb(232, 241, 251)' };
    expect(style.message[1]).toBe(backgrounds[style.message[0]]);
  }
}

/** The header's account part: who is signed in, or the two links. */
async function headerUser(): Promise<string> {
  const whoami = page.locator('#whoami');
  if ((await whoami.count()) === 1) return (await whoami.textContent())!;
  return (await page.locator('#login-link, #signup-link').allTextContents()).join(' / ');
}

/** The messages the page shows, in order. */
async function shownMessages(): Promise<string[]> {
  return page.locator('#messages li').allTextContents();
}

async function heading(): Promise<string> {
  return ((await page.locator('main h1').first().textContent()) ?? '').trim();
}

/** Submit a form and wait for the page it leads to. */
async function submit(selector: string): Promise<Response | null> {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response;
}

// Without the browser the suite fails with one line, once, instead of once per step.
if (!chromiumInstalled()) {
  test('headless Chromium is installed', () => {
    throw chromiumMissingError();
  });
}

const logger = new CapturingLogger();

(chromiumInstalled() ? describe : describe.skip)('sample app in a browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-e2e-'));
    // As `npm start` serves it: collectstatic first, then the production app (debug off).
    // The app's records (start-up, the CSRF warning, the 413s) go to a capturing logger, not the test output.
    const container = rootContainer.createChildContainer();
    container.registerInstance(LOGGER, logger);
    built = buildCollectedApp({ dataDir, secretKey: 'browser-test-secret', container });
    server = await built.app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    page = await context.newPage();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise<void>((done) => server.close(() => done()));
    built?.db.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the poll list, anonymous, links the collected stylesheet', async () => {
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/polls/`);
    expect(await heading()).toBe('Latest polls');
    expect(await headerUser()).toBe('Log in / Sign up');
    expect(await page.getAttribute('link[rel=stylesheet]', 'href')).toBe(staticUrl('css/site.css', built.app.settings));
    expect(await page.getAttribute('link[rel=stylesheet]', 'href')).toMatch(/^\/static\/css\/site\.[0-9a-f]{12}\.css$/);
    await expectStyled();
    await shot('01-polls-anonymous');
  });

  test('sign up: to the polls, signed in, with a welcome', async () => {
    await page.click('#signup-link');
    expect(await heading()).toBe('Sign up');
    await page.fill('#id_username', 'margaret');
    await page.fill('#id_email', 'margaret@example.com');
    await page.fill('#id_password1', 'apollo-guidance');
    await page.fill('#id_password2', 'apollo-guidance');
    await expectStyled();
    await shot('02-signup-form');
    await submit('#signup-form button[type=submit]');
    expect(page.url()).toBe(`${base}/polls/`);
    expect(await shownMessages()).toEqual(['Welcome, margaret! Your account was created and you are signed in.']);
    expect(await headerUser()).toBe('Signed in as margaret');
    await expectStyled();
    await shot('03-signed-up');
  });

  test('log out', async () => {
    await submit('#logout');
    expect(page.url()).toBe(`${base}/polls/`);
    expect(await shownMessages()).toEqual(['You have been logged out.']);
    expect(await headerUser()).toBe('Log in / Sign up');
    await expectStyled();
    await shot('04-logged-out');
  });

  test('vote anonymously: sent to log in, with the poll as next', async () => {
    await page.click("text=What's up?");
    expect(page.url()).toBe(`${base}/polls/1/`);
    await page.check('label:has-text("The sky")');
    await expectStyled();
    await shot('05-poll-anonymous');
    await submit('#vote-form input[type=submit]');
    expect(page.url()).toBe(`${base}/accounts/login/?next=/polls/1/`);
    expect(await heading()).toBe('Log in');
    expect(await shownMessages()).toEqual(['Log in to vote.']);
    expect(await page.inputValue('#login-form input[name=next]')).toBe('/polls/1/');
    await expectStyled();
    await shot('06-login-to-vote');
  });

  test('log in: back to the poll (a GET of its page, not the POST-only vote URL)', async () => {
    await page.fill('#id_username', 'margaret');
    await page.fill('#id_password', 'apollo-guidance');
    const response = await submit('#login-form button[type=submit]');
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/polls/1/`);
    expect(await page.locator('#vote-form legend h1').textContent()).toBe("What's up?");
    expect(await shownMessages()).toEqual(['You are signed in as margaret.']);
    expect(await headerUser()).toBe('Signed in as margaret');
    await expectStyled();
    await shot('07-back-at-the-poll');
  });

  test('vote signed in: the results, with the vote counted and recorded', async () => {
    await page.check('label:has-text("The sky")');
    await submit('#vote-form input[type=submit]');
    expect(page.url()).toBe(`${base}/polls/1/results/`);
    expect(await shownMessages()).toEqual(['Your vote was recorded.']);
    expect(await headerUser()).toBe('Signed in as margaret');
    const lines = await page.locator('#results li').allTextContents();
    expect(lines.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'Not much -- 0 votes',
      'The sky -- 1 vote',
      'Just hacking again -- 0 votes',
    ]);
    await expectStyled();
    await shot('08-results');
  });

  test('vote again from the results page', async () => {
    await page.click('text=Vote again?');
    expect(page.url()).toBe(`${base}/polls/1/`);
    // The message was shown once, on the results page.
    expect(await shownMessages()).toEqual([]);
    await page.check('label:has-text("Just hacking again")');
    await submit('#vote-form input[type=submit]');
    const lines = await page.locator('#results li').allTextContents();
    expect(lines.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'Not much -- 0 votes',
      'The sky -- 1 vote',
      'Just hacking again -- 1 vote',
    ]);
    expect(await shownMessages()).toEqual(['Your vote was recorded.']);
    await expectStyled();
    await shot('09-results-again');
  });

  test('upload a file', async () => {
    await page.click('nav >> text=Attachments');
    expect(page.url()).toBe(`${base}/attachments/`);
    expect(await heading()).toBe('Your attachments');
    await page.setInputFiles('#id_file', { name: 'guidance.txt', mimeType: 'text/plain', buffer: FILE });
    await submit('#upload-form button[type=submit]');
    expect(page.url()).toBe(`${base}/attachments/`);
    expect(await shownMessages()).toEqual(['"guidance.txt" was uploaded.']);
    expect(await page.locator('#attachments td').allTextContents()).toEqual(['guidance.txt', 'text/plain', `${FILE.length} bytes`, 'Download']);
    await expectStyled();
    await shot('10-uploaded');
  });

  test('download it with a Range request from the page: 206 and just those bytes', async () => {
    const href = (await page.getAttribute('a.download', 'href'))!;
    expect(href).toBe('/attachments/1/download/');
    // What Chromium sent, its cache's validators included (allHeaders has what the network stack adds).
    const sent: Promise<Record<string, string>>[] = [];
    const onRequest = (request: { url(): string; allHeaders(): Promise<Record<string, string>> }) => {
      if (request.url() === `${base}${href}`) sent.push(request.allHeaders());
    };
    page.on('request', onRequest);
    const [whole, part] = await page.evaluate(async (url) => {
      const read = async (headers: Record<string, string>) => {
        const response = await fetch(url, { headers });
        const { status } = response;
        return { status, range: response.headers.get('Content-Range'), etag: response.headers.get('ETag'), body: await response.text() };
      };
      // The whole file first, then a part of it, as a visitor resuming or seeking a download
      // does. The whole file comes Brotli-compressed (GZipMiddleware) with the ETag of that
      // coding, W/"<file's tag>-br". Chromium asks for the range with Accept-Encoding: identity
      // (the Fetch standard) and If-None-Match: W/"...-br" from its cache, which the plain file's
      // tag does not match, so the answer is the 206 of the plain bytes. When the compressed copy
      // had the file's own tag, only weakened (W/"..."), the core answered 304 and Chromium cut
      // the range out of its cached Brotli bytes: net::ERR_CONTENT_DECODING_FAILED.
      const whole = await read({});
      return [whole, await read({ Range: 'bytes=10-19' })];
    }, href);
    page.off('request', onRequest);
    const fileEtag = part.etag!;
    expect(fileEtag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(whole).toEqual({ status: 200, range: null, etag: `W/${fileEtag.slice(0, -1)}-br"`, body: FILE.toString() });
    expect(part).toEqual({ status: 206, range: `bytes 10-19/${FILE.length}`, etag: fileEtag, body: 'attachment' });
    const [first, second] = await Promise.all(sent);
    expect(sent).toHaveLength(2);
    expect(first['if-none-match']).toBeUndefined();
    expect([second.range, second['accept-encoding'], second['if-none-match']]).toEqual(['bytes=10-19', 'identity', whole.etag]);
    await expectStyled();
    await shot('11-download-range');
  });

  test('a missing poll: the 404 page, in the site layout', async () => {
    const response = await page.goto(`${base}/polls/999/`);
    expect(response?.status()).toBe(404);
    expect(await heading()).toBe('Page not found');
    expect(await page.textContent('main p code')).toBe('/polls/999/');
    expect(await headerUser()).toBe('Signed in as margaret');
    await expectStyled();
    await shot('12-not-found');
  });

  test('a tampered CSRF token: the 403 CSRF page, in the site layout', async () => {
    await page.goto(`${base}/polls/2/`);
    await page.check('#choice1');
    // Well formed (64 letters) but not the cookie's secret masked: "incorrect", as a forged form's would be.
    await page.evaluate(() => {
      document.querySelector('#vote-form input[name=csrfmiddlewaretoken]')!.value = 'A'.repeat(64);
    });
    const response = await submit('#vote-form input[type=submit]');
    expect(response?.status()).toBe(403);
    expect(page.url()).toBe(`${base}/polls/2/vote/`);
    expect(await heading()).toBe('Forbidden (403)');
    expect(await page.textContent('#csrf-reason')).toBe('CSRF token from POST incorrect.');
    expect(await headerUser()).toBe('Signed in as margaret');
    expect(logger.records.filter((record) => record.name === 'reinhardt.security.csrf').map(({ level, msg, status }) => ({ level, msg, status }))).toEqual([
      { level: 'warn', msg: 'Forbidden (CSRF token from POST incorrect.): /polls/2/vote/', status: 403 },
    ]);
    await expectStyled();
    await shot('13-csrf-failure');
  });

  test("a file over the attachment limit: the view's 413 with its message", async () => {
    await page.goto(`${base}/attachments/`);
    await page.setInputFiles('#id_file', { name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(ATTACHMENT_MAX_SIZE + 1) });
    const response = await submit('#upload-form button[type=submit]');
    expect(response?.status()).toBe(413);
    expect(await page.textContent('#upload-error')).toBe(`"big.bin" is ${ATTACHMENT_MAX_SIZE + 1} bytes; the limit is 5 MB (5242880 bytes).`);
    expect(await headerUser()).toBe('Signed in as margaret');
    await expectStyled();
    await shot('14-too-large-for-the-view');
  });

  test("a request over maxUploadSize: the framework's 413 page, in the site layout", async () => {
    await page.goto(`${base}/attachments/`);
    const maxUploadSize = built.app.settings.maxUploadSize ?? 0;
    expect(maxUploadSize).toBe(10 * 1024 * 1024);
    await page.setInputFiles('#id_file', { name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(maxUploadSize + 1) });
    const response = await submit('#upload-form button[type=submit]');
    expect(response?.status()).toBe(413);
    expect(await heading()).toBe('Request too large (413)');
    expect(await headerUser()).toBe('Signed in as margaret');
    await expectStyled();
    await shot('15-too-large-for-the-site');
    expect(built.db.sqlite.prepare('SELECT name FROM attachments_attachment').pluck().all()).toEqual(['guidance.txt']);
  });
});
