/**
 * The debug pages in headless Chromium, for an app run as it is deployed: compiled to JavaScript
 * with source maps beside it and started with plain `node` (no `--enable-source-maps`), so the
 * technical 500 has to map the `.js` frames back to the `.ts` file itself (issue 23 item 6).
 * Saves test-results/technical-500.png and test-results/technical-404.png.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { transformSync } from '@swc/core';
import { chromiumInstalled, chromiumMissingError, launchChromium } from '../helpers/chromium';

const ROOT = join(__dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results');
const SOURCE = join(__dirname, 'fixtures', 'technical-pages-app.ts');
/** As deep as the fixture, so its relative imports of src/ resolve the same from there. */
const OUT_DIR = join(SHOTS, 'technical-pages', 'app');
const COMPILED = join(OUT_DIR, 'technical-pages-app.js');
const MASK = '********************';

let child: ChildProcess | undefined;
let stderr = '';
let base: string;
let browser: Browser | undefined;
let page: Page;

/**
 * The fixture compiled as `tsc --sourceMap` emits it: CommonJS with legacy decorators and their
 * metadata, `//# sourceMappingURL=` at the end, and the map's `sources` relative to the map.
 */
function compileFixture(): void {
  const source = readFileSync(SOURCE, 'utf8');
  const output = transformSync(source, {
    filename: SOURCE,
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  const map = JSON.parse(output.map!) as { sources: string[]; sourcesContent?: string[] };
  map.sources = [relative(OUT_DIR, SOURCE)];
  delete map.sourcesContent;
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(`${COMPILED}.map`, JSON.stringify(map));
  writeFileSync(COMPILED, `${output.code}\n//# sourceMappingURL=technical-pages-app.js.map\n`);
}

/** Starts the compiled app (Reinhardt's own sources through the test hook) and waits for its port. */
function startApp(): Promise<number> {
  child = spawn(process.execPath, ['-r', './test/helpers/register-ts.js', COMPILED], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<number>((resolve, reject) => {
    let output = '';
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
    child!.once('exit', (code) => reject(new Error(`the app exited with ${code}:\n${stderr}`)));
  });
}

/** The line of the fixture that holds `text`, as the page shows it (1-based). */
function fixtureLine(text: string): number {
  return readFileSync(SOURCE, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

if (!chromiumInstalled()) {
  test('headless Chromium is installed', () => {
    throw chromiumMissingError();
  });
}

(chromiumInstalled() ? describe : describe.skip)('technical 500 and 404 pages in a browser', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    compileFixture();
    const [port, launched] = await Promise.all([startApp(), launchChromium()]);
    browser = launched;
    base = `http://127.0.0.1:${port}`;
    page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  test('the 500 page: the .ts frame with its source line, the request and the masked settings', async () => {
    const response = await page.goto(`${base}/polls/1/results/?from=<script>alert(1)</script>`);
    expect(response?.status()).toBe(500);
    expect(await page.locator('h1').textContent()).toBe('TypeError at /polls/1/results/');
    const throwLine = fixtureLine('return choices[0].toUpperCase();');
    // The compiled app printed .js positions; the page shows the TypeScript file and line.
    const location = page.locator('#summary table.meta tr', { hasText: 'Exception Location:' }).locator('td');
    expect(await location.textContent()).toBe(`${SOURCE}, line ${throwLine}, in PollStats.mostVoted`);
    const frame = page.locator('li.frame.user', { hasText: 'PollStats.mostVoted' });
    await expect(frame.locator('code.fname').textContent()).resolves.toBe(SOURCE);
    const contextLine = frame.locator('ol.context-line li');
    expect(await contextLine.isVisible()).toBe(true);
    expect(await contextLine.textContent()).toBe('    return choices[0].toUpperCase(); // a poll without choices: TypeError');
    expect(await page.locator('li.frame.user', { hasText: 'PollController.results' }).locator('code.fname').textContent()).toBe(SOURCE);
    expect(await page.content()).not.toContain('technical-pages-app.js</code>');
    // The request: the query shown as text (the script never ran), the settings masked.
    expect(await page.locator('#get-info + table td.code').textContent()).toBe('["<script>alert(1)</script>"]');
    const secretKey = page
      .locator('#settings-info + table tr')
      .filter({ has: page.locator('td:first-child', { hasText: /^secretKey$/ }) })
      .locator('td.code');
    expect(await secretKey.isVisible()).toBe(true);
    expect(await secretKey.textContent()).toBe(MASK);
    expect(await page.locator('body').textContent()).not.toContain('technical-pages-e2e-secret-0042');
    await page.screenshot({ path: join(SHOTS, 'technical-500.png'), fullPage: true });
    // Django's "Switch to copy-and-paste view": the traceback as text in a textarea.
    await page.click('text=Switch to copy-and-paste view');
    const area = page.locator('#traceback_area');
    expect(await area.isVisible()).toBe(true);
    expect(await page.locator('#browserTraceback').isVisible()).toBe(false);
    const text = await area.inputValue();
    expect(text).toContain(`  File "${SOURCE}", line ${throwLine}, in PollStats.mostVoted\n    return choices[0].toUpperCase(); // a poll without choices: TypeError\n`);
    expect(text).toContain('Exception Type: TypeError at /polls/1/results/\n');
    expect(await page.locator('text=Switch back to interactive view').isVisible()).toBe(true);
  });

  test('the 404 page names the view that raised Http404', async () => {
    const response = await page.goto(`${base}/polls/99/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Page not found (404)');
    expect(await page.locator('pre.exception_value').textContent()).toBe('No Poll matches the given query: 99.');
    expect(await page.locator('tr', { hasText: 'Raised by:' }).locator('td').textContent()).toBe('PollController.detail');
    await page.screenshot({ path: join(SHOTS, 'technical-404.png'), fullPage: true });
  });

  test('a path no route matches: the patterns tried', async () => {
    const response = await page.goto(`${base}/poll/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('ol.patterns li').allTextContents()).toEqual([
      "/polls/<int:id>/ [GET] [name='poll-detail']",
      "/polls/<int:id>/results/ [GET] [name='poll-results']",
    ]);
    await page.screenshot({ path: join(SHOTS, 'technical-404-no-route.png'), fullPage: true });
  });
});
