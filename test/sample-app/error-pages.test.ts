import { rootLogger } from '../logging/root-logger';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, staticUrl, templateEnvironment } from 'reinhardt';
import type { BuiltApp } from '../../sample-app/app';
import { UserRepository } from '../../sample-app/repositories/user-repository';
import type { User } from '../../sample-app/models/user';
import { buildCollectedApp } from './collected-app';

/**
 * Every error page of the sample app is a page of the site (issue 26 item 4): it extends
 * base.html, so it links the collected stylesheet and shows the same header as every other page,
 * with the signed-in user, whether the error comes from a view, from CsrfMiddleware (the CSRF
 * 403, and the 400 or 413 of a body it reads for the token) or from a crash in production.
 */
describe('sample app error pages', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;
  let user: User;
  let cssUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-error-pages-'));
    built = buildCollectedApp({ dataDir, secretKey: 'error-pages-test-secret' });
    cssUrl = staticUrl('css/site.css', built.app.settings);
    user = await built.container.resolve(UserRepository).create('ada', '', 'analytical engine');
  });
  afterAll(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // The refusals are logged (Django's django.security.csrf and django.request loggers): to the
    // capturing logger registered in the root container (test/logging/root-logger.ts).
    rootLogger.clear();
    client = new Client(built.app, { enforceCsrfChecks: true });
    await client.forceLogin(user);
    // A page with a form sets the csrftoken cookie, as the browser has it before posting.
    await client.get('/polls/1/');
  });

  /** The page is the site's: the hashed stylesheet, the header with the user and a working logout form. */
  function expectSitePage(html: string, heading: RegExp): void {
    expect(cssUrl).toMatch(/^\/static\/css\/site\.[0-9a-f]{12}\.css$/);
    expect(html).toContain(`<link rel="stylesheet" href="${cssUrl}">`);
    expect(html).toContain('<span id="whoami">Signed in as <strong>ada</strong></span>');
    expect(html).toMatch(/<form method="post" action="\/accounts\/logout\/"><input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}">/);
    expect(html).not.toContain('id="login-link"');
    expect(html).toMatch(heading);
  }

  test('404: a missing poll', async () => {
    const response = await client.get('/polls/999/');
    expect(response.statusCode).toBe(404);
    expectSitePage(response.text, /<h1 id="not-found">Page not found<\/h1>/);
  });

  test('404: a path no route matches', async () => {
    const response = await client.get('/nowhere/');
    expect(response.statusCode).toBe(404);
    expectSitePage(response.text, /<h1 id="not-found">Page not found<\/h1>/);
  });

  test('403 CSRF: a tampered form token renders 403_csrf.html with the reason', async () => {
    const response = await client.post('/polls/1/vote/', { csrfmiddlewaretoken: 'A'.repeat(64), choice: '1' });
    expect(response.statusCode).toBe(403);
    expectSitePage(response.text, /<h1 id="csrf-failure">Forbidden \(403\)<\/h1>/);
    expect(response.text).toContain('<p>The form was out of date or had been changed. Reload the page and submit it again.</p>');
    expect(response.text).toContain('<code id="csrf-reason">CSRF token from POST incorrect.</code>');
  });

  test('403 CSRF without the cookie explains that the browser sent none', async () => {
    const cookieless = new Client(built.app, { enforceCsrfChecks: true });
    await cookieless.forceLogin(user);
    cookieless.cookies.delete('csrftoken');
    const response = await cookieless.post('/polls/1/vote/', { choice: '1' });
    expect(response.statusCode).toBe(403);
    expect(response.text).toContain('your browser did not send one');
    expect(response.text).toContain('<code id="csrf-reason">CSRF cookie not set.</code>');
  });

  test('403: the plain 403.html extends base.html too', () => {
    // No view of the sample raises PermissionDenied for a browser (another user's file is a 404),
    // so the template is rendered as the 403 view renders it: the page context plus `exception`.
    const html = templateEnvironment(built.app.settings).render('403.html', {
      request: { user, path: '/x/', settings: built.app.settings },
      user,
      messages: [],
      exception: 'You do not have permission to perform this action.',
    });
    expect(html).toContain(`<link rel="stylesheet" href="${cssUrl}">`);
    expect(html).toContain('<span id="whoami">Signed in as <strong>ada</strong></span>');
    expect(html).toContain('<h1 id="forbidden">Forbidden (403)</h1>\n<p>You do not have permission to perform this action.</p>');
  });

  test('400: a malformed multipart upload (read by CsrfMiddleware for the token)', async () => {
    const response = await client.post('/attachments/', '--nope\r\nno headers, no end', { contentType: 'multipart/form-data; boundary=nope' });
    expect(response.statusCode).toBe(400);
    expectSitePage(response.text, /<h1 id="bad-request">Bad request \(400\)<\/h1>/);
  });

  test('413: a request over maxUploadSize', async () => {
    const small = buildCollectedApp({ dataDir, secretKey: 'error-pages-test-secret', settings: { maxUploadSize: 1024 } });
    try {
      const other = new Client(small.app, { enforceCsrfChecks: true });
      await other.forceLogin(user);
      await other.get('/polls/1/');
      const response = await other.post('/attachments/', { file: Client.file('x.bin', Buffer.alloc(2048)) });
      expect(response.statusCode).toBe(413);
      expectSitePage(response.text, /<h1 id="too-large">Request too large \(413\)<\/h1>/);
    } finally {
      small.db.close();
    }
  });

  test('429: the sixth login post in a minute', async () => {
    const form = await client.get('/accounts/login/');
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.text)![1];
    // '5/m' counts in fixed one-minute windows (django-ratelimit's): the sixth post is refused,
    // unless a window ends among the posts (each hashes a password), and then by the eleventh.
    let response = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'ada', password: 'wrong' });
    let attempts = 1;
    while (response.statusCode !== 429 && attempts < 11) {
      response = await client.post('/accounts/login/', { csrfmiddlewaretoken: token, username: 'ada', password: 'wrong' });
      attempts += 1;
    }
    expect(attempts).toBeGreaterThanOrEqual(6);
    expect(response.statusCode).toBe(429);
    expectSitePage(response.text, /<h1 id="too-many-requests">Too many attempts \(429\)<\/h1>/);
  });

  test('500 in production: a view that fails shows 500.html, styled, with the user', async () => {
    const broken = buildCollectedApp({ dataDir: mkdtempSync(join(tmpdir(), 'reinhardt-error-pages-500-')), secretKey: 'error-pages-test-secret' });
    try {
      const other = new Client(broken.app);
      await other.forceLogin(await broken.container.resolve(UserRepository).create('ada', '', 'analytical engine'));
      // The poll pages' table is gone: the view's query throws, the session (another table) still works.
      broken.db.sqlite.exec('DROP TABLE polls_choice');
      const response = await other.get('/polls/1/');
      expect(response.statusCode).toBe(500);
      expectSitePage(response.text, /<h1 id="server-error">Server error \(500\)<\/h1>/);
      expect(response.text).not.toContain('polls_choice');
      expect(rootLogger.named('reinhardt.request', 'error').map((record) => record.msg)).toEqual(['Internal Server Error: /polls/1/']);
    } finally {
      broken.db.close();
    }
  });
});
