// Records of apps built without a logger go to a capturing one, not to stderr (docs/logging.md).
import '../logging/root-logger';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'reinhardt';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { ATTACHMENT_MAX_SIZE } from '../../sample-app/controllers/attachments.controller';
import { UserRepository } from '../../sample-app/repositories/user-repository';

/** Upload with the 5 MB limit, download as a FileResponse that answers Range. */
describe('sample app attachments', () => {
  let dataDir: string;
  let built: BuiltApp;
  let client: Client;
  const bytes = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-attachments-'));
    built = buildApp({ dataDir, secretKey: 'attachments-test-secret' });
    client = new Client(built.app);
    await client.forceLogin(await built.container.resolve(UserRepository).create('ada', '', 'analytical engine'));
  });
  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function upload(name = 'notes.txt', content: Buffer = bytes, type = 'text/plain') {
    return client.post('/attachments/', { file: Client.file(name, content, type) });
  }

  test('anonymous visitors are sent to the login page', async () => {
    await client.logout();
    const response = await client.get('/attachments/');
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/accounts/login/?next=/attachments/');
  });

  test('an upload is saved under the data folder and listed (302 back to the list)', async () => {
    const response = await upload();
    expect(response.statusCode).toBe(302);
    expect(response.headers.get('Location')).toBe('/attachments/');
    expect(readFileSync(join(dataDir, 'uploads', '1')).equals(bytes)).toBe(true);
    const list = await client.get('/attachments/');
    expect(list.text).toContain('<li class="success">&quot;notes.txt&quot; was uploaded.</li>');
    expect(list.text).toContain('<td>notes.txt</td>');
    expect(list.text).toContain(`<td>${bytes.length} bytes</td>`);
    expect(list.text).toContain('<a href="/attachments/1/download/" class="download">Download</a>');
  });

  test('no file is 400 with a message', async () => {
    const response = await client.post('/attachments/', { note: 'no file here' });
    expect(response.statusCode).toBe(400);
    expect(response.text).toContain('Choose a file to upload.');
  });

  test('a file over 5 MB is 413 with the limit in the message, and nothing is stored', async () => {
    const response = await upload('big.bin', Buffer.alloc(ATTACHMENT_MAX_SIZE + 1), 'application/octet-stream');
    expect(response.statusCode).toBe(413);
    expect(response.text).toContain(`&quot;big.bin&quot; is ${ATTACHMENT_MAX_SIZE + 1} bytes; the limit is 5 MB (5242880 bytes).`);
    expect(built.db.sqlite.prepare('SELECT COUNT(*) FROM attachments_attachment').pluck().get()).toBe(0);
  });

  test('a request over the framework maxUploadSize is refused with 413 before the view', async () => {
    const small = buildApp({ dataDir, secretKey: 'attachments-test-secret', settings: { maxUploadSize: 1024 } });
    try {
      const other = new Client(small.app);
      await other.forceLogin(small.container.resolve(UserRepository).findById(1)!);
      const response = await other.post('/attachments/', { file: Client.file('x.bin', Buffer.alloc(2048)) });
      expect(response.statusCode).toBe(413);
      expect(response.text).toContain('<h1 id="too-large">Request too large (413)</h1>');
      // The header is the site's, with the signed-in user, as on every page.
      expect(response.text).toContain('<span id="whoami">Signed in as <strong>ada</strong></span>');
      expect(small.db.sqlite.prepare('SELECT COUNT(*) FROM attachments_attachment').pluck().get()).toBe(0);
    } finally {
      small.db.close();
    }
  });

  test('download is the whole file as an attachment with its name, type and length', async () => {
    await upload();
    const response = await client.get('/attachments/1/download/');
    expect(response.statusCode).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/plain');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="notes.txt"');
    expect(response.headers.get('Content-Length')).toBe(String(bytes.length));
    expect(response.headers.get('Accept-Ranges')).toBe('bytes');
    expect(response.body.equals(bytes)).toBe(true);
  });

  test('a Range request is 206 with Content-Range and just those bytes', async () => {
    await upload();
    const response = await client.get('/attachments/1/download/', undefined, { headers: { Range: 'bytes=10-15' } });
    expect(response.statusCode).toBe(206);
    expect(response.headers.get('Content-Range')).toBe(`bytes 10-15/${bytes.length}`);
    expect(response.headers.get('Content-Length')).toBe('6');
    expect(response.body.toString()).toBe('abcdef');
  });

  test('an unsatisfiable Range is 416 with the size', async () => {
    await upload();
    const response = await client.get('/attachments/1/download/', undefined, { headers: { Range: 'bytes=1000-' } });
    expect(response.statusCode).toBe(416);
    expect(response.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);
  });

  test("another user's attachment is a 404", async () => {
    await upload();
    await client.forceLogin(await built.container.resolve(UserRepository).create('eve', '', 'listening in'));
    const response = await client.get('/attachments/1/download/');
    expect(response.statusCode).toBe(404);
  });
});
