import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import {
  AuthenticationMiddleware,
  CorsMiddleware,
  createApp,
  CsrfMiddleware,
  GZipMiddleware,
  healthController,
  MessageMiddleware,
  openApiController,
  RedisSessionStore,
  SecurityMiddleware,
  SessionMiddleware,
  SessionStore,
  StaticFilesMiddleware,
  TokenStore,
  UserProvider,
  type CachesSetting,
  type Settings,
} from 'reinhardt';
import { AppDatabase, openDatabase } from './db';
import { POLL_PAGES_CACHE } from './poll-pages';
import { AccountsController } from './controllers/accounts.controller';
import { AttachmentsController } from './controllers/attachments.controller';
import { PollApiController } from './controllers/poll-api.controller';
import { HomeController, PollsController } from './controllers/polls.controller';
import { AttachmentRepository } from './repositories/attachment-repository';
import { PollRepository } from './repositories/poll-repository';
import { SqliteSessionStore } from './repositories/sqlite-session-store';
import { SqliteTokenStore } from './repositories/sqlite-token-store';
import { UserRepository } from './repositories/user-repository';

/**
 * The folder this file runs from, which holds the app's `templates/` and `static/`:
 * `sample-app/` in the source tree, `dist/sample-app/` once built (`npm run build` copies both
 * folders beside the compiled code, scripts/copy-sample-assets.js), so a build serves the pages
 * it was built with and needs no source tree.
 */
export const SAMPLE_APP_DIR: string = __dirname;

/**
 * Where `npm start` keeps `db.sqlite3`, uploads, the secret key and the collected static files
 * (git-ignored): `sample-app/data` in the checkout, whether the app runs from the source or from
 * `dist/`. Never inside `dist/`: every build empties it, and the database and the key must
 * survive `npm start` and `npm run dev`'s rebuilds.
 */
export const DEFAULT_DATA_DIR: string = join(checkoutRoot(__dirname), 'sample-app', 'data');

/**
 * The origins whose pages may call the JSON API with the visitor's cookies when
 * `CORS_ALLOWED_ORIGINS` is not set: a Vite dev server's, for a front end developed beside the site.
 */
export const DEFAULT_CORS_ALLOWED_ORIGINS: readonly string[] = ['http://localhost:5173'];

/**
 * The middleware, in the order each guide asks for: CORS first, so a preflight is answered
 * before anything else runs (docs/cors.md); compression next, outside everything that makes a
 * body (docs/compression.md); static files right after SecurityMiddleware, so they skip
 * sessions, CSRF and authentication (docs/static-files.md); then sessions, the user and the
 * messages (docs/messages.md: after SessionMiddleware, which the fallback storage falls back to).
 *
 * CsrfMiddleware comes after AuthenticationMiddleware and MessageMiddleware (as in
 * DEFAULT_MIDDLEWARE), where Django's settings list it before them: Django checks the token in `process_view`, after every
 * middleware's `process_request` has set `request.user`, but here the check runs where
 * CsrfMiddleware sits. Placed last, the pages it answers (the 403 CSRF page, and the 400 or
 * 413 when the body it reads for the token is malformed or too large) have the signed-in user in
 * their header, and the messages read on them are cleared, like every other page.
 */
export const SAMPLE_MIDDLEWARE = [
  CorsMiddleware,
  GZipMiddleware,
  SecurityMiddleware,
  StaticFilesMiddleware,
  SessionMiddleware,
  AuthenticationMiddleware,
  MessageMiddleware,
  CsrfMiddleware,
] as const;

export interface BuildAppOptions {
  /** Folder for `db.sqlite3`, `uploads/` and `secret.key`; created if missing. Default `sample-app/data`. */
  dataDir?: string;
  /** Django's DEBUG: technical 404/500 pages. Default false. */
  debug?: boolean;
  /** The SQLite file (the `DATABASE_PATH` variable). Default `<dataDir>/db.sqlite3`. */
  databasePath?: string;
  /**
   * Keep sessions in Redis at this URL (the `REDIS_URL` variable), so several processes share
   * them; default: in the SQLite database.
   */
  redisUrl?: string;
  /** Default: `<dataDir>/secret.key`, generated on first start. */
  secretKey?: string;
  /** Parent container; the app registers its services in a child of it. Default: tsyringe's root. */
  container?: DependencyContainer;
  /** Overrides of the settings below (tests lower limits with it). */
  settings?: Partial<Settings>;
}

export type SampleApp = ReturnType<typeof createApp>;

export interface BuiltApp {
  app: SampleApp;
  db: AppDatabase;
  container: DependencyContainer;
  settings: Partial<Settings>;
}

