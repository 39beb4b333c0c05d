/**
 * docs/examples/typed-routes/route-names.ts augments `RouteNames` through
 * `declare module 'reinhardt'`. An augmentation is global to a TypeScript program, so the file is
 * kept out of the project's tsconfig (it would restrict every reverse() in the tests and the
 * sample app) and type-checked here in a program of its own, next to a file of misuses that must
 * fail; then it is run against an app that has those routes.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { container } from 'tsyringe';
import { Controller, Get, HttpRequest, createApp } from 'reinhardt';

const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'docs/examples/typed-routes/route-names.ts');

function typeErrors(files: string[], dir: string): string[] {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        paths: { reinhardt: [join(ROOT, 'src/index.ts')] },
      },
      files,
    }),
  );
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
    return [];
  } catch (error) {
    return String((error as { stdout?: string }).stdout).split('\n').filter((line) => line.includes('error TS'));
  }
}

describe('typed route names (docs/routing.md)', () => {
  test('the example compiles, and misspelt names or wrong parameter types do not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reinhardt-typed-routes-'));
    try {
      expect(typeErrors([EXAMPLE], dir)).toEqual([]);
      const misuse = join(dir, 'misuse.ts');
      writeFileSync(
        misuse,
        [
          `import { reverse } from 'reinhardt';`,
          `export const a: string = reverse('poll-detial', { id: 7 });`,
          `export const b: string = reverse('poll-detail', { id: 'x' });`,
          `export const c: string = reverse('poll-detail', { id: 7 });`,
        ].join('\n'),
      );
      const errors = typeErrors([EXAMPLE, misuse], dir);
      expect(errors.map((line) => /misuse\.ts\((\d+),/.exec(line)?.[1] ?? line)).toEqual(['2', '3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('at run time it builds the URLs the comments state', () => {
    @Controller('/polls')
    class PollController {
      @Get('/', { name: 'poll-index' })
      index() {
        return [];
      }
      @Get('/<int:id>/', { name: 'poll-detail' })
      detail(_request: HttpRequest, id: number) {
        return { id };
      }
    }
    createApp({ controllers: [PollController], container: container.createChildContainer(), settings: { debug: true } });
    // A computed path, so the project's type-check does not pull the augmentation in.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const example = require(EXAMPLE) as { detailUrl: string; indexUrl: string };
    expect(example).toEqual({ detailUrl: '/polls/7/', indexUrl: '/polls/?page=2' });
  });
});
