/** `reinhardt routes`: the route table of the app package.json names, as a table or JSON. */
import { join } from 'node:path';
import { FIXTURES, run } from './run-command';

const POLLS = join(FIXTURES, 'polls');

describe('reinhardt routes', () => {
  test('a table: method, pattern, name, Controller.method and guards, in match order', async () => {
    expect(await run(['routes'], POLLS)).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'Method  Pattern           Name         Handler                Guards\n' +
        'GET     /                              HomeController.home\n' +
        'GET     /polls/           poll-index   PollController.index\n' +
        'POST    /polls/                        PollController.create  LoginRequired, PermissionRequired(polls.add_poll)\n' +
        'GET     /polls/<int:id>/  poll-detail  PollController.detail\n',
    });
  });

  test('--json: one object per route', async () => {
    const { code, stdout, stderr } = await run(['routes', '--json'], POLLS);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual([
      { method: 'GET', pattern: '/', name: null, handler: 'HomeController.home', guards: [] },
      { method: 'GET', pattern: '/polls/', name: 'poll-index', handler: 'PollController.index', guards: [] },
      { method: 'POST', pattern: '/polls/', name: null, handler: 'PollController.create', guards: ['LoginRequired', 'PermissionRequired(polls.add_poll)'] },
      { method: 'GET', pattern: '/polls/<int:id>/', name: 'poll-detail', handler: 'PollController.detail', guards: [] },
    ]);
    expect(stdout.endsWith('}\n]\n')).toBe(true);
  });

  test('--app PATH instead of package.json', async () => {
    const { code, stdout } = await run(['routes', '--app', 'polls/app.ts'], FIXTURES);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('Method  Pattern           Name         Handler                Guards');
  });

  test('routes runs no system checks: an app with errors is still listed', async () => {
    expect(await run(['routes'], join(FIXTURES, 'misconfigured'))).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Method  Pattern              Name  Handler                   Guards\nGET     /articles/<int:id>/        ArticleController.detail\n',
    });
  });

  test('--help and a wrong option', async () => {
    expect(await run(['routes', '--help'], POLLS)).toEqual({
      code: 0,
      stderr: '',
      stdout: 'usage: reinhardt routes [--json] [--app PATH]\n\nLists every route of the app: method, pattern, name, handler and guards, in the order they are matched.\n',
    });
    expect(await run(['routes', '--jsn'], POLLS)).toEqual({
      code: 2,
      stdout: '',
      stderr: "usage: reinhardt routes [--json] [--app PATH]\nreinhardt routes: error: Unknown option '--jsn'.\n",
    });
  });
});
