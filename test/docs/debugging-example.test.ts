/**
 * docs/examples/debugging.ts (docs/debugging.md), run through the test Client: the pages and
 * statuses asserted here are the ones the guide describes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CapturingLogger, Client } from 'reinhardt';
import { buildApp } from '../../docs/examples/debugging';

const EXAMPLE = join(__dirname, '..', '..', 'docs', 'examples', 'debugging.ts');
const MASK = '********************';

function client(debug: boolean) {
  return new Client(buildApp({ debug, logger: new CapturingLogger() }));
}

function lineOf(text: string): number {
  return readFileSync(EXAMPLE, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

describe('docs/examples/debugging.ts with debug: true', () => {
  test('GET /polls/1/results/: the technical 500 with the line that failed and the masked settings', async () => {
    const response = await client(true).get('/polls/1/results/');
    expect(response.statusCode).toBe(500);
    const html = response.text;
    expect(html).toContain('<h1>TypeError at /polls/1/results/</h1>');
    const line = lineOf('return { total: poll.votes!.length };');
    // (Jest's own stack rewriting may rename the function after a name in the map: `PollController.length [as results]`.)
    expect(html).toMatch(new RegExp(`<tr><th scope="row">Exception Location:</th><td>${EXAMPLE}, line ${line}, in PollController\\.[^<]*results`));
    expect(html).toContain(`<ol start="${line}" class="context-line"><li><pre>    return { total: poll.votes!.length }; // a poll without votes: the 500 page shows this line</pre></li></ol>`);
    expect(html).toContain(`<tr><td>secretKey</td><td class="code"><pre>${MASK}</pre></td></tr>`);
    expect(html).toContain('Switch to copy-and-paste view');
  });

  test('GET /polls/2/: the technical 404 names the view that raised Http404', async () => {
    const response = await client(true).get('/polls/2/');
    expect(response.statusCode).toBe(404);
    expect(response.text).toContain('<tr><th scope="row">Raised by:</th><td>PollController.detail</td></tr>');
    expect(response.text).toContain('<pre class="exception_value">No Poll matches the given query: 2.</pre>');
  });

  test('GET /polls/about/: the template-loader postmortem', async () => {
    const response = await client(true).get('/polls/about/');
    expect(response.statusCode).toBe(500);
    const tried = join(__dirname, '..', '..', 'docs', 'examples', 'templates', 'polls', 'about.html');
    expect(response.text).toContain(`<li><code>nunjucks.FileSystemLoader</code>: ${tried} (Source does not exist)</li>`);
  });

  test("POST /polls/1/vote: Django's RuntimeError instead of a 404", async () => {
    const response = await client(true).post('/polls/1/vote', { choice: '1' });
    expect(response.statusCode).toBe(500);
    expect(response.text).toContain('<h1>RuntimeError at /polls/1/vote</h1>');
    expect(response.text).toContain('You called this URL via POST, but the URL doesn&#39;t end in a slash and you have appendSlash set.');
  });
});

describe('docs/examples/debugging.ts with debug: false', () => {
  test('the same requests get the standard pages', async () => {
    const production = client(false);
    const crash = await production.get('/polls/1/results/');
    expect(crash.statusCode).toBe(500);
    expect(crash.text).toBe('<!doctype html>\n<title>Server Error (500)</title>\n<h1>Server Error (500)</h1>\n');
    const missing = await production.get('/polls/2/');
    expect(missing.statusCode).toBe(404);
    expect(missing.text).not.toContain('PollController');
    expect((await production.post('/polls/1/vote', { choice: '1' })).statusCode).toBe(404);
  });
});
