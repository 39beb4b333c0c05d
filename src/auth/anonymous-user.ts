import type { RequestUser } from './request-user';

/**
 * `request.user` when nobody is logged in (Django's `AnonymousUser`): not authenticated, no
 * permissions, no id. State-free, so its members live on the prototype.
 * @example if (request.user.isAnonymous) return new HttpResponseRedirect('/login/');
 */
export class AnonymousUser implements RequestUser {
  [key: string]: any;

  get id(): null {
    return null;
  }
  get username(): string {
    return '';
  }
  get isAuthenticated(): false {
    return false;
  }
  get isAnonymous(): true {
    return true;
  }
  get isActive(): false {
    return false;
  }
  get isStaff(): false {
    return false;
  }
  get isSuperuser(): false {
    return false;
  }
  hasPerm(_perm: string): boolean {
    return false;
  }
  hasPerms(_perms: readonly string[]): boolean {
    return false;
  }
  toString(): string {
    return 'AnonymousUser';
  }
}

/**
 * A base class for the application's users (Django's `AbstractBaseUser` as far as requests are
 * concerned): an instance is always authenticated. Extend it, or give your user class
 * `isAuthenticated`/`isAnonymous` yourself (see `asRequestUser` for plain objects).
 * @example
 * class User extends AbstractBaseUser {
 *   constructor(readonly id: number, readonly username: string, readonly isSuperuser = false) { super(); }
 * }
 */
export abstract class AbstractBaseUser implements RequestUser {
  [key: string]: any;

  get isAuthenticated(): true {
    return true;
  }
  get isAnonymous(): false {
    return false;
  }
}

/**
 * What `request.user` holds for a user from the `UserProvider`. An object that already answers
 * `isAuthenticated` (an `AbstractBaseUser`, or your own class) is used as it is. A plain object
 * gets the two flags as non-enumerable properties (so JSON and spreads do not show them); a
 * frozen one is copied first, keeping its prototype.
 */
export function asRequestUser(user: object): RequestUser {
  if ('isAuthenticated' in user) return user as RequestUser;
  const target = Object.isExtensible(user) ? user : Object.assign(Object.create(Object.getPrototypeOf(user) as object) as object, user);
  Object.defineProperties(target, {
    isAuthenticated: { value: true, enumerable: false, configurable: true },
    isAnonymous: { value: false, enumerable: false, configurable: true },
  });
  return target as RequestUser;
}
