/**
 * A form that posts to a URL without its trailing slash (Django's CommonMiddleware,
 * django/middleware/common.py `get_full_path_with_slash`; tests/middleware/tests.py
 * test_append_slash_no_redirect_in_DEBUG): with debug, Django raises a RuntimeError that says why
 * it cannot redirect, instead of a puzzling 404; without debug the request stays a 404.
 */
import 'reflect-metadata';
import { container as root } from 'tsyringe';
import { Controller } from '../../decorators/controller';
import { Get, Post } from '../../decorators/route';
import { createApp } from '../../src/core/application';
import type { Middleware } from '../../src/core/middleware';
import { SecurityMiddleware } from '../../src/middleware/security';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { Client } from '../../src/testing/client';

@Controller('/polls')
class VoteController {
  @Post('/<int:id>/vote/')
  vote(): string {
    return 'voted';
  }

  @Get('/')
  index(): string {
    return 'polls';
  }
}

function client(debug: boolean, settings: Record<string, unknown> = {}, middleware: Middleware[] = []) {
  const logger = new CapturingLogger();
  const app = createApp({
    controllers: [VoteController],
    settings: { debug, secretKey: 'append-slash-error-secret', ...settings },
    container: root.createChildContainer(),
    middleware,
    logger,
  });
  return { client: new Client(app), logger };
}

const MESSAGE =
  "You called this URL via POST, but the URL doesn't end in a slash and you have appendSlash set. " +
  "Reinhardt can't redirect to the slash URL while maintaining POST data. " +
  'Change your form to point to testserver/polls/3/vote/?next=%2F (note the trailing slash), or set appendSlash: false in your settings.';

describe('appendSlash and a POST without the slash', () => {
  test('test_append_slash_no_redirect_in_DEBUG: debug answers the RuntimeError on the 500 page', async () => {
    const { client: debug } = client(true);
    const response = await debug.post('/polls/3/vote?next=%2F', 'choice=1', { contentType: 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(500);
    const html = response.body.toString();
    expect(html).toContain('<h1>RuntimeError at /polls/3/vote</h1>');
    expect(html).toContain(`<pre class="exception_value">${MESSAGE.replace(/'/g, '&#39;')}</pre>`);
  });

  test('the same through the security middleware (its host check passes), logged as a 500', async () => {
    const { client: debug, logger } = client(true, {}, [SecurityMiddleware]);
    const response = await debug.post('/polls/3/vote?next=%2F');
    expect(response.statusCode).toBe(500);
    const logged = logger.records.find((record) => record.level === 'error');
    expect((logged?.err as Error).message).toBe(MESSAGE);
  });

  test.each(['put', 'patch', 'delete'] as const)('%s names its method', async (method) => {
    const { client: debug } = client(true);
    const response = await debug[method]('/polls/3/vote');
    expect(response.statusCode).toBe(500);
    expect(response.body.toString()).toContain(`You called this URL via ${method.toUpperCase()}, but the URL doesn&#39;t end in a slash`);
  });

  test('without debug it stays a 404', async () => {
    const { client: production } = client(false);
    expect((await production.post('/polls/3/vote')).statusCode).toBe(404);
  });

  test('with appendSlash off, or for a path that has no slash route, a 404 in debug too', async () => {
    const { client: strict } = client(true, { appendSlash: false });
    expect((await strict.post('/polls/3/vote')).statusCode).toBe(404);
    const { client: debug } = client(true);
    expect((await debug.post('/polls/3/nothing')).statusCode).toBe(404);
  });

  test('a GET is still redirected (the slash URL exists for GET)', async () => {
    const { client: debug } = client(true);
    const response = await debug.get('/polls');
    expect(response.statusCode).toBe(301);
    expect(response.headers.get('Location')).toBe('/polls/');
  });
});
