/**
 * The debug 404 page (Django's technical 404, django/views/debug.py technical_404_response;
 * tests/view_tests/tests/test_debug.py DebugViewTests): a handler's Http404 names the view that
 * raised it ("Raised by:"), and a path no route matched lists the patterns tried.
 */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import { Http404 } from '../../src/http/errors';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client } from '../../src/testing/client';

@Controller('/polls')
class PollController {
  @Get('/', { name: 'poll-index' })
  index(): string {
    return 'polls';
  }

  @Get('/<int:id>/', { name: 'poll-detail' })
  detail(_request: unknown, id: number): never {
    throw new Http404(`No Poll matches the given query: <${id}>.`);
  }
}

function client(debug = true) {
  const app = createApp({ controllers: [PollController], settings: { debug, secretKey: 'technical-404-test-secret' }, container: root.createChildContainer(), middleware: [], logger: new CapturingLogger() });
  return new Client(app);
}

describe('technical 404', () => {
  test('test_technical_404: the view that raised Http404 is named, with its message and route', async () => {
    const response = await client().get('/polls/7/');
    expect(response.statusCode).toBe(404);
    const html = response.body.toString();
    expect(html).toContain('<title>Page not found at /polls/7/</title>');
    expect(html).toContain('<h1>Page not found <small>(404)</small></h1>');
    expect(html).toContain('<pre class="exception_value">No Poll matches the given query: &#60;7&#62;.</pre>');
    expect(html).toContain('<tr><th scope="row">Raised by:</th><td>PollController.detail</td></tr>');
    expect(html).toContain('<p>The current path, <code>/polls/7/</code>, matched the route <code>/polls/&#60;int:id&#62;/</code>.</p>');
    // Not a list of patterns: one of them matched.
    expect(html).not.toContain('tried these URL patterns');
  });

  test('test_404_not_in_urls: every pattern tried, in order, and no "Raised by"', async () => {
    const response = await client().get('/not-in-urls');
    expect(response.statusCode).toBe(404);
    const html = response.body.toString();
    expect(html).toContain(
      '<p>Reinhardt tried these URL patterns, in this order:</p>\n<ol class="patterns">\n' +
        '<li><code>/polls/ [GET] [name=&#39;poll-index&#39;]</code></li>\n' +
        '<li><code>/polls/&#60;int:id&#62;/ [GET] [name=&#39;poll-detail&#39;]</code></li>\n</ol>\n' +
        "<p>The current path, <code>/not-in-urls</code>, didn't match any of these.</p>",
    );
    expect(html).not.toContain('Raised by');
    expect(html).not.toContain('<pre class="exception_value">');
  });

  test('without debug: the standard page, naming no view', async () => {
    const response = await client(false).get('/polls/7/');
    expect(response.statusCode).toBe(404);
    const html = response.body.toString();
    expect(html).not.toContain('PollController');
    expect(html).not.toContain('No Poll matches');
  });
});
