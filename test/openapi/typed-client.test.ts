/**
 * A typed client from the sample app's OpenAPI document (issue 24, "Done when"): openapi-typescript
 * turns the document into TypeScript types, a small openapi-fetch client typed by them
 * (fixtures/typed-client/polls-client.ts) compiles with the project's TypeScript 7 and calls the
 * running app; renaming a field of the create-poll DTO changes the generated type, and the same
 * client then fails to compile where it still sends the old name.
 */
// 4xx/5xx answers are logged (reinhardt.request): captured, not written to the test output.
import '../logging/root-logger';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type OpenApiDocument } from '../../src';
import { buildApp, type BuiltApp } from '../../sample-app/app';
import { UserRepository } from '../../sample-app/repositories/user-repository';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures', 'typed-client');
const CLIENT_SOURCE = readFileSync(join(FIXTURES, 'polls-client.ts'), 'utf8');
/** The project's compiler: node_modules/.bin/tsc of the `typescript` devDependency (7). */
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const INFO = { title: 'Polls', version: '1.0.0' };
/** Each test starts two child processes (openapi-typescript, tsc); a loaded machine may take more than jest's 30 s. */
const CHILD_PROCESS_TIMEOUT = 90_000;

/** What the test calls of polls-client.ts, required (not imported) so the project's compilation never sees it. */
interface PollsClient {
  createPoll(baseUrl: string, headers: Record<string, string>, questionText: string, choices: string[]): Promise<{
    status: number;
    location: string | null;
    fieldErrors: Record<string, string[]>;
    detail: string | null;
  }>;
  pollStatus(baseUrl: string, id: number): Promise<number>;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, output: `${stdout}${stderr}`.trim() });
    });
  });
}

/**
 * A folder holding the client, a strict tsconfig for it and the project's node_modules (for
 * openapi-fetch and @types/node), into which `generateTypes` writes `api.d.ts`.
 */
function clientFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'reinhardt-typed-client-'));
  copyFileSync(join(FIXTURES, 'polls-client.ts'), join(dir, 'polls-client.ts'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const compilerOptions = {
    target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['ES2022'], types: ['node'],
    strict: true, noEmit: true, skipLibCheck: true,
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['polls-client.ts'] }));
  return dir;
}

/** `api.d.ts` from the document, by openapi-typescript's Node API in a child process (see generate-types.mjs). */
async function generateTypes(document: OpenApiDocument, dir: string): Promise<string> {
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
  const generated = await run(process.execPath, [join(FIXTURES, 'generate-types.mjs'), 'openapi.json', 'api.d.ts'], dir);
  expect(generated).toEqual({ code: 0, output: '' });
  return readFileSync(join(dir, 'api.d.ts'), 'utf8');
}

function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  return run(TSC, ['-p', '.', '--pretty', 'false'], dir);
}

/** The generated `CreatePollDto` type, e.g. `{ questionText: string; choices: string[]; }`. */
function createPollType(types: string): string {
  const block = /^ {8}CreatePollDto: \{\n([\s\S]*?)\n {8}\};$/m.exec(types);
  if (block === null) throw new Error('api.d.ts has no CreatePollDto schema');
  return block[1].split('\n').map((line) => line.trim()).filter((line) => !line.startsWith('/**') && !line.startsWith('*')).join(' ');
}

/**
 * The sample app's document, built with `sample-app/dtos/create-poll.dto.ts` replaced by
 * fixtures/typed-client/create-poll.dto.ts (`questionText` renamed to `question`), in a module
 * registry of its own, as if the file had been edited and the app restarted.
 */
function documentWithRenamedField(dataDir: string): OpenApiDocument {
  let document: OpenApiDocument | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../sample-app/dtos/create-poll.dto', () => jest.requireActual('./fixtures/typed-client/create-poll.dto'));
    const edited = (require('../../sample-app/app') as typeof import('../../sample-app/app')).buildApp({ dataDir, secretKey: 'typed-client-secret' });
    try {
      document = edited.app.openapi(INFO);
    } finally {
      edited.db.close();
      jest.dontMock('../../sample-app/dtos/create-poll.dto');
    }
  });
  return document!;
}

describe("a typed client generated from the sample app's document (child processes)", () => {
  let dataDir: string;
  let built: BuiltApp;
  let folder: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'reinhardt-typed-client-data-'));
    built = buildApp({ dataDir, secretKey: 'typed-client-secret' });
    folder = clientFolder();
  });

  afterEach(() => {
    built.db.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  test('compiles with TypeScript 7 against the generated types and calls the running API with them', async () => {
    const types = await generateTypes(built.app.openapi(INFO), folder);
    expect(createPollType(types)).toBe('questionText: string; choices: string[];');
    expect(await typeCheck(folder)).toEqual({ code: 0, output: '' });

    // A session user with the CSRF cookie, as a front end on the site's origin has.
    const browser = new Client(built.app);
    await browser.forceLogin(await built.container.resolve(UserRepository).create('ada', 'ada@example.com', 'correct horse battery'));
    await browser.get('/accounts/login/');
    const csrfToken = browser.cookies.get('csrftoken')!;
    const headers = {
      Accept: 'application/json',
      Cookie: `sessionid=${browser.cookies.get('sessionid')}; csrftoken=${csrfToken}`,
      'X-CSRFToken': csrfToken,
    };

    const server: Server = await built.app.listen(0, '127.0.0.1', { handleSignals: false });
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const client = jest.requireActual<PollsClient>('./fixtures/typed-client/polls-client');

      const created = await client.createPoll(baseUrl, headers, 'Typed or untyped?', ['Typed', 'Untyped']);
      expect(created).toEqual({ status: 201, location: `${baseUrl}/api/polls/4/`, fieldErrors: {}, detail: null });
      expect(await client.pollStatus(baseUrl, 4)).toBe(200);

      // The 400 body read through its generated ValidationErrors type.
      const refused = await client.createPoll(baseUrl, headers, 'One choice?', ['Only this']);
      expect(refused).toEqual({
        status: 400,
        location: null,
        fieldErrors: { choices: ['choices must contain at least 2 elements'] },
        detail: null,
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, CHILD_PROCESS_TIMEOUT);

  test("renaming CreatePollDto's questionText to question changes the generated type: the client no longer compiles where it sends questionText", async () => {
    const types = await generateTypes(documentWithRenamedField(dataDir), folder);
    expect(createPollType(types)).toBe('question: string; choices: string[];');

    const lines = CLIENT_SOURCE.split('\n');
    const line = lines.findIndex((text) => text.includes('body: { questionText, choices }')) + 1;
    const column = lines[line - 1].indexOf('questionText') + 1;
    expect(await typeCheck(folder)).toEqual({
      code: 1,
      output:
        `polls-client.ts(${line},${column}): error TS2561: Object literal may only specify known properties, ` +
        "but 'questionText' does not exist in type '{ question: string; choices: string[]; } & {}'. Did you mean to write 'question'?",
    });
  }, CHILD_PROCESS_TIMEOUT);
});
