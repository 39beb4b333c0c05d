/**
 * How every command finds the app: package.json's "reinhardt.app", or --app; the path checked as an
 * attacker would use it (it must stay inside the project, after symbolic links), and one clear line
 * for each mistake.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, run } from './run-command';

function project(pkg: unknown, files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'reinhardt-load-app-'));
  writeFileSync(join(root, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const CONVENTION = 'give --app PATH, or name the module that exports the app in package.json: "reinhardt": { "app": "src/app.ts" }';

describe('finding the app', () => {
  test('no "reinhardt.app" in package.json and no --app', async () => {
    expect(await run(['routes'], project({ name: 'x' }))).toEqual({ code: 1, stdout: '', stderr: `CommandError: No app to load: ${CONVENTION}.\n` });
    expect(await run(['check'], project({ reinhardt: { app: 42 } }))).toEqual({ code: 1, stdout: '', stderr: `CommandError: No app to load: ${CONVENTION}.\n` });
  });

  test('package.json that is not JSON', async () => {
    const root = project('{ nope');
    const { code, stderr } = await run(['routes'], root);
    expect({ code, stderr: stderr.split(':')[0] }).toEqual({ code: 1, stderr: 'CommandError' });
    expect(stderr).toContain(`${join(root, 'package.json')} is not valid JSON`);
  });

  test('a module that does not exist', async () => {
    expect(await run(['routes'], project({ reinhardt: { app: 'dist/app.js' } }))).toEqual({
      code: 1,
      stdout: '',
      stderr: 'CommandError: The app module dist/app.js (from package.json "reinhardt.app") does not exist.\n',
    });
  });

  test('a module that exports no Application', async () => {
    const root = project({ reinhardt: { app: 'app.js' } }, { 'app.js': 'module.exports = { app: { router: {} } };\n' });
    expect(await run(['routes'], root)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'CommandError: app.js exports no Application: export it as `app` (export const app = createApp(...)) or as the default export.\n',
    });
  });

  test('a path out of the project, from package.json or --app, is refused before anything is loaded', async () => {
    const outside = project({}, { 'evil.js': "throw new Error('outside code ran');\n" });
    const root = project({ reinhardt: { app: `../${outside.split('/').pop()}/evil.js` } });
    expect(await run(['routes'], root)).toEqual({
      code: 1,
      stdout: '',
      stderr: `CommandError: The app module ../${outside.split('/').pop()}/evil.js (from package.json "reinhardt.app") is outside the project folder ${root}.\n`,
    });
    expect(await run(['routes', '--app', join(outside, 'evil.js')], root)).toEqual({
      code: 1,
      stdout: '',
      stderr: `CommandError: The app module ${join(outside, 'evil.js')} (from --app) is outside the project folder ${root}.\n`,
    });
    expect((await run(['routes', '--app', '.'], root)).stderr).toBe(`CommandError: The app module . (from --app) is outside the project folder ${root}.\n`);
  });

  test('a symbolic link inside the project that leads out is refused', async () => {
    const outside = project({}, { 'evil.js': "throw new Error('outside code ran');\n" });
    const root = project({ reinhardt: { app: 'link/evil.js' } });
    symlinkSync(outside, join(root, 'link'));
    expect(await run(['routes'], root)).toEqual({
      code: 1,
      stdout: '',
      stderr: `CommandError: The app module link/evil.js (from package.json "reinhardt.app") leads outside the project folder ${root}.\n`,
    });
  });

  test('an empty path or one with a NUL byte', async () => {
    expect((await run(['routes'], project({ reinhardt: { app: ' ' } }))).stderr).toBe(
      'CommandError: The app module path from package.json "reinhardt.app" is empty or not a path.\n',
    );
    expect((await run(['routes', '--app', 'a\0b'], FIXTURES)).stderr).toBe('CommandError: The app module path from --app is empty or not a path.\n');
  });

  test('an error thrown while the module loads: a known one as one line, a bug with its stack', async () => {
    const known = project({ reinhardt: { app: 'app.js' } }, { 'app.js': `const { ImproperlyConfigured } = require(${JSON.stringify(join(__dirname, '../../src/http/errors'))});\nthrow new ImproperlyConfigured('Set the SECRET_KEY environment variable.');\n` });
    expect(await run(['routes'], known)).toEqual({ code: 1, stdout: '', stderr: 'ImproperlyConfigured: Set the SECRET_KEY environment variable.\n' });
    const bug = project({ reinhardt: { app: 'app.js' } }, { 'app.js': "throw new TypeError('boom');\n" });
    const { code, stderr } = await run(['routes'], bug);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^TypeError: boom\n\s+at /);
  });
});
