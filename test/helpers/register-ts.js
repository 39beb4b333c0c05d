/**
 * Lets a plain `node` child process require the TypeScript sources, compiled the way jest does
 * (SWC, legacy decorators with metadata, CommonJS): `node -r ./test/helpers/register-ts.js app.js`.
 * Used by tests that need real separate processes (cluster workers, two app servers).
 */
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
