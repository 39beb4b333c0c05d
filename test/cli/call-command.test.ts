/** The `reinhardt` entry point: help, unknown commands, and the one lazy index of commands. */
import { COMMANDS } from '../../src/cli/command-index';
import { FIXTURES, run } from './run-command';

describe('callCommand', () => {
  test('no command, or help: the list of subcommands', async () => {
    const help =
      "Usage: reinhardt <subcommand> [options]\n\nType 'reinhardt help <subcommand>' for help on a specific subcommand.\n\nAvailable subcommands:\n\n" +
      "    check          Runs Django's system checks on the app; --deploy adds the deployment checklist.\n" +
      '    collectstatic  Copies staticDirs into staticRoot with hashed names, a manifest and .br/.gz copies.\n' +
      "    openapi        Prints the app's OpenAPI 3.1 document as JSON (--format yaml for YAML).\n" +
      '    routes         Lists every route: method, pattern, name, handler and guards (--json for JSON).\n' +
      '    runserver      Serves the app for development, recompiling and reloading on every change.\n' +
      '    startproject   Creates a new project: NAME [DIR].\n';
    expect(await run([], FIXTURES)).toEqual({ code: 0, stderr: '', stdout: help });
    expect(await run(['help'], FIXTURES)).toEqual({ code: 0, stderr: '', stdout: help });
  });

  test('help <subcommand> is the command\'s --help', async () => {
    expect(await run(['help', 'check'], FIXTURES)).toEqual(await run(['check', '--help'], FIXTURES));
    expect((await run(['help', 'check'], FIXTURES)).stdout).toBe(
      "usage: reinhardt check [--deploy] [--app PATH]\n\nRuns Django's system checks on the app. --deploy adds the deployment checklist (security.W004 ... W022).\n",
    );
  });

  test("an unknown command (even one named like Object's own properties): Django's two lines, exit 1", async () => {
    for (const name of ['nope', 'constructor', '__proto__']) {
      expect(await run([name], FIXTURES)).toEqual({ code: 1, stdout: '', stderr: `Unknown command: '${name}'\nType 'reinhardt help' for usage.\n` });
    }
  });

  test('only the command asked for is imported (a lazy index, as AdonisJS ace)', async () => {
    const imported: string[] = [];
    for (const name of Object.keys(COMMANDS)) {
      jest.doMock(`../../src/cli/commands/${name}`, () => {
        imported.push(name);
        return jest.requireActual(`../../src/cli/commands/${name}`);
      });
    }
    let isolated: typeof import('../../src/cli/call-command').callCommand | undefined;
    jest.isolateModules(() => {
      isolated = require('../../src/cli/call-command').callCommand;
    });
    const out: string[] = [];
    const code = await isolated!(['routes', '--json'], { cwd: `${FIXTURES}/polls`, stdout: { write: (text: string) => out.push(text) } });
    expect({ code, imported }).toEqual({ code: 0, imported: ['routes'] });
  });
});
