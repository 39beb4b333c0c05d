import { CreateError, decodeSessionData, UpdateError, type SaveMode, type SessionData, type SessionStore } from './session-store';

export interface MemorySessionStoreOptions {
  /** Most sessions kept; saving past it evicts the least recently saved one. Default 10,000. */
  maxEntries?: number;
}

interface Entry {
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * The embedded default store: sessions in this process's memory (Django's locmem cache backend
 * with the cache session engine). Records are kept as JSON text, as any real store would, so a
 * later change to a loaded object cannot leak into the stored record, and expire after their
 * TTL. The map is bounded: saving a new record at `maxEntries` first drops expired records, then
 * the least recently saved one (a Map keeps insertion order; saving re-inserts).
 *
 * One process only: behind `serve()` workers or several machines use `RedisSessionStore`.
 * Register it as a singleton (`useValue`, or `Lifecycle.Singleton`), or each resolve gets its own map.
 * @example container.register(SessionStore, { useValue: new MemorySessionStore({ maxEntries: 50_000 }) });
 */
export class MemorySessionStore implements SessionStore {
  private readonly entries: Map<string, Entry>;
  private readonly maxEntries: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer.');
    this.entries = new Map();
    this.maxEntries = maxEntries;
  }

  /** How many records are held (expired ones included until they are swept). */
  get size(): number {
    return this.entries.size;
  }

  async load(key: string): Promise<SessionData | null> {
    const entry = this.live(key);
    return entry === undefined ? null : decodeSessionData(entry.json, 'MemorySessionStore');
  }

  async save(key: string, data: SessionData, ttlSeconds: number, mode: SaveMode = 'upsert'): Promise<void> {
    const existing = this.live(key);
    if (mode === 'create' && existing !== undefined) throw new CreateError(key);
    if (mode === 'update' && existing === undefined) throw new UpdateError();
    if (ttlSeconds <= 0) {
      this.entries.delete(key);
      return;
    }
    const json = JSON.stringify(data);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(key, { json, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.live(key) !== undefined;
  }

  /** The unexpired entry for `key`; an expired one is removed on the way. */
  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > Date.now()) return entry;
    this.entries.delete(key);
    return undefined;
  }

  private makeRoom(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
    // Still full: the first key in insertion order is the least recently saved.
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
