/**
 * The examples of docs/templates.md and of the CSRF failure view in docs/csrf.md, run through the
 * test Client: the pages and statuses asserted here are the ones the guides state.
 */
import { rootLogger } from '../logging/root-logger';
import { Client } from 'reinhardt';
import * as tags from '../../docs/examples/template-tags';
import * as csrfFailure from '../../docs/examples/csrf-failure';

describe('docs/templates.md', () => {
  test('the index links with url(), shows the shared header, and sets no CSRF cookie', async () => {
    const response = await new Client(tags.buildApp()).get('/polls/');
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe(
      '<header><a href="/polls/">Polls</a></header>\n\n<ul>\n  \n  <li><a href="/polls/1/">Tea or coffee?</a></li>\n  \n</ul>\n',
    );
    expect([...response.cookies.keys()]).toEqual([]);
  });

  test('the detail page: {% static %}, the percent filter, {% url %} in the form and {% csrf_token %}, which sets the cookie', async () => {
    const browser = new Client(tags.buildApp(), { enforceCsrfChecks: true });
    const response = await browser.get('/polls/1/');
    expect(response.text.replace(/value="[A-Za-z0-9]{64}"/, 'value="TOKEN"')).toBe(
      '<header><a href="/polls/">Polls</a></header>\n\n' +
        '<link rel="stylesheet" href="/static/css/polls.css">\n<h1>Tea or coffee?</h1>\n<p>75% said tea.</p>\n' +
        '<form method="post" action="/polls/1/vote/">\n  <input type="hidden" name="csrfmiddlewaretoken" value="TOKEN">\n  <button>Tea</button>\n</form>\n',
    );
    expect(response.cookies.get('csrftoken')?.value).toMatch(/^[A-Za-z0-9]{32}$/);
    const token = /value="([A-Za-z0-9]{64})"/.exec(response.text)![1]!;
    const vote = await browser.post('/polls/1/vote/', { csrfmiddlewaretoken: token });
    expect(vote.statusCode).toBe(302);
    expect(vote.headers.get('Location')).toBe('/polls/1/');
  });
});

describe('docs/csrf.md: the CSRF failure view', () => {
  beforeEach(() => rootLogger.clear());

  test('the expired feedback form gets its own page from csrfFailureView', async () => {
    const response = await new Client(csrfFailure.buildApp(), { enforceCsrfChecks: true }).post('/feedback/', { text: 'hi' });
    expect(response.statusCode).toBe(403);
    expect(response.text).toBe('<h1>This form has expired</h1>\n<p>Reload the page and send it again. (CSRF cookie not set.)</p>\n');
  });

  test('any other refused request gets the default view, which renders 403_csrf.html', async () => {
    const response = await new Client(csrfFailure.buildApp(), { enforceCsrfChecks: true }).post('/api/feedback/', { text: 'hi' }, { headers: { Accept: 'text/html' } });
    expect(response.statusCode).toBe(403);
    expect(response.text).toBe(
      '<h1>Forbidden (403)</h1>\n<p>CSRF verification failed: CSRF cookie not set.</p>\n<p>Your browser did not send the CSRF cookie: enable cookies for this site.</p>\n',
    );
  });

  test('with the form token the feedback is accepted', async () => {
    const browser = new Client(csrfFailure.buildApp(), { enforceCsrfChecks: true });
    const form = await browser.get('/feedback/');
    const token = /value="([A-Za-z0-9]{64})"/.exec(form.text)![1]!;
    const response = await browser.post('/feedback/', { text: 'hi', csrfmiddlewaretoken: token });
    expect(response.statusCode).toBe(200);
    expect(response.text).toBe('{"thanks":"hi"}');
  });
});
