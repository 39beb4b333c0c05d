/** Jest runs the TypeScript sources through SWC with legacy decorators and decorator metadata,
 *  the same semantics as tsc's experimentalDecorators/emitDecoratorMetadata. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^reinhardt$': '<rootDir>/src/index.ts' },
  testTimeout: 30000,
};
