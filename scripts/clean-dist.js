'use strict';
/**
 * Empties dist/ before `npm run build`, so that a file deleted or moved in src/ leaves no stale
 * compiled copy behind: `npm pack` ships dist/src and dist/decorators whole (package.json `files`).
 */
const { rmSync } = require('node:fs');
const { join } = require('node:path');

rmSync(join(__dirname, '..', 'dist'), { recursive: true, force: true });
