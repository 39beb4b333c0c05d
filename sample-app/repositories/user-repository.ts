import 'reflect-metadata';
import { injectable } from 'tsyringe';
import { checkPassword, makePassword, UserProvider } from 'reinhardt';
import { AppDatabase, isConstraintError } from '../db';
import { User } from '../models/user';

interface UserRow {
  id: number;
  username: string;
  password: string;
  email: string;
  is_active: number;
  date_joined: string;
}

/** `create()` with a username someone already has. */
export class UsernameTaken extends Error {
  constructor(readonly username: string) {
    super('A user with that username already exists.');
    this.name = 'UsernameTaken';
  }
}

/**
 * Users in `auth_user`, with Django-format password hashes (`pbkdf2_sha256$...`), so a Django
 * database's users could log in unchanged. Registered as the app's `UserProvider`
 * (`container.register(UserProvider, { useClass: UserRepository })`): the authentication
 * middleware turns the session's user id back into a `User` through `getUser`.
 */
@injectable()
export class UserRepository implements UserProvider {
  constructor(private readonly db: AppDatabase) {}

  /** The active user with this id (as stored in the session), or null. */
  async getUser(id: string): Promise<User | null> {
    return this.findById(Number(id));
  }

  /** The active user with this primary key, or null. */
  findById(id: number): User | null {
    const row = this.db.sqlite
      .prepare('SELECT * FROM auth_user WHERE id = ? AND is_active = 1')
      .get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  /** The id the session stores for this user. */
  getUserId(user: User): string {
    return String(user.id);
  }

  /**
   * Create a user, hashing the password with Django's current hasher.
   * @throws UsernameTaken when the name is in use (compared case-insensitively, as Django's
   *   `UserCreationForm` does).
   */
  async create(username: string, email: string, rawPassword: string): Promise<User> {
    // The early check spares a password hash for a name that is plainly taken; it cannot be the
    // guarantee: another sign-up may insert the name while this one hashes.
    if (this.db.sqlite.prepare('SELECT 1 FROM auth_user WHERE username = ? COLLATE NOCASE').get(username)) {
      throw new UsernameTaken(username);
    }
    const hash = await makePassword(rawPassword);
    const joined = new Date();
    let id: number;
    try {
      id = Number(
        this.db.sqlite
          .prepare('INSERT INTO auth_user (username, password, email, date_joined) VALUES (?, ?, ?, ?)')
          .run(username, hash, email, joined.toISOString()).lastInsertRowid,
      );
    } catch (error) {
      // The case-insensitive unique index (migration auth.0002) refused it: someone won the race.
      if (isConstraintError(error, 'SQLITE_CONSTRAINT_UNIQUE')) throw new UsernameTaken(username);
      throw error;
    }
    return new User(id, username, email, joined);
  }

  /**
   * The user with this username and password, or null. An unknown username still runs the
   * hasher once, as Django's ModelBackend does, so response time does not tell which
   * usernames exist.
   */
  async verify(username: string, rawPassword: string): Promise<User | null> {
    const row = this.db.sqlite
      .prepare('SELECT * FROM auth_user WHERE username = ? AND is_active = 1')
      .get(username) as UserRow | undefined;
    if (!row) {
      await makePassword(rawPassword);
      return null;
    }
    return (await checkPassword(rawPassword, row.password)) ? toUser(row) : null;
  }

  /** Stamp `last_login` (Django's `update_last_login` on the `user_logged_in` signal). */
  recordLogin(user: User): void {
    this.db.sqlite.prepare('UPDATE auth_user SET last_login = ? WHERE id = ?').run(new Date().toISOString(), user.id);
  }
}

function toUser(row: UserRow): User {
  return new User(row.id, row.username, row.email, new Date(row.date_joined));
}
