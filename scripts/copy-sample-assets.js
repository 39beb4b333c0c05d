'use strict';
/**
 * The last step of `npm run build`: copies the sample app's templates/ and static/ beside its
 * compiled code in dist/sample-app/ (tsc emits only code), so the built app that `npm start`
 * serves finds its pages and stylesheet in the build itself, from a fresh clone as from a
 * working tree (sample-app/app.ts reads them from the folder it runs from).
 */
const { cpSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
for (const folder of ['templates', 'static']) {
  const source = join(root, 'sample-app', folder);
  if (!existsSync(source)) throw new Error(`copy-sample-assets: ${source} is missing`);
  cpSync(source, join(root, 'dist', 'sample-app', folder), { recursive: true });
}
