import 'reflect-metadata';
import type { AddressInfo, Server } from 'node:net';
import { cachesFor, env, loadDotEnv, RedisSessionStore, SessionStore, settingsFromEnv, type Settings } from 'reinhardt';
import { buildApp, DEFAULT_DATA_DIR, type BuiltApp } from './app';

/** The app `npm start` serves, as built from the environment. */
export interface EnvironmentApp extends BuiltApp {
  debug: boolean;
  dataDir: string;
}

/**
 * The polls site with its settings from the environment and a `.env` file in the working
 * directory (`settingsFromEnv()`), not listening yet: DEBUG=true for the technical error pages
 * (`npm run dev` sets REINHARDT_DEBUG=1, the older name), SECRET_KEY (default: generated into the
 * data folder), ALLOWED_HOSTS (default localhost), CORS_ALLOWED_ORIGINS (the origins whose pages
 * may call /api/ with cookies, comma-separated; default http://localhost:5173), and any other
 * setting by its Django name. REINHARDT_SAMPLE_DATA (the folder of db.sqlite3, uploads and the
 * collected static files, default sample-app/data), DATABASE_PATH (the SQLite file, default
 * <data>/db.sqlite3) and REDIS_URL (sessions and rate-limit counts in Redis instead of SQLite and
 * memory) are the sample app's own. `reinhardt collectstatic` loads the app this way too
 * (cli-app.ts), so it collects into the folder the server then serves. `defaults`: settings the
 * environment may override (`npm start` turns the access log on; ACCESS_LOG=false turns it off).
 * @example const { app, dataDir } = buildFromEnvironment();
 */
export function buildFromEnvironment(defaults: Partial<Settings> = {}): EnvironmentApp {
  loadDotEnv();
  const fromEnv = { ...defaults, ...settingsFromEnv({ dotenv: false }) };
  const debug = fromEnv.debug ?? env.bool('REINHARDT_DEBUG', false);
  const dataDir = env.str('REINHARDT_SAMPLE_DATA', '') || DEFAULT_DATA_DIR;
  const secretKey = fromEnv.secretKey || env.str('REINHARDT_SECRET_KEY', '') || undefined;
  const databasePath = env.str('DATABASE_PATH', '') || undefined;
  const redisUrl = env.str('REDIS_URL', '') || undefined;
  return { ...buildApp({ dataDir, databasePath, redisUrl, debug, secretKey, settings: fromEnv }), debug, dataDir };
}

/**
 * `buildFromEnvironment(defaults)` listening on PORT (default 8000), which logs where it listens
 * (`reinhardt.server`, on stderr); closing the server closes the database, the Redis session
 * store and the caches.
 * @example const { server, url } = await startFromEnvironment();
 */
export async function startFromEnvironment(defaults: Partial<Settings> = {}): Promise<EnvironmentApp & { server: Server; url: string }> {
  const built = buildFromEnvironment(defaults);
  const server = await built.app.listen(env.int('PORT', 8000));
  server.on('close', () => {
    built.db.close();
    const store = built.container.resolve(SessionStore);
    if (store instanceof RedisSessionStore) void store.close();
    void cachesFor(built.app.settings).close();
  });
  return { ...built, server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}

// `npm start` (after `reinhardt collectstatic`) and `npm run dev` (under nodemon): the polls site on
// http://localhost:8000, one access-log line per request on stderr (as runserver writes them;
// JSON lines unless DEBUG is on).
if (require.main === module) {
  startFromEnvironment({ accessLog: true }).then(
    ({ url, debug, dataDir }) => console.log(`Polls at ${url} (debug ${debug ? 'on' : 'off'}, data in ${dataDir}). Ctrl-C stops.`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
