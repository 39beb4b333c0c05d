/**
 * MultiValueDict: a dictionary that keeps every value given for a key, in insertion order
 * (Django's django.utils.datastructures.MultiValueDict). It backs `request.GET`/`request.POST`
 * (through QueryDict) and `request.FILES`.
 *
 * Reading a key gives its *last* value; `getList` gives all of them. Every mutating method calls
 * `assertMutable()` first, the hook QueryDict overrides to make request data immutable.
 *
 * Where Python's dict semantics do not carry over to TypeScript:
 * - a key may hold an empty list (`setList(k, [])`); it is listed by `keys()`, `has()` and
 *   `lists()`, but it has no last value, so `getItem` throws, `get` gives the default and
 *   `items()`, `values()` and `dict()` leave it out (Django would hand back `[]` as the "value");
 * - lists going in (`setList`, the constructor) and coming out (`getList`, `lists()`, `pop`) are
 *   copies, so an immutable QueryDict cannot be changed through an array the caller holds. The one
 *   exception is `setListDefault`, which returns the stored list as Django does.
 */
import { MultiValueDictKeyError } from './errors';

/** What a MultiValueDict can be built from: `[key, list]` pairs or an object of lists. */
export type MultiValueDictInit<V> = Iterable<readonly [string, readonly V[]]> | Readonly<Record<string, readonly V[]>>;

/**
 * What `update()` accepts: another MultiValueDict (all its values), an object whose values are a
 * value or an array of values, or an iterable of `[key, value]` pairs (a `Map` works).
 */
