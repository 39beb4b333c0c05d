import { AbstractBaseUser } from 'reinhardt';

/**
 * A site user (Django's `auth.User`, trimmed to what the sample needs). The password hash stays
 * in the repository: it is never on the object templates and JSON see.
 */
export class User extends AbstractBaseUser {
  constructor(
    readonly id: number,
    readonly username: string,
    readonly email: string,
    readonly dateJoined: Date,
  ) {
    super();
  }

  /** What the JSON API shows of a user. */
  toJSON(): { id: number; username: string } {
    return { id: this.id, username: this.username };
  }
}
