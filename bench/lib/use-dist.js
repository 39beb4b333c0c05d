'use strict';
/**
 * Preloaded (`NODE_OPTIONS=--require`) into a server that `cpu-per-request.js <server>@<dist>`
 * starts: `require('reinhardt')` then loads the build in `$REINHARDT_DIST` (a `dist` folder with
 * a `node_modules` beside it) instead of the repository's, so that two commits' builds are
 * measured on the same server code, alternating.
 */
const Module = require('node:module');
const path = require('node:path');

const entry = path.join(path.resolve(process.env.REINHARDT_DIST), 'src', 'index.js');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'reinhardt' ? entry : resolveFilename.call(this, request, ...rest);
};