export type MultiValueDictUpdate<V> =
  | MultiValueDict<V>
  | Iterable<readonly [string, V]>
  | Readonly<Record<string, V | readonly V[]>>;

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Sets `obj[key] = value` even for `__proto__`, which plain assignment would swallow. */
function assign(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return value != null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * A dictionary keeping a list of values per key.
 *
 * @example
 * const d = new MultiValueDict<string>({ name: ['Adrian', 'Simon'], position: ['Developer'] });
 * d.getItem('name');   // 'Simon'
 * d.getList('name');   // ['Adrian', 'Simon']
 * d.get('lastname', 'nonexistent');   // 'nonexistent'
 * d.setList('lastname', ['Holovaty', 'Willison']);
 */
export class MultiValueDict<V> implements Iterable<string> {
  /** key -> values, in insertion order. Lists are never shared with callers (see the file comment). */
  protected store: Map<string, V[]>;

  constructor(init?: MultiValueDictInit<V> | null) {
    this.store = new Map();
    if (init == null) return;
    if (isIterable(init)) {
      for (const [key, list] of init as Iterable<readonly [string, readonly V[]]>) this.store.set(key, [...list]);
    } else {
      for (const key of Object.keys(init)) this.store.set(key, [...(init as Record<string, readonly V[]>)[key]]);
    }
  }

  /** Hook every mutating method calls first; QueryDict throws ImmutableQueryDictError from it. */
  protected assertMutable(): void {}

  /** Number of keys. */
  get size(): number {
    return this.store.size;
  }

  /** Django's `d[key]`: the last value; throws MultiValueDictKeyError when there is none. */
  getItem(key: string): V {
    const list = this.store.get(key);
    if (list === undefined || list.length === 0) throw new MultiValueDictKeyError(key);
    return list[list.length - 1];
  }

  /** The last value for `key`, or `defaultValue` (undefined if not given) when there is none. */
  get(key: string): V | undefined;
  get<D>(key: string, defaultValue: D): V | D;
  get<D>(key: string, defaultValue?: D): V | D | undefined {
    const list = this.store.get(key);
    return list === undefined || list.length === 0 ? defaultValue : list[list.length - 1];
  }

  /** A copy of every value for `key`; `[]` (or `defaultValue`, returned as is) when missing. */
  getList(key: string): V[];
  getList<D>(key: string, defaultValue: D): V[] | D;
  getList<D>(key: string, defaultValue?: D): V[] | D {
    const list = this.store.get(key);
    if (list === undefined) return defaultValue === undefined ? [] : defaultValue;
    return list.slice();
  }

  /** Django's `d[key] = value`: replaces every value of `key` with `[value]`. */
  setItem(key: string, value: V): void {
    this.assertMutable();
    this.store.set(key, [value]);
  }

  /** Replaces every value of `key` with (a copy of) `list`. */
  setList(key: string, list: Iterable<V>): void {
    this.assertMutable();
    this.store.set(key, [...list]);
  }

  /** Adds `value` after the values `key` already has. */
  appendList(key: string, value: V): void {
    this.assertMutable();
    const list = this.store.get(key);
    if (list === undefined) this.store.set(key, [value]);
    else list.push(value);
  }

  /**
   * Sets `key` to `defaultList` unless it is present, and returns the list now stored (the live
   * list, as Django does, so `d.setListDefault(k).push(v)` appends).
   */
  setListDefault(key: string, defaultList: Iterable<V> = []): V[] {
    this.assertMutable();
    let list = this.store.get(key);
    if (list === undefined) {
      list = [...defaultList];
      this.store.set(key, list);
    }
    return list;
  }

  /**
   * Sets `key` to `[value]` unless it already has a value, and returns the value now held (the
   * last one). A key holding an empty list counts as having no value.
   */
  setDefault(key: string, value: V): V {
    this.assertMutable();
    const list = this.store.get(key);
    if (list === undefined || list.length === 0) {
      this.store.set(key, [value]);
      return value;
    }
    return list[list.length - 1];
  }

  /**
   * Appends (never replaces) the values of `other`. An array value in a plain object adds each
   * item (Django would add the list as one value; in TypeScript an array means "these values").
   */
  update(other: MultiValueDictUpdate<V>): void {
    this.assertMutable();
    if (other instanceof MultiValueDict) {
      for (const [key, list] of (other as MultiValueDict<V>).store) this.extend(key, list);
    } else if (isIterable(other)) {
      for (const [key, value] of other as Iterable<readonly [string, V]>) this.extend(key, [value]);
    } else {
      const record = other as Record<string, V | readonly V[]>;
      for (const key of Object.keys(record)) {
        const value = record[key];
        this.extend(key, Array.isArray(value) ? (value as readonly V[]) : [value as V]);
      }
    }
  }

  private extend(key: string, values: readonly V[]): void {
    const list = this.store.get(key);
    if (list === undefined) this.store.set(key, values.slice());
    else list.push(...values);
  }

  /** Django's `key in d`. */
  has(key: string): boolean {
    return this.store.has(key);
  }

  /** Every key, in insertion order. */
  keys(): string[] {
    return [...this.store.keys()];
  }

  /** `[key, last value]` pairs (Django's `items()`). */
  items(): Array<[string, V]> {
    const out: Array<[string, V]> = [];
    for (const [key, list] of this.store) if (list.length > 0) out.push([key, list[list.length - 1]]);
    return out;
  }

  /** The last value of every key. */
  values(): V[] {
    const out: V[] = [];
    for (const list of this.store.values()) if (list.length > 0) out.push(list[list.length - 1]);
    return out;
  }

  /** `[key, values]` pairs, the lists copied. */
  lists(): Array<[string, V[]]> {
    const out: Array<[string, V[]]> = [];
    for (const [key, list] of this.store) out.push([key, list.slice()]);
    return out;
  }

  /** A plain object of last values (Django's `dict()`). */
  dict(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const [key, list] of this.store) if (list.length > 0) assign(out, key, list[list.length - 1]);
    return out;
  }

  /** Removes `key` and returns all its values; missing: `defaultValue`, or MultiValueDictKeyError. */
  pop(key: string): V[];
  pop<D>(key: string, defaultValue: D): V[] | D;
  pop<D>(key: string, defaultValue?: D): V[] | D {
    this.assertMutable();
    const list = this.store.get(key);
    if (list === undefined) {
      if (arguments.length < 2) throw new MultiValueDictKeyError(key);
      return defaultValue as D;
    }
    this.store.delete(key);
    return list;
  }

  /** Removes and returns the most recently inserted `[key, values]` (Python's LIFO `popitem`). */
  popItem(): [string, V[]] {
    this.assertMutable();
    let last: [string, V[]] | undefined;
    for (const entry of this.store) last = entry;
    if (last === undefined) throw new MultiValueDictKeyError('', 'popItem(): dictionary is empty');
    this.store.delete(last[0]);
    return last;
  }

  /** Django's `del d[key]`; throws MultiValueDictKeyError when missing. */
  delete(key: string): void {
    this.assertMutable();
    if (!this.store.delete(key)) throw new MultiValueDictKeyError(key);
  }

  /** Removes every key. */
  clear(): void {
    this.assertMutable();
    this.store.clear();
  }

  /** A mutable copy with new lists (the values themselves, e.g. uploaded files, are shared). */
  copy(): MultiValueDict<V> {
    const result = new (this.constructor as new () => MultiValueDict<V>)();
    for (const [key, list] of this.store) result.store.set(key, list.slice());
    return result;
  }

  /** Iterates over the keys, like a Python dict. */
  [Symbol.iterator](): IterableIterator<string> {
    return this.store.keys();
  }

  /**
   * `JSON.stringify(d)` gives every value as a list, `{"a": ["1", "2"]}`, which is what Django's
   * repr shows and what `json.dumps(request.GET)` gives. Use `dict()` for last values only.
   */
  toJSON(): Record<string, V[]> {
    const out: Record<string, V[]> = {};
    for (const [key, list] of this.store) assign(out, key, list.slice());
    return out;
  }

  /** `console.log(d)` prints `MultiValueDict { a: [ '1', '2' ] }`, like Django's repr. */
  [inspectSymbol](depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }
}
