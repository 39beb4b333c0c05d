import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import { env, loadDotEnv, RedisSessionStore, SessionStore, settingsFromEnv } from 'reinhardt';
import { buildApp, DEFAULT_DATA_DIR, type BuiltApp } from './app';

/**
 * The polls site served with its settings from the environment and a `.env` file in the working
 * directory (`settingsFromEnv()`): DEBUG=true for the technical error pages (`npm run dev` sets
 * REINHARDT_DEBUG=1, the older name), SECRET_KEY (default: generated into the data folder),
 * ALLOWED_HOSTS (default localhost), and any other setting by its Django name. PORT (default 8000),
 * REINHARDT_SAMPLE_DATA (the folder of db.sqlite3 and uploads, default sample-app/data),
 * DATABASE_PATH (the SQLite file, default <data>/db.sqlite3) and REDIS_URL (sessions in Redis
 * instead of SQLite) are the sample app's own.
 * @example const { server, url } = await startFromEnvironment();
 */
export async function startFromEnvironment(): Promise<BuiltApp & { server: Server; url: string; debug: boolean; dataDir: string }> {
  loadDotEnv();
  const fromEnv = settingsFromEnv({ dotenv: false });
  const debug = fromEnv.debug ?? env.bool('REINHARDT_DEBUG', false);
  const dataDir = env.str('REINHARDT_SAMPLE_DATA', '') || DEFAULT_DATA_DIR;
  const secretKey = fromEnv.secretKey || env.str('REINHARDT_SECRET_KEY', '') || undefined;
  const databasePath = env.str('DATABASE_PATH', '') || undefined;
  const redisUrl = env.str('REDIS_URL', '') || undefined;
  const built = buildApp({ dataDir, databasePath, redisUrl, debug, secretKey, settings: fromEnv });
  const server = await built.app.listen(env.int('PORT', 8000));
  server.on('close', () => {
    built.db.close();
    const store = built.container.resolve(SessionStore);
    if (store instanceof RedisSessionStore) void store.close();
  });
  return { ...built, server, url: `http://localhost:${(server.address() as AddressInfo).port}/`, debug, dataDir };
}

// `npm start` (and `npm run dev`, under nodemon): the polls site on http://localhost:8000.
if (require.main === module) {
  startFromEnvironment().then(
    ({ url, debug, dataDir }) => console.log(`Polls at ${url} (debug ${debug ? 'on' : 'off'}, data in ${dataDir}). Ctrl-C stops.`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
