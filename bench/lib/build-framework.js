'use strict';
/**
 * Builds Reinhardt (the parent package) before the servers are compiled:
 * bench/ depends on it as `file:..`, which resolves to ../dist/src/index.js.
 * On a fresh clone the parent's own dependencies (TypeScript among them)
 * are not installed yet, so they are installed first with `npm ci`.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args) {
  const result = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!fs.existsSync(path.join(root, 'node_modules', 'typescript'))) {
  console.error('Installing Reinhardt\'s own dependencies (npm ci in the repository root)...');
  run(['ci']);
}
run(['run', 'build']);
