import { MemorySessionStore } from '../../src/sessions/memory-session-store';
import { describeSessionStoreContract } from './session-store.contract';

describeSessionStoreContract('MemorySessionStore', () => {
  const store = new MemorySessionStore();
  return {
    store,
    stateless: false,
    async corrupt(key) {
      // Reach the private map as a bit flip in memory would.
      const entries = (store as unknown as { entries: Map<string, { json: string; expiresAt: number }> }).entries;
      const entry = entries.get(key)!;
      entries.set(key, { ...entry, json: '{"user": "1"' });
      return key;
    },
  };
});

describe('MemorySessionStore', () => {
  test('is bounded: saving past maxEntries evicts the least recently saved record', async () => {
    const store = new MemorySessionStore({ maxEntries: 2 });
    await store.save('aaaaaaaa', { n: 1 }, 60);
    await store.save('bbbbbbbb', { n: 2 }, 60);
    await store.save('aaaaaaaa', { n: 3 }, 60); // re-saving makes it the most recent
    await store.save('cccccccc', { n: 4 }, 60);
    expect(store.size).toBe(2);
    expect(await store.load('bbbbbbbb')).toBeNull();
    expect(await store.load('aaaaaaaa')).toEqual({ n: 3 });
    expect(await store.load('cccccccc')).toEqual({ n: 4 });
  });

  test('expired records are swept before anything live is evicted', async () => {
    const store = new MemorySessionStore({ maxEntries: 2 });
    await store.save('old00000', { n: 1 }, 0.01);
    await store.save('live0000', { n: 2 }, 60);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await store.save('new00000', { n: 3 }, 60);
    expect(await store.load('live0000')).toEqual({ n: 2 });
    expect(await store.load('new00000')).toEqual({ n: 3 });
  });

  test('a loaded object is a copy: changing it does not change the record', async () => {
    const store = new MemorySessionStore();
    await store.save('copy0000', { list: [1] }, 60);
    const data = (await store.load('copy0000'))!;
    (data.list as number[]).push(2);
    expect(await store.load('copy0000')).toEqual({ list: [1] });
  });

  test('refuses a maxEntries that is not a positive integer', () => {
    expect(() => new MemorySessionStore({ maxEntries: 0 })).toThrow(new RangeError('maxEntries must be a positive integer.'));
  });
});
