// Rules across records (datasets.md): duplicate record ids, and a spell shared by different
// patients. Seen once per record during the pass, judged once at the end: every copy of a
// duplicate, and every episode of a conflicting spell, is rejected and reported.
//
// Memory stays with the keys, not the records: each id and spell keeps its first sighting
// (line, row in the bundle) in typed arrays beside a compact key table; only second and later
// sightings (a duplicated id, a spell's further episodes) are listed. So the pass needs no
// staging copy of the records: accepted rows go straight to the bundle, and the few a rule
// across records rejects are found here by their row number.
import { ensureCapacity, KeyTable } from "./key-table.ts";

/**
 * 32 bits of a validated (lowercase hex) pseudonym from character `at`: words 0 and 8 are its
 * first 64 bits. HMAC output is uniform, so they identify the patient. Read in place: no slice,
 * no array, for each of a million episodes.
 */
export function pseudonymWord(pseudonym: string, at: 0 | 8): number {
  let word = 0;
  for (let i = at; i < at + 8; i++) {
    const c = pseudonym.charCodeAt(i);
    word = word * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return word >>> 0;
}

const SPELL_ONE = 1;
const SPELL_CONFLICT = 2;
/** Row of a record that was not written to the bundle (already rejected). */
export const NOT_WRITTEN = -1;

/** A record a rule across records rejects, in reading order. */
export interface CrossRecordFinding {
  readonly line: number;
  readonly id: string;
  /** Its row in the dataset's bundle file, or NOT_WRITTEN. */
  readonly row: number;
  readonly duplicate: boolean;
  readonly spellConflict: boolean;
}

/** A growable list of int32 tuples. */
class TupleList {
  #data = new Int32Array(256);
  #length = 0;
  readonly width: number;

  constructor(width: number) {
    this.width = width;
  }

  push(a: number, b: number, c: number, d = 0): void {
    if (this.#length + this.width > this.#data.length)
      this.#data = ensureCapacity(this.#data, this.#data.length * 2);
    const at = this.#length;
    this.#data[at] = a;
    this.#data[at + 1] = b;
    this.#data[at + 2] = c;
    if (this.width > 3) this.#data[at + 3] = d;
    this.#length += this.width;
  }

  get count(): number {
    return this.#length / this.width;
  }

  at(tuple: number, field: number): number {
    return this.#data[tuple * this.width + field] as number;
  }

  get bytes(): number {
    return this.#data.byteLength;
  }
}

export class CrossRecordTracker {
  readonly #ids: KeyTable;
  #idCounts = new Uint8Array(1024);
  #idLine = new Int32Array(1024);
  #idRow = new Int32Array(1024);
  /** Second and later sightings of an id: line, row, id index. */
  readonly #idAgain = new TupleList(3);

  readonly #spells = new KeyTable(1024);
  #spellState = new Uint8Array(1024);
  #spellHi = new Uint32Array(1024);
  #spellLo = new Uint32Array(1024);
  #spellLine = new Int32Array(1024);
  #spellRow = new Int32Array(1024);
  #spellId = new Int32Array(1024);
  /** Second and later episodes of a spell: line, row, id index, spell index. */
  readonly #spellAgain = new TupleList(4);

  /**
   * `ids` may be shared with the episode index (the same episode ids): one copy of each key.
   * Only `see` counts a sighting, so keys the index alone added are never duplicates.
   */
  constructor(ids: KeyTable = new KeyTable(1024)) {
    this.#ids = ids;
  }

  /**
   * One record with an id. `spell` only for episodes; a record without a pseudonym still belongs
   * to its spell but cannot make it conflict. `row` is its row in the bundle or NOT_WRITTEN.
   * Returns the id's index in the id table (the episode index's too, when shared).
   */
  see(
    id: string,
    spell: string | undefined,
    pseudonym: string | null,
    line: number,
    row: number,
  ): number {
    const i = this.#ids.intern(id);
    if (this.#idCounts.length < this.#ids.capacity) {
      // Grown together with the key table (which the episode index may also have grown).
      this.#idCounts = ensureCapacity(this.#idCounts, this.#ids.capacity);
      this.#idLine = ensureCapacity(this.#idLine, this.#ids.capacity);
      this.#idRow = ensureCapacity(this.#idRow, this.#ids.capacity);
    }
    if (this.#idCounts[i] === 0) {
      this.#idCounts[i] = 1;
      this.#idLine[i] = line;
      this.#idRow[i] = row;
    } else {
      this.#idCounts[i] = 2;
      this.#idAgain.push(line, row, i);
    }
    if (spell === undefined) return i;

    const s = this.#spells.intern(spell);
    if (this.#spellState.length < this.#spells.capacity) {
      const capacity = this.#spells.capacity;
      this.#spellState = ensureCapacity(this.#spellState, capacity);
      this.#spellHi = ensureCapacity(this.#spellHi, capacity);
      this.#spellLo = ensureCapacity(this.#spellLo, capacity);
      this.#spellLine = ensureCapacity(this.#spellLine, capacity);
      this.#spellRow = ensureCapacity(this.#spellRow, capacity);
      this.#spellId = ensureCapacity(this.#spellId, capacity);
    }
    // Lines count from 1, so 0 marks a spell not seen before.
    if (this.#spellLine[s] === 0) {
      this.#spellLine[s] = line;
      this.#spellRow[s] = row;
      this.#spellId[s] = i;
    } else {
      this.#spellAgain.push(line, row, i, s);
    }
    if (pseudonym === null) return i;
    const hi = pseudonymWord(pseudonym, 0);
    const lo = pseudonymWord(pseudonym, 8);
    const state = this.#spellState[s];
    if (state === 0) {
      this.#spellState[s] = SPELL_ONE;
      this.#spellHi[s] = hi;
      this.#spellLo[s] = lo;
    } else if (state === SPELL_ONE && (this.#spellHi[s] !== hi || this.#spellLo[s] !== lo)) {
      this.#spellState[s] = SPELL_CONFLICT;
    }
    return i;
  }

  /** Every record the rules across records reject, in reading (line) order. */
  judge(): CrossRecordFinding[] {
    const byLine = new Map<
      number,
      { row: number; idIndex: number; dup: boolean; spell: boolean }
    >();
    const flag = (line: number, row: number, idIndex: number, kind: "dup" | "spell") => {
      let f = byLine.get(line);
      if (f === undefined) {
        f = { row, idIndex, dup: false, spell: false };
        byLine.set(line, f);
      }
      f[kind] = true;
    };
    for (let i = 0; i < Math.min(this.#ids.size, this.#idCounts.length); i++)
      if (this.#idCounts[i] === 2)
        flag(this.#idLine[i] as number, this.#idRow[i] as number, i, "dup");
    for (let k = 0; k < this.#idAgain.count; k++)
      flag(this.#idAgain.at(k, 0), this.#idAgain.at(k, 1), this.#idAgain.at(k, 2), "dup");
    for (let s = 0; s < this.#spells.size; s++) {
      if (this.#spellState[s] === SPELL_CONFLICT)
        flag(
          this.#spellLine[s] as number,
          this.#spellRow[s] as number,
          this.#spellId[s] as number,
          "spell",
        );
    }
    for (let k = 0; k < this.#spellAgain.count; k++) {
      if (this.#spellState[this.#spellAgain.at(k, 3)] === SPELL_CONFLICT)
        flag(
          this.#spellAgain.at(k, 0),
          this.#spellAgain.at(k, 1),
          this.#spellAgain.at(k, 2),
          "spell",
        );
    }
    return [...byLine]
      .sort((a, b) => a[0] - b[0])
      .map(([line, f]) => ({
        line,
        id: this.#ids.keyAt(f.idIndex),
        row: f.row,
        duplicate: f.dup,
        spellConflict: f.spell,
      }));
  }

  /** Bytes held by the tables, for the performance docs (a shared id table not included). */
  get bytes(): number {
    return (
      this.#idCounts.byteLength * 9 +
      this.#idAgain.bytes +
      this.#spells.bytes +
      this.#spellState.byteLength * 21 +
      this.#spellAgain.bytes
    );
  }
}