/**
 * Build the polls site: open and migrate the database, register the repositories in a child
 * container (one per app, so two apps in one process do not share a database), and create the
 * app with Django's default middleware stack.
 * @example
 * const { app } = buildApp({ dataDir: '/tmp/polls', debug: true });
 * await app.listen(8000);
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const db = openDatabase(dataDir, options.databasePath);
  const container = (options.container ?? rootContainer).createChildContainer();
  container.register(AppDatabase, { useValue: db });
  container.registerSingleton(PollRepository);
  container.registerSingleton(AttachmentRepository);
  container.registerSingleton(UserRepository);
  container.register(UserProvider, { useToken: UserRepository });
  // The API's tokens (issued on the account page), hashed in SQLite; one store per app, its
  // statements prepared once. TokenAuthentication finds it as the TokenStore.
  container.registerSingleton(SqliteTokenStore);
  container.register(TokenStore, { useToken: SqliteTokenStore });
  if (options.redisUrl) container.register(SessionStore, { useValue: new RedisSessionStore({ url: options.redisUrl, prefix: 'polls:session:' }) });
  else container.register(SessionStore, { useClass: SqliteSessionStore });

  const settings: Partial<Settings> = {
    debug: options.debug ?? false,
    secretKey: options.secretKey ?? loadOrCreateSecretKey(dataDir),
    allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
    templatesDir: join(SAMPLE_APP_DIR, 'templates'),
    // `reinhardt collectstatic` (npm start runs it) copies static/ here under hashed names;
    // with debug on, static/ itself is served, so an edited CSS file shows without collecting.
    staticDirs: [join(SAMPLE_APP_DIR, 'static')],
    staticRoot: join(dataDir, 'staticfiles'),
    // The JSON API, and only it, may be called from the listed origins' pages with the visitor's
    // cookies (CORS_ALLOWED_ORIGINS replaces the list). Its POST still needs the CSRF token and
    // a CSRF-trusted origin: CORS lets a page read answers, it does not relax CSRF.
    corsAllowedOrigins: [...DEFAULT_CORS_ALLOWED_ORIGINS],
    corsUrlsRegex: '^/api/',
    corsAllowCredentials: true,
    caches: sampleCaches(options.redisUrl),
    // Whole request: twice the attachment limit, so the view can answer an over-limit file
    // with its own message; anything bigger is refused by the framework before it is read.
    maxUploadSize: 10 * 1024 * 1024,
    // Files over 1 MB spill to a temporary file instead of staying in memory.
    fileUploadMaxMemorySize: 1024 * 1024,
    ...options.settings,
  };
  const app = createApp({
    // The API's OpenAPI document at /api/openapi.json and Swagger UI at /api/docs/ (docs/openapi.md);
    // liveness and readiness probes at /healthz and /readyz (docs/health-checks.md).
    controllers: [
      HomeController,
      PollsController,
      PollApiController,
      AccountsController,
      AttachmentsController,
      openApiController({ info: { title: 'Polls', version: '1.0.0' } }),
      healthController({ timeout: 1000 }),
    ],
    middleware: [...SAMPLE_MIDDLEWARE],
    settings,
    container,
  });
  return { app, db, container, settings };
}

/**
 * 'default' counts the login and sign-up rate limits: in Redis when the sessions are there too
 * (several processes then share one count per client, as they share sessions), else in this
 * process's memory. The pages stay in each process's memory: a `clear()` of a Redis cache is a
 * FLUSHDB (Django's), which would log everyone out of the sessions kept in the same database; so
 * with several processes a vote empties its own process's pages, and the others show the new
 * counts when their copy expires (POLL_LIST_CACHE_SECONDS).
 */
function sampleCaches(redisUrl: string | undefined): CachesSetting {
  return {
    default: redisUrl ? { backend: 'redis', location: redisUrl, keyPrefix: 'polls' } : { backend: 'memory' },
    [POLL_PAGES_CACHE]: { backend: 'memory', maxEntries: 1000 },
  };
}

/** The nearest folder at or above `dir` with a package.json: the checkout (a step up from `sample-app/`, two from `dist/sample-app/`). */
function checkoutRoot(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return current;
    if (dirname(current) === current) return resolve(dir, '..');
  }
}

/**
 * The secret key from `<dataDir>/secret.key`, generated (50 random bytes, as Django's
 * `get_random_secret_key` gives 50 characters) and saved there on first start, so sessions
 * and CSRF tokens survive restarts without a key in the repository.
 */
export function loadOrCreateSecretKey(dataDir: string): string {
  const path = join(dataDir, 'secret.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = randomBytes(50).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  console.log(`Generated a secret key for this data folder in ${path}`);
  return key;
}
