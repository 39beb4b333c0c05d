/**
 * Lets the command line load a project's TypeScript (`"reinhardt": { "app": "src/app.ts" }`) without
 * a build: each `.ts` file is compiled on `require` with SWC (@swc/core, the project's own copy),
 * keeping legacy decorators and decorator metadata — what tsyringe injects by and what tsx and
 * esbuild cannot emit. Only commands that load a `.ts` app register it; the framework never does.
 */
import { readFileSync } from 'node:fs';
import { CommandError } from './command';

interface Swc {
  transformSync(code: string, options: Record<string, unknown>): { code: string };
}

type Extensions = Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;

/** The options of this repository's jest.config.js and of the generated project's. */
const SWC_OPTIONS = {
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
};

function loadSwc(projectRoot: string): Swc {
  for (const paths of [[projectRoot], undefined]) {
    try {
      return require(require.resolve('@swc/core', paths === undefined ? undefined : { paths })) as Swc;
    } catch {
      // Not there: try the next place.
    }
  }
  throw new CommandError(
    'Loading a TypeScript app needs @swc/core (npm install --save-dev @swc/core), or point --app at the compiled module (e.g. dist/src/app.js).',
  );
}

/**
 * Compiles `.ts` files on `require` from now on, unless something (jest, ts-node, a -r hook)
 * already does.
 * @example registerTypeScriptHook(projectRoot); const { app } = require('/srv/mysite/src/app.ts');
 */
export function registerTypeScriptHook(projectRoot: string): void {
  const extensions = (require as unknown as { extensions?: Extensions }).extensions;
  if (extensions === undefined || extensions['.ts'] !== undefined) return;
  const swc = loadSwc(projectRoot);
  process.setSourceMapsEnabled(true);
  extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(readFileSync(filename, 'utf8'), { ...SWC_OPTIONS, filename });
    module._compile(code, filename);
  };
}
