import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { createApp, RedisSessionStore, SessionStore, UserProvider, type Settings } from 'reinhardt';
import { AppDatabase, openDatabase } from './db';
import { AccountsController } from './controllers/accounts.controller';
import { AttachmentsController } from './controllers/attachments.controller';
import { PollApiController } from './controllers/poll-api.controller';
import { HomeController, PollsController } from './controllers/polls.controller';
import { AttachmentRepository } from './repositories/attachment-repository';
import { PollRepository } from './repositories/poll-repository';
import { SqliteSessionStore } from './repositories/sqlite-session-store';
import { UserRepository } from './repositories/user-repository';

/**
 * The sample-app folder in the source tree. Compiled, this file runs from
 * `dist/sample-app/`, which has no templates (tsc copies only code), so look in the source
 * tree beside `dist/` too.
 */
export const SAMPLE_APP_DIR: string = [__dirname, resolve(__dirname, '..', '..', 'sample-app')].find((dir) =>
  existsSync(join(dir, 'templates', 'base.html')),
) ?? __dirname;

/** Where `npm start` keeps `db.sqlite3`, uploads and the secret key (git-ignored). */
export const DEFAULT_DATA_DIR = join(SAMPLE_APP_DIR, 'data');

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
  if (options.redisUrl) container.register(SessionStore, { useValue: new RedisSessionStore({ url: options.redisUrl, prefix: 'polls:session:' }) });
  else container.register(SessionStore, { useClass: SqliteSessionStore });

  const settings: Partial<Settings> = {
    debug: options.debug ?? false,
    secretKey: options.secretKey ?? loadOrCreateSecretKey(dataDir),
    allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
    templatesDir: join(SAMPLE_APP_DIR, 'templates'),
    // Whole request: twice the attachment limit, so the view can answer an over-limit file
    // with its own message; anything bigger is refused by the framework before it is read.
    maxUploadSize: 10 * 1024 * 1024,
    // Files over 1 MB spill to a temporary file instead of staying in memory.
    fileUploadMaxMemorySize: 1024 * 1024,
    ...options.settings,
  };
  const app = createApp({
    controllers: [HomeController, PollsController, PollApiController, AccountsController, AttachmentsController],
    settings,
    container,
  });
  return { app, db, container, settings };
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
