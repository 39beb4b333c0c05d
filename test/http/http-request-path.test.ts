/**
 * A path that is not UTF-8 (issue 25 item 5): `/caf%E9/` stays percent-encoded in `path` as in
 * Django (tests/requests_tests test_wsgirequest_path_info, ticket #26971), and routing matches
 * that text: a `<str:...>` segment receives `caf%E9`, a route written `/café/` does not match it.
 */
import 'reflect-metadata';
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { httpGet } from '../helpers/http-get';
import type { AddressInfo } from 'node:net';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, createApp } from '../../src';

@Controller()
class PathController {
  @Get('/café/')
  cafe() {
    return { route: 'café' };
  }

  @Get('/<str:name>/')
  named(request: HttpRequest, name: string) {
    return { route: 'named', name, path: request.path, fullPath: request.getFullPath() };
  }
}

test('over a socket: a Latin-1 path reaches <str:name> percent-encoded; the UTF-8 one reaches /café/; a malformed escape is a 400', async () => {
  const app = createApp({ controllers: [PathController], middleware: [], container: container.createChildContainer(), settings: { secretKey: 's', allowedHosts: ['localhost'] } });
  const server = await app.listen(0, '127.0.0.1');
  try {
    const { port } = server.address() as AddressInfo;
    const latin1 = await httpGet(port, '/caf%E9/?q=1');
    expect(latin1.status).toBe(200);
    expect(JSON.parse(latin1.body)).toEqual({ route: 'named', name: 'caf%E9', path: '/caf%E9/', fullPath: '/caf%25E9/?q=1' });
    expect(JSON.parse((await httpGet(port, '/caf%C3%A9/')).body)).toEqual({ route: 'café' });
    expect((await httpGet(port, '/%ZZ/')).status).toBe(400);
  } finally {
    await app.close();
  }
});
