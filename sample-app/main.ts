import 'reflect-metadata';
import { buildApp, DEFAULT_DATA_DIR } from './app';

/**
 * `npm start` (and `npm run dev`, under nodemon): the polls site on http://localhost:8000.
 * Environment: PORT (default 8000), REINHARDT_DEBUG=1 for the technical error pages
 * (`npm run dev` sets it), REINHARDT_SECRET_KEY (default: generated into the data folder),
 * REINHARDT_SAMPLE_DATA (default sample-app/data).
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8000);
  const debug = process.env.REINHARDT_DEBUG === '1';
  const dataDir = process.env.REINHARDT_SAMPLE_DATA || DEFAULT_DATA_DIR;
  const { app, db } = buildApp({ dataDir, debug, secretKey: process.env.REINHARDT_SECRET_KEY || undefined });
  const server = await app.listen(port);
  server.on('close', () => db.close());
  console.log(`Polls at http://localhost:${port}/ (debug ${debug ? 'on' : 'off'}, data in ${dataDir}). Ctrl-C stops.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
