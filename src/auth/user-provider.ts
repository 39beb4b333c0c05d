/**
 * Where users come from (SPEC §9), and the DI token to register that under. Reinhardt has no
 * user model: users are the application's own objects, found by id.
 *
 * Like `SessionStore`, the token is a class merged with this interface (tsyringe tokens must be
 * constructible): implement the interface, extending the class or not. Without a registration,
 * every request is anonymous.
 * @example
 * \@injectable()
 * class AccountUsers implements UserProvider<Account> {
 *   constructor(private readonly accounts: AccountRepository) {}
 *   getUser(id: string) { return this.accounts.findById(Number(id)); }
 *   getUserId(user: Account) { return String(user.id); }
 * }
 * container.register(UserProvider, { useClass: AccountUsers });
 */
export interface UserProvider<User extends object = any> {
  /** The user with this id (as `getUserId` gave it), or null when there is none any more. */
  getUser(id: string): Promise<User | null>;
  /** The id stored in the session at login (Django stores the primary key as text). */
  getUserId(user: User): string;
}
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class UserProvider<User extends object = any> {}

/** Whether the resolved token is a real provider (an unregistered class token resolves to an empty instance). */
export function isUserProvider(value: unknown): value is UserProvider {
  return typeof (value as UserProvider | null)?.getUser === 'function' && typeof (value as UserProvider).getUserId === 'function';
}
