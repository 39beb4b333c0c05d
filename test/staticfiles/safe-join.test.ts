/**
 * safeJoin (Django's django/utils/_os.py safe_join and its tests, tests/utils_tests/test_os_utils.py)
 * and FileResponse over it: a missing file is a 404 (issue 21).
 */
import 'reflect-metadata';
import { CapturingLogger } from '../../src/testing/capturing-logger';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { container } from 'tsyringe';
import { Client, Controller, FileResponse, Get, HttpRequest, SuspiciousFileOperation, createApp, safeJoin } from '../../src';

describe('safeJoin', () => {
  test('joins inside the root, resolving . and .. that stay inside', () => {
    expect(safeJoin('/srv/files', 'a', 'b.txt')).toBe('/srv/files/a/b.txt');
    expect(safeJoin('/srv/files', 'a/../b.txt')).toBe('/srv/files/b.txt');
    expect(safeJoin('/srv/files/', './a')).toBe('/srv/files/a');
    expect(safeJoin('/srv/files', '')).toBe('/srv/files');
    expect(safeJoin('relative', 'x')).toBe(resolve('relative', 'x'));
  });

  test.each([
    ['../etc/passwd'],
    ['a/../../etc/passwd'],
    ['/etc/passwd'],
    ['../files2/x'],
    ['..'],
  ])('%s: SuspiciousFileOperation naming the paths', (path) => {
    expect(() => safeJoin('/srv/files', path)).toThrow(SuspiciousFileOperation);
    expect(() => safeJoin('/srv/files', path)).toThrow(/^The joined path \(.+\) is located outside of the base path component \(\/srv\/files\)\.$/);
  });

  test('a sibling that shares the prefix is outside (/srv/files2 is not in /srv/files)', () => {
    expect(() => safeJoin('/srv/files', '../files2')).toThrow(SuspiciousFileOperation);
  });

  test('a NUL byte is refused', () => {
    expect(() => safeJoin('/srv/files', 'a\0.txt')).toThrow(new SuspiciousFileOperation('The joined path contains a NUL byte.'));
  });

  test('the file system root as base admits anything under it (Django)', () => {
    expect(safeJoin('/', 'etc', 'hosts')).toBe('/etc/hosts');
  });
});

describe('a download route over safeJoin and FileResponse', () => {
  let dir: string;
  let client: Client;
  const logger = new CapturingLogger();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'reinhardt-safe-join-'));
    writeFileSync(join(dir, 'report.txt'), 'quarterly');
    mkdirSync(join(dir, 'docs'));
    @Controller('/downloads')
    class DownloadController {
      @Get('/<path:name>')
      download(_request: HttpRequest, name: string) {
        return new FileResponse(safeJoin(dir, name));
      }
    }
    client = new Client(
      createApp({
        controllers: [DownloadController],
        middleware: [],
        settings: { secretKey: 'x' },
        container: container.createChildContainer(),
        logger,
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('an existing file: 200', async () => {
    const response = await client.get('/downloads/report.txt');
    expect([response.statusCode, response.body.toString()]).toEqual([200, 'quarterly']);
  });

  test('a missing file: 404 (was a 500), the message naming only the base name', async () => {
    const response = await client.get('/downloads/missing.txt', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: '"missing.txt" does not exist.' });
  });

  test('a folder, or a path below a file: 404', async () => {
    expect((await client.get('/downloads/docs')).statusCode).toBe(404);
    expect((await client.get('/downloads/report.txt/x')).statusCode).toBe(404);
  });

  test('a path out of the root (..%2F decoded into the path): 400, the paths not shown without debug', async () => {
    const response = await client.get('/downloads/..%2F..%2Fetc%2Fpasswd', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ detail: 'Bad Request' });
    // Logged as the security event it is (Django's django.security.SuspiciousFileOperation logger).
    expect(logger.records.map((record) => `${record.level} ${record.name}: ${record.msg}`)).toEqual([`error reinhardt.security.SuspiciousFileOperation: The joined path (/etc/passwd) is located outside of the base path component (${dir}).`]);
  });
});
