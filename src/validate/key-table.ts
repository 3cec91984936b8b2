// A compact set of string keys (record ids, spell ids) for the rules across records, sized for
// millions of records in flat memory: keys live in one growing byte arena, an open-addressing
// table of int32 slots finds them, and each key gets a dense index that parallel typed arrays
// use for per-key data. 16-24 bytes per key (offset, hash, two or three table slots) plus a byte
// per character, against ~80 for a Map; per-key arrays are sized to `capacity` (1-2 x size).
// Keys are compared exactly (no hash-only identity), so two ids can never be confused.

const EMPTY = -1;

function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class KeyTable {
  /** Key characters, one byte each until a key needs more (then two, for every key). */
  #arena: Uint8Array | Uint16Array;
  #arenaUsed = 0;
  /** Key i is arena[offsets[i], offsets[i + 1]): keys are appended in index order. */
  #offsets: Int32Array;
  #hashes: Uint32Array;
  #slots: Int32Array;
  #mask: number;
  #size = 0;

  constructor(expected = 1024) {
    const capacity = Math.max(16, 2 ** Math.ceil(Math.log2(expected)));
    this.#offsets = new Int32Array(capacity + 1);
    this.#hashes = new Uint32Array(capacity);
    this.#arena = new Uint8Array(capacity * 10);
    this.#slots = new Int32Array(capacity * 2).fill(EMPTY);
    this.#mask = capacity * 2 - 1;
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes held, for the performance docs. */
  get bytes(): number {
    return (
      this.#arena.byteLength +
      this.#offsets.byteLength +
      this.#hashes.byteLength +
      this.#slots.byteLength
    );
  }

  #equals(index: number, key: string): boolean {
    const at = this.#offsets[index] as number;
    if ((this.#offsets[index + 1] as number) - at !== key.length) return false;
    for (let i = 0; i < key.length; i++)
      if (this.#arena[at + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  #probe(key: string, hash: number): number {
    let slot = hash & this.#mask;
    for (;;) {
      const index = this.#slots[slot] as number;
      if (index === EMPTY || (this.#hashes[index] === hash && this.#equals(index, key)))
        return slot;
      slot = (slot + 1) & this.#mask;
    }
  }

  /** Index of `key`, or -1. */
  find(key: string): number {
    return this.#slots[this.#probe(key, fnv1a(key))] as number;
  }

  /** Index of `key`, adding it when new. */
  intern(key: string): number {
    const hash = fnv1a(key);
    let slot = this.#probe(key, hash);
    const existing = this.#slots[slot] as number;
    if (existing !== EMPTY) {
      return existing;
    }
    if (this.#size + 1 > (this.#mask + 1) >> 1) {
      this.#grow();
      slot = this.#probe(key, hash);
    }
    const index = this.#size++;
    this.#append(key);
    this.#hashes[index] = hash;
    this.#offsets[index + 1] = this.#arenaUsed;
    this.#slots[slot] = index;
    return index;
  }

  #append(key: string): void {
    let wide = this.#arena instanceof Uint16Array;
    if (!wide) {
      for (let i = 0; i < key.length; i++) {
        if (key.charCodeAt(i) > 0xff) {
          wide = true;
          break;
        }
      }
    }
    const needed = this.#arenaUsed + key.length;
    if (needed > this.#arena.length || (wide && this.#arena instanceof Uint8Array)) {
      const length = Math.max(needed, needed > this.#arena.length ? this.#arena.length * 2 : 0);
      const bigger = wide ? new Uint16Array(length) : new Uint8Array(length);
      bigger.set(this.#arena.subarray(0, this.#arenaUsed));
      this.#arena = bigger;
    }
    for (let i = 0; i < key.length; i++) this.#arena[this.#arenaUsed + i] = key.charCodeAt(i);
    this.#arenaUsed = needed;
  }

  /** The key with dense index `index` (0 <= index < size). */
  keyAt(index: number): string {
    const chars = this.#arena.subarray(
      this.#offsets[index] as number,
      this.#offsets[index + 1] as number,
    );
    let key = "";
    for (const c of chars) key += String.fromCharCode(c);
    return key;
  }

  /** Capacity of per-key arrays; callers grow theirs when this changes. */
  get capacity(): number {
    return this.#hashes.length;
  }

  #grow(): void {
    const capacity = this.#hashes.length * 2;
    const offsets = new Int32Array(capacity + 1);
    offsets.set(this.#offsets);
    this.#offsets = offsets;
    const hashes = new Uint32Array(capacity);
    hashes.set(this.#hashes);
    this.#hashes = hashes;
    this.#slots = new Int32Array(capacity * 2).fill(EMPTY);
    this.#mask = capacity * 2 - 1;
    for (let index = 0; index < this.#size; index++) {
      let slot = (this.#hashes[index] as number) & this.#mask;
      while (this.#slots[slot] !== EMPTY) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = index;
    }
  }
}

/** Grow a typed array to at least `capacity`, keeping its contents. */
export function ensureCapacity<T extends Uint8Array | Int32Array | Uint32Array | Uint16Array>(
  array: T,
  capacity: number,
  fill = 0,
): T {
  if (array.length >= capacity) return array;
  const bigger = new (array.constructor as new (n: number) => T)(capacity);
  bigger.set(array);
  if (fill !== 0) bigger.fill(fill, array.length);
  return bigger;
}
