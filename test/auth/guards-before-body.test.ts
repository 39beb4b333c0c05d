/**
 * Issue 19 item 11: route guards answer before the body is read. An anonymous client's upload to
 * a @LoginRequired or @PermissionRequired route is neither parsed nor spilled to disk before it
 * is redirected or refused (Django's `login_required` runs before the view touches
 * `request.POST`; our body is read eagerly, so the guards must come first). CSRF still reads a
 * form body when it needs the `csrfmiddlewaretoken` field.
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { container } from 'tsyringe';
import { Client, Controller, createApp, CsrfExempt, HttpRequest, LoginRequired, PermissionRequired, Post } from '../../src';

const BOUNDARY = 'guard-boundary-7d1e';
let handled = 0;

@Controller('/vault')
class VaultController {
  @Post('/upload/')
  @CsrfExempt()
  @LoginRequired()
  upload(request: HttpRequest) {
    handled++;
    return { files: request.FILES.size };
  }

  @Post('/notes/')
  @PermissionRequired('vault.add_note')
  note(request: HttpRequest) {
    handled++;
    return { note: request.data };
  }
}

function build(settings: Record<string, unknown> = {}) {
  return createApp({
    controllers: [VaultController],
    container: container.createChildContainer(),
    settings: { secretKey: 'guards-before-body', allowedHosts: ['*'], ...settings },
    logger: new CapturingLogger(),
  });
}

beforeEach(() => {
  handled = 0;
});

describe('guards answer before the body is read', () => {
  test('@LoginRequired: an anonymous multipart upload that would not parse gets the login redirect, not a 400', async () => {
    const client = new Client(build());
    // A multipart body with no closing boundary: parsing it is a MultiPartParserError (400).
    const body = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nnever closed`;
    const response = await client.post('/vault/upload/', body, { contentType: `multipart/form-data; boundary=${BOUNDARY}` });
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/accounts/login/?next=/vault/upload/');
    expect(handled).toBe(0);
  });

  test('@PermissionRequired: an anonymous JSON body over dataUploadMaxMemorySize gets 403, not 413; CSRF satisfied by X-CSRFToken', async () => {
    const client = new Client(build({ dataUploadMaxMemorySize: 16 }), { enforceCsrfChecks: true });
    const secret = 'a'.repeat(32);
    client.cookies.set('csrftoken', secret);
    const response = await client.post('/vault/notes/', { text: 'x'.repeat(100) }, { json: true, headers: { 'X-CSRFToken': secret } });
    expect(response.statusCode).toBe(403);
    expect(handled).toBe(0);
  });

  test('over a socket: a multipart upload that never ends is answered with the login redirect, and the connection closed', async () => {
    const server: Server = await build().listen(0, '127.0.0.1', { handleSignals: false });
    try {
      const { port } = server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      socket.write(
        'POST /vault/upload/ HTTP/1.1\r\nHost: localhost\r\n' +
          `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: 104857600\r\n\r\n` +
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n` +
          'x'.repeat(4096),
      );
      let head = '';
      for await (const chunk of socket) {
        head += String(chunk);
        if (head.includes('\r\n\r\n')) break;
      }
      socket.destroy();
      expect(head.split('\r\n')[0]).toBe('HTTP/1.1 302 Found');
      expect(head).toContain('\r\nLocation: /accounts/login/?next=/vault/upload/\r\n');
      expect(head).toContain('\r\nConnection: close\r\n');
      expect(handled).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 5000);
});
