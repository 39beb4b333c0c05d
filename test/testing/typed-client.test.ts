/**
 * The test Client typed and with credentials (issue 22 item 7): `client.get<T>()` gives a
 * response whose `json()` is a `T` (or the `R` of `json<R>()`), checked by compiling uses that
 * must pass and misuses that must fail; and `new Client(app, { token })` /
 * `client.credentials({...})` send an API token with every request, as DRF's `APIClient`.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { container } from 'tsyringe';
import { Client, Controller, Get, HttpRequest, createApp } from '../../src';

const ROOT = resolve(__dirname, '../..');

@Controller('/api')
class EchoApi {
  @Get('/headers/')
  headers(request: HttpRequest) {
    return { authorization: request.headers.get('Authorization') ?? null, custom: request.headers.get('X-Custom') ?? null };
  }

  @Get('/polls/')
  polls() {
    return [{ id: 1, question: 'Why?' }];
  }
}

const app = createApp({ controllers: [EchoApi], container: container.createChildContainer(), middleware: [], settings: { debug: true } });

describe('credentials sent with every request', () => {
  test('new Client(app, { token }) sends Authorization: Token <token>', async () => {
    const client = new Client(app, { token: 'abc123' });
    expect((await client.get('/api/headers/')).json()).toEqual({ authorization: 'Token abc123', custom: null });
    expect((await client.get('/api/headers/')).json()).toEqual({ authorization: 'Token abc123', custom: null });
  });

  test('credentials() replaces the token; credentials() with nothing sends none; options.headers stay', async () => {
    const client = new Client(app, { token: 'abc123', headers: { 'X-Custom': 'kept' } });
    client.credentials({ Authorization: 'Bearer xyz' });
    expect((await client.get('/api/headers/')).json()).toEqual({ authorization: 'Bearer xyz', custom: 'kept' });
    client.credentials();
    expect((await client.get('/api/headers/')).json()).toEqual({ authorization: null, custom: 'kept' });
  });

  test('a request\'s own header wins over the credentials', async () => {
    const client = new Client(app, { token: 'abc123' });
    const response = await client.get('/api/headers/', undefined, { headers: { authorization: 'Token other' } });
    expect(response.json()).toEqual({ authorization: 'Token other', custom: null });
  });
});

describe('typed responses', () => {
  test('json() gives what get<T>() was told, at run time the parsed body', async () => {
    const response = await new Client(app).get<{ id: number; question: string }[]>('/api/polls/');
    const [poll] = response.json();
    expect(poll.question).toBe('Why?');
    expect(response.json<{ id: number }[]>()[0].id).toBe(1);
  });

  /** The lines of `source` tsc reports errors on, compiled against the sources as `reinhardt`. */
  function typeErrors(dir: string, source: string): string[] {
    writeFileSync(join(dir, 'uses.ts'), source);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          module: 'commonjs',
          strict: true,
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
          paths: { reinhardt: [join(ROOT, 'src/index.ts')] },
        },
        files: [join(dir, 'uses.ts')],
      }),
    );
    try {
      execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
      return [];
    } catch (error) {
      // Only this program's lines: the sources are type-checked by the project's own tsconfig.
      const lines = String((error as { stdout?: string }).stdout).split('\n').filter((line) => line.includes('error TS'));
      return lines.flatMap((line) => /uses\.ts\((\d+),/.exec(line)?.[1] ?? []);
    }
  }

  test('typed uses compile; a wrong body type, an unknown field and a non-string token do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-typed-client-'));
    try {
      const source = [
        `import { Client, type Application } from 'reinhardt';`, // 1
        `interface Poll { id: number; question: string }`, // 2
        `export async function uses(app: Application) {`, // 3
        `  const client = new Client(app, { token: 'abc', enforceCsrfChecks: true });`, // 4
        `  const polls: Poll[] = (await client.get<Poll[]>('/api/polls/')).json();`, // 5
        `  const id: number = (await client.post<Poll>('/api/polls/', { question: 'q' }, { json: true })).json().id;`, // 6
        `  const other: { n: number } = (await client.get<Poll[]>('/x/')).json<{ n: number }>();`, // 7
        `  const loose: string = (await client.get('/x/')).json().anything;`, // 8: untyped stays any
        `  client.credentials({ Authorization: 'Bearer abc' });`, // 9
        `  return [polls, id, other, loose];`, // 10
        `}`, // 11
        `export async function misuses(app: Application) {`, // 12
        `  const client = new Client(app);`, // 13
        `  const wrong: string = (await client.get<Poll[]>('/api/polls/')).json();`, // 14
        `  const unknown = (await client.get<Poll>('/api/polls/1/')).json().answer;`, // 15
        `  const bad = new Client(app, { token: 5 });`, // 16
        `  return [wrong, unknown, bad];`, // 17
        `}`, // 18
      ].join('\n');
      expect(typeErrors(dir, source)).toEqual(['14', '15', '16']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
