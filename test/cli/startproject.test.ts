/** `reinhardt startproject NAME [DIR]`, in-process: the files, the name checks, the folder checks. */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run-command';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)).map((f) => `${entry.name}/${f}`) : [entry.name]))
    .sort();
}

const OWN = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

describe('reinhardt startproject', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(join(tmpdir(), 'reinhardt-startproject-'));
  });

  test('creates a runnable project in ./NAME and says what to do next', async () => {
    expect(await run(['startproject', 'mysite'], cwd)).toEqual({
      code: 0,
      stderr: '',
      stdout: 'Created the project mysite in mysite. Next:\n\n  cd mysite\n  npm install && npm start   # http://localhost:8000\n  npm test\n',
    });
    const dir = join(cwd, 'mysite');
    expect(filesUnder(dir)).toEqual(
      [
        '.env',
        '.env.example',
        '.gitignore',
        'README.md',
        'jest.config.js',
        'package.json',
        'src/app.ts',
        'src/controllers/home.controller.ts',
        'src/main.ts',
        'src/settings.ts',
        'static/style.css',
        'templates/home.html',
        'test/home.test.ts',
        'tsconfig.json',
      ].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('mysite');
    expect(pkg.reinhardt).toEqual({ app: 'src/app.ts' });
    expect(pkg.scripts).toMatchObject({ start: 'npm run build && node dist/src/main.js', test: 'jest' });
    expect(pkg.dependencies).toEqual({
      reinhardt: `^${OWN.version}`,
      'reflect-metadata': OWN.peerDependencies?.['reflect-metadata'] ?? OWN.dependencies['reflect-metadata'],
      tsyringe: OWN.peerDependencies?.tsyringe ?? OWN.dependencies.tsyringe,
    });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(['@swc/core', '@swc/jest', '@types/jest', '@types/node', 'jest', 'typescript']);
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions).toMatchObject({ experimentalDecorators: true, emitDecoratorMetadata: true, strict: true });
    expect(readFileSync(join(dir, 'jest.config.js'), 'utf8')).toContain('decoratorMetadata: true');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('npm install && npm start');
    expect(readFileSync(join(dir, 'test/home.test.ts'), 'utf8')).toContain("expect(response.body.toString()).toContain('<h1>mysite</h1>');");
    // Nunjucks placeholders are left for Nunjucks; ours are all filled.
    expect(readFileSync(join(dir, 'templates/home.html'), 'utf8')).toContain('<h1>{{ project }}</h1>');
    for (const file of filesUnder(dir)) expect({ file, text: readFileSync(join(dir, file), 'utf8') }).not.toEqual({ file, text: expect.stringMatching(/\{\{ (project_name|reinhardt_dependency|version:)/) });
    // A development key, marked insecure (security.W009 flags it under check --deploy), readable only by the owner.
    expect(readFileSync(join(dir, '.env'), 'utf8')).toMatch(/^DEBUG=true\nSECRET_KEY=reinhardt-insecure-[\w-]{54}\n/);
    expect(statSync(join(dir, '.env')).mode & 0o077).toBe(0);
  });

  test('DIR: an empty existing folder, or a new one', async () => {
    mkdirSync(join(cwd, 'empty'));
    expect((await run(['startproject', 'site_a', 'empty'], cwd)).code).toBe(0);
    expect(readdirSync(join(cwd, 'empty'))).toContain('package.json');
    expect((await run(['startproject', 'site-b', 'deep/new'], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'deep/new/package.json'), 'utf8')).name).toBe('site-b');
    // A folder name the shell would split is shown quoted in the next steps.
    expect((await run(['startproject', 'site_c', "it's mine"], cwd)).stdout).toContain("\n  cd 'it'\\''s mine'\n");
  });

  test.each([
    ['../evil', "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)"],
    ['a/b', "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)"],
    ['My Site', "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)"],
    ['x"}', "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)"],
    ['.hidden', "it may only hold lowercase letters, digits, '-' and '_', start with a letter, and be at most 214 characters (it becomes the npm package name)"],
    ['fs', "'fs' is taken (by Node.js, npm or Reinhardt itself)"],
    ['reinhardt', "'reinhardt' is taken (by Node.js, npm or Reinhardt itself)"],
  ])('refuses the name %j, creating nothing', async (name, reason) => {
    expect(await run(['startproject', name], cwd)).toEqual({ code: 1, stdout: '', stderr: `CommandError: '${name}' is not a valid project name: ${reason}.\n` });
    expect(readdirSync(cwd)).toEqual([]);
  });

  test('refuses a folder that is not empty, or a file, and leaves it as it was', async () => {
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'keep.txt'), 'mine');
    writeFileSync(join(cwd, 'file'), 'x');
    expect(await run(['startproject', 'mysite', 'taken'], cwd)).toEqual({ code: 1, stdout: '', stderr: `CommandError: ${join(cwd, 'taken')} already exists and is not empty.\n` });
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['keep.txt']);
    expect(await run(['startproject', 'mysite', 'file'], cwd)).toEqual({ code: 1, stdout: '', stderr: `CommandError: ${join(cwd, 'file')} exists and is not a folder.\n` });
  });

  test('NAME is required; at most NAME and DIR', async () => {
    expect(await run(['startproject'], cwd)).toEqual({ code: 2, stdout: '', stderr: 'usage: reinhardt startproject NAME [DIR]\nreinhardt startproject: error: the following arguments are required\n' });
    expect((await run(['startproject', 'a', 'b', 'c'], cwd)).stderr).toBe('usage: reinhardt startproject NAME [DIR]\nreinhardt startproject: error: unrecognized arguments: c\n');
  });
});
