/** `reinhardt openapi [--format json|yaml]`: the app's document on stdout, info from package.json. */
import { join } from 'node:path';
import { parse } from 'yaml';
import { run } from '../cli/run-command';
import { app } from './fixtures/api/app';

const API = join(__dirname, 'fixtures', 'api');
const INFO = { title: 'polls-api', version: '2.1.0', description: "The polls API, for the openapi command's tests." };

describe('reinhardt openapi', () => {
  test("JSON by default: the app's document, two-space indented, info from package.json", async () => {
    const { code, stdout, stderr } = await run(['openapi'], API);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`${JSON.stringify(app.openapi(INFO), null, 2)}\n`);
  });

  test('--format yaml: the same document as YAML', async () => {
    const { code, stdout, stderr } = await run(['openapi', '--format', 'yaml'], API);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.startsWith("openapi: 3.1.0\ninfo:\n  title: polls-api\n  version: 2.1.0\n")).toBe(true);
    expect(parse(stdout)).toEqual(JSON.parse(JSON.stringify(app.openapi(INFO))));
  });

  test('--app PATH instead of package.json (info still from the nearest package.json)', async () => {
    const { code, stdout } = await run(['openapi', '--app', 'app.ts'], API);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).info).toEqual(INFO);
  });

  test('an unknown format: CommandError, exit 1, nothing on stdout', async () => {
    expect(await run(['openapi', '--format', 'xml'], API)).toEqual({
      code: 1,
      stdout: '',
      stderr: "CommandError: Unknown format 'xml': use --format json or --format yaml.\n",
    });
  });

  test('--help', async () => {
    expect(await run(['openapi', '--help'], API)).toEqual({
      code: 0,
      stderr: '',
      stdout: "usage: reinhardt openapi [--format json|yaml] [--app PATH]\n\nPrints the app's OpenAPI 3.1 document (JSON, or YAML with --format yaml); title and version from package.json.\n",
    });
  });
});
