import 'reflect-metadata';
import { buildFromEnvironment } from './main';

/**
 * The polls site as the `reinhardt` command line loads it (`--app`): built from the environment
 * exactly as `npm start` builds it, but not listening. `npm start` runs
 * `reinhardt collectstatic --app dist/sample-app/cli-app.js` before serving, so the static files
 * are collected into the `staticRoot` the server then reads (REINHARDT_SAMPLE_DATA moves both).
 * @example
 * // node dist/src/cli/bin.js routes --app dist/sample-app/cli-app.js
 */
export const app = buildFromEnvironment().app;
