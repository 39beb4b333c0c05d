import type { StoredToken, TokenStore } from './token-store';

/**
 * Tokens in this process's memory: for tests, development and a single process (they are gone
 * at restart). Keep them in your database for anything else by implementing `TokenStore`.
 * @example container.registerInstance(TokenStore, new MemoryTokenStore());
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, StoredToken>();

  save(token: StoredToken): void {
    if (this.tokens.has(token.prefix)) throw new Error(`A token with the prefix ${token.prefix} is already stored.`);
    this.tokens.set(token.prefix, token);
  }

  find(prefix: string): StoredToken | null {
    return this.tokens.get(prefix) ?? null;
  }

  delete(prefix: string): void {
    this.tokens.delete(prefix);
  }

  /** How many tokens are stored. */
  get size(): number {
    return this.tokens.size;
  }
}
