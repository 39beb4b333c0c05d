/**
 * Where API tokens live, and how one is issued, found and revoked. A store never holds a token
 * itself: only its first characters (the part it is looked up by, as django-rest-knox's
 * `token_key`) and the SHA-256 digest of the whole, compared in constant time. A leaked
 * database gives no usable token, and response times do not tell how much of a guess matched.
 *
 * SHA-256 rather than a slow password hash: a token is 40 random characters (about 238 bits,
 * DRF's `Token` key is 160), so there is nothing to brute-force that a slow hash would protect,
 * and every API request pays for the hash.
 */
import { createHash } from 'node:crypto';
import { constantTimeEquals } from './login';
import { getRandomString } from './random-string';

/** What a store keeps of one token. */
export interface StoredToken {
  /** The token's first {@link TOKEN_PREFIX_LENGTH} characters: what the store finds it by. */
  readonly prefix: string;
  /** SHA-256 of the whole token, lowercase hex. */
  readonly digest: string;
  /** Whose token it is: the id the app's `UserProvider` gives (`getUserId`). */
  readonly userId: string;
  /** When it was issued. */
  readonly created: Date;
}

/**
 * A token store: a memory one (`MemoryTokenStore`) ships with the framework; keep tokens in your
 * database by implementing these three methods. Register one instance per app (tokens issued
 * through one instance must be found through the same data), like the session store. A class
 * merged with this interface, so it is also the DI token.
 * @example
 * container.registerInstance(TokenStore, new MemoryTokenStore());
 * const token = await issueToken(container.resolve(TokenStore), String(user.id)); // shown once
 */
export interface TokenStore {
  /** Keeps a new token; a prefix already taken must be refused (throw), never overwritten. */
  save(token: StoredToken): Promise<void> | void;
  /** The token with this prefix, or null. */
  find(prefix: string): Promise<StoredToken | null> | StoredToken | null;
  /** Forgets the token with this prefix (nothing when there is none). */
  delete(prefix: string): Promise<void> | void;
}
// eslint-disable-next-line @typescript-eslint/no-unused-vars
export class TokenStore {}

/** Whether a resolved value really is a store (an unregistered class token resolves to an empty instance). */
export function isTokenStore(value: unknown): value is TokenStore {
  const store = value as TokenStore | null;
  return typeof store?.save === 'function' && typeof store.find === 'function' && typeof store.delete === 'function';
}

/** How long a token is: 40 characters, as DRF's `Token` key. */
export const TOKEN_LENGTH = 40;
/** How many of its first characters a store looks a token up by. */
export const TOKEN_PREFIX_LENGTH = 8;
/** Letters and digits only: a token is safe in a header, a URL and a shell without quoting. */
const TOKEN_SHAPE = /^[A-Za-z0-9]{40}$/;

function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Issues a token for the user with this id and returns it: the only time it is seen in full, so
 * show it to the user now (an account page, a `curl` example). A prefix collision (one in 62^8)
 * draws again.
 * @example const token = await issueToken(store, users.getUserId(request.user));
 */
export async function issueToken(store: TokenStore, userId: string): Promise<string> {
  for (;;) {
    const token = getRandomString(TOKEN_LENGTH);
    const prefix = token.slice(0, TOKEN_PREFIX_LENGTH);
    if ((await store.find(prefix)) !== null) continue;
    await store.save({ prefix, digest: digestOf(token), userId, created: new Date() });
    return token;
  }
}

/**
 * The stored token a client sent, or null: looked up by its prefix, then its digest compared in
 * constant time. Anything not shaped like a token is refused before hashing or asking the store.
 * @example const stored = await findToken(store, presented); // stored?.userId
 */
export async function findToken(store: TokenStore, token: string): Promise<StoredToken | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  // Hashed whether or not the prefix is known, so the time taken says nothing of the store.
  const digest = digestOf(token);
  const stored = await store.find(token.slice(0, TOKEN_PREFIX_LENGTH));
  if (stored === null) return null;
  return constantTimeEquals(digest, stored.digest) ? stored : null;
}

/**
 * Revokes a token (a "log out everywhere" or a leaked key): it no longer authenticates. A token
 * that does not match what is stored under its prefix revokes nothing, so knowing a prefix is not
 * enough to revoke someone else's token.
 * @example await revokeToken(store, presented);
 */
export async function revokeToken(store: TokenStore, token: string): Promise<boolean> {
  const stored = await findToken(store, token);
  if (stored === null) return false;
  await store.delete(stored.prefix);
  return true;
}
