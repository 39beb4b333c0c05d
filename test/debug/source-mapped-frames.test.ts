/**
 * The debug page's frames for an app compiled to JavaScript: each `.js` position mapped back to
 * its `.ts` file and line through the source map beside it (`tsc --sourceMap`) or inline, with
 * the lines around it, using Node's own decoder (node:module SourceMap). The stacks are real:
 * the compiled files run in a plain `node` process, as an app built to `dist/` does.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { transformSync } from '@swc/core';
import { isLibraryFile, parseStackLines } from '../../src/debug/stack-frames';
import { SourceFiles } from '../../src/debug/source-files';
import { traceback } from '../../src/debug/traceback';
import { mappedStack } from '../../src/debug/mapped-stack';
import { container } from 'tsyringe';
import { CapturingLogger, Client, Controller, Get, createApp } from '../../src';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const SERVICE_TS = [
  'export class PollService {',
  '  load(id: number): string {',
  '    const label: string = `poll ${id}`;',
  '    throw new Error(label);',
  '  }',
  '}',
  '',
].join('\n');

const MAIN_JS = [
  "const { PollService } = require('./poll-service.js');",
  'try {',
  '  new PollService().load(7);',
  '} catch (error) {',
  '  process.stdout.write(error.stack);',
  '}',
  '',
].join('\n');

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'reinhardt-frames-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Compiles poll-service.ts to `<dir>/dist/poll-service.js` (CommonJS, as `tsc` emits it) with its
 * map beside it or inline, runs main.js with plain node, and returns the printed stack.
 */
function compileAndRun(dir: string, map: 'file' | 'inline'): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'src', 'poll-service.ts'), SERVICE_TS);
  const output = transformSync(SERVICE_TS, {
    filename: 'poll-service.ts',
    sourceMaps: true,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  // tsc's layout: `sources` relative to the map, no `sourcesContent` unless `inlineSources`.
  const payload = JSON.parse(output.map!) as { sources: string[]; sourcesContent?: string[] };
  payload.sources = ['../src/poll-service.ts'];
  if (map === 'file') {
    delete payload.sourcesContent;
    writeFileSync(join(dir, 'dist', 'poll-service.js.map'), JSON.stringify(payload));
    writeFileSync(join(dir, 'dist', 'poll-service.js'), `${output.code}\n//# sourceMappingURL=poll-service.js.map\n`);
  } else {
    const inline = Buffer.from(JSON.stringify(payload)).toString('base64');
    writeFileSync(join(dir, 'dist', 'poll-service.js'), `${output.code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${inline}\n`);
  }
  writeFileSync(join(dir, 'dist', 'main.js'), MAIN_JS);
  return execFileSync(process.execPath, [join(dir, 'dist', 'main.js')], { encoding: 'utf8' });
}

function errorWithStack(stack: string): Error {
  const error = new Error('poll 7');
  error.stack = stack;
  return error;
}

describe('frames of compiled JavaScript', () => {
  test('a .js.map beside the file (tsc --sourceMap): the .ts file, line and source lines', () => {
    const dir = join(root, 'beside');
    const stack = compileAndRun(dir, 'file');
    expect(stack).toMatch(/at PollService\.load \(.*poll-service\.js:\d+:\d+\)/);
    const [exception] = traceback(errorWithStack(stack));
    const frame = exception.frames.find((f) => f.functionName === 'PollService.load')!;
    expect(frame.file).toBe(resolve(dir, 'src', 'poll-service.ts'));
    expect(frame.line).toBe(4);
    expect(frame.library).toBe(false);
    expect(frame.context).toEqual({
      preStart: 1,
      pre: ['export class PollService {', '  load(id: number): string {', '    const label: string = `poll ${id}`;'],
      line: '    throw new Error(label);',
      post: ['  }', '}', ''],
    });
    // The caller, main.js, has no map: its own JavaScript lines.
    const caller = exception.frames.find((f) => f.file === join(dir, 'dist', 'main.js'))!;
    expect(caller.line).toBe(3);
    expect(caller.context?.line).toBe('  new PollService().load(7);');
    // Node's module loader is library code.
    expect(exception.frames.filter((f) => f.library).every((f) => f.file === null || f.file.startsWith('node:'))).toBe(true);
    expect(exception.frames.some((f) => f.library)).toBe(true);
  });

  test('an inline map with sourcesContent: the source comes from the map when the .ts is not on disk', () => {
    const dir = join(root, 'inline');
    const stack = compileAndRun(dir, 'inline');
    rmSync(join(dir, 'src'), { recursive: true });
    const [exception] = traceback(errorWithStack(stack));
    const frame = exception.frames.find((f) => f.functionName === 'PollService.load')!;
    expect(frame.file).toBe(resolve(dir, 'src', 'poll-service.ts'));
    expect(frame.line).toBe(4);
    expect(frame.context?.line).toBe('    throw new Error(label);');
  });

  test('a map that is not JSON: the frame keeps its compiled position and lines', () => {
    const dir = join(root, 'broken');
    const stack = compileAndRun(dir, 'file');
    writeFileSync(join(dir, 'dist', 'poll-service.js.map'), '{not json');
    const [exception] = traceback(errorWithStack(stack));
    const frame = exception.frames.find((f) => f.functionName === 'PollService.load')!;
    expect(frame.file).toBe(join(dir, 'dist', 'poll-service.js'));
    expect(frame.context?.line).toBe('        throw new Error(label);');
  });
});

describe('the debug JSON 500: the stack mapped as the page maps it', () => {
  test('mappedStack: a mapped frame names the .ts file, line and column; the rest is as V8 printed it', () => {
    const dir = join(root, 'json-stack');
    const stack = compileAndRun(dir, 'file');
    const mapped = mappedStack(stack).split('\n');
    const lines = stack.split('\n');
    expect(mapped).toHaveLength(lines.length);
    expect(mapped[0]).toBe('Error: poll 7');
    expect(mapped[1]).toMatch(new RegExp(`^ {4}at PollService\\.load \\(${escapeRegExp(resolve(dir, 'src', 'poll-service.ts'))}:4:\\d+\\)$`));
    // main.js has no map, and Node's loader frames are its own: both kept.
    expect(mapped.slice(2)).toEqual(lines.slice(2));
  });

  test('a client that prefers JSON, with debug, gets the mapped stack', async () => {
    const dir = join(root, 'json-app');
    const compiled = compileAndRun(dir, 'file');
    @Controller('')
    class PollController {
      @Get('/polls/7/')
      detail() {
        throw errorWithStack(compiled);
      }
    }
    const app = createApp({ controllers: [PollController], settings: { secretKey: 's', debug: true }, container: container.createChildContainer(), logger: new CapturingLogger() });
    const response = await new Client(app).get('/polls/7/', undefined, { headers: { Accept: 'application/json' } });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ detail: 'poll 7', stack: mappedStack(compiled) });
    expect(response.json().stack).toContain(`${resolve(dir, 'src', 'poll-service.ts')}:4:`);
    expect(response.json().stack).not.toContain('poll-service.js');
  });
});

describe('SourceFiles.context', () => {
  test('a minified line is cut at 400 characters, saying how much was left out', () => {
    const file = join(root, 'bundle.js');
    writeFileSync(file, `// header\n${'x'.repeat(1000)}\n`);
    expect(new SourceFiles().context({ file, line: 2, column: 1 })).toEqual({
      preStart: 1,
      pre: ['// header'],
      line: `${'x'.repeat(400)}… (600 more characters)`,
      post: [''],
    });
  });

  test('a file that cannot be read, or a line past its end: no context', () => {
    const files = new SourceFiles();
    expect(files.context({ file: join(root, 'missing.ts'), line: 1, column: 1 })).toBeNull();
    expect(files.context({ file: 'node:internal/process/task_queues', line: 95, column: 5 })).toBeNull();
    expect(files.context({ file: join(root, 'bundle.js'), line: 99, column: 1 })).toBeNull();
  });
});

describe('parseStackLines (V8 stack trace formats, v8.dev/docs/stack-trace-api)', () => {
  test('named, anonymous, async, constructor, native, eval and file: URL frames', () => {
    const stack = [
      'TypeError: bad',
      '  on two lines',
      '    at PollController.detail (/app/src/polls.ts:12:11)',
      '    at /app/src/main.ts:3:1',
      '    at async runRoute (/app/node_modules/reinhardt/dist/src/core/invoke.js:40:7)',
      '    at new Session (/app/src/session.ts:5:9)',
      '    at Array.map (<anonymous>)',
      '    at eval (eval at <anonymous> (/app/x.js:1:1), <anonymous>:1:1)',
      '    at file:///app/dist/esm%20app.mjs:7:2',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(parseStackLines(stack)).toEqual([
      { functionName: 'PollController.detail', file: '/app/src/polls.ts', line: 12, column: 11 },
      { functionName: '<anonymous>', file: '/app/src/main.ts', line: 3, column: 1 },
      { functionName: 'async runRoute', file: '/app/node_modules/reinhardt/dist/src/core/invoke.js', line: 40, column: 7 },
      { functionName: 'new Session', file: '/app/src/session.ts', line: 5, column: 9 },
      { functionName: 'Array.map', file: null, line: 0, column: 0 },
      { functionName: 'eval', file: null, line: 0, column: 0 },
      { functionName: '<anonymous>', file: '/app/dist/esm app.mjs', line: 7, column: 2 },
      { functionName: 'process.processTicksAndRejections', file: 'node:internal/process/task_queues', line: 95, column: 5 },
    ]);
  });

  test("library frames: Node's internals, node_modules, native frames and Reinhardt's own sources", () => {
    expect(isLibraryFile('node:internal/process/task_queues')).toBe(true);
    expect(isLibraryFile('/app/node_modules/reinhardt/dist/src/core/invoke.js')).toBe(true);
    expect(isLibraryFile(null)).toBe(true);
    expect(isLibraryFile(resolve(__dirname, '..', '..', 'src', 'core', 'invoke.ts'))).toBe(true);
    expect(isLibraryFile(resolve(__dirname, '..', '..', 'decorators', 'route.ts'))).toBe(true);
    expect(isLibraryFile(__filename)).toBe(false);
    expect(isLibraryFile(resolve(__dirname, '..', '..', 'sample-app', 'app.ts'))).toBe(false);
  });
});
