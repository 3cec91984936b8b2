// Rules across records (datasets.md): duplicate record ids, and a spell shared by different
// patients. Seen once per record during the pass, judged once at the end: every copy of a
// duplicate, and every episode of a conflicting spell, is rejected and reported. Kept in
// compact key tables so a million episodes cost tens of megabytes, not hundreds.
import { ensureCapacity, KeyTable } from "./key-table.ts";

/** First 64 bits of a hex pseudonym: HMAC output is uniform, so this identifies the patient. */
export function pseudonymPrefix(pseudonym: string): [number, number] {
  return [
    Number.parseInt(pseudonym.slice(0, 8), 16) >>> 0,
    Number.parseInt(pseudonym.slice(8, 16), 16) >>> 0,
  ];
}

const SPELL_ONE = 1;
const SPELL_CONFLICT = 2;

export class CrossRecordTracker {
  readonly #ids = new KeyTable(1 << 16);
  #idCounts = new Uint8Array(1 << 16);
  readonly #spells = new KeyTable(1 << 16);
  #spellState = new Uint8Array(1 << 16);
  #spellHi = new Uint32Array(1 << 16);
  #spellLo = new Uint32Array(1 << 16);

  see(id: string, spell?: string, pseudonym?: string | null): void {
    const i = this.#ids.intern(id);
    this.#idCounts = ensureCapacity(this.#idCounts, this.#ids.capacity);
    if ((this.#idCounts[i] as number) < 2) this.#idCounts[i] = (this.#idCounts[i] as number) + 1;
    if (spell === undefined || pseudonym === undefined || pseudonym === null) return;
    const s = this.#spells.intern(spell);
    if (this.#spellState.length < this.#spells.capacity) {
      this.#spellState = ensureCapacity(this.#spellState, this.#spells.capacity);
      this.#spellHi = ensureCapacity(this.#spellHi, this.#spells.capacity);
      this.#spellLo = ensureCapacity(this.#spellLo, this.#spells.capacity);
    }
    const [hi, lo] = pseudonymPrefix(pseudonym);
    const state = this.#spellState[s];
    if (state === 0) {
      this.#spellState[s] = SPELL_ONE;
      this.#spellHi[s] = hi;
      this.#spellLo[s] = lo;
    } else if (state === SPELL_ONE && (this.#spellHi[s] !== hi || this.#spellLo[s] !== lo)) {
      this.#spellState[s] = SPELL_CONFLICT;
    }
  }

  isDuplicate(id: string): boolean {
    const i = this.#ids.find(id);
    return i !== -1 && this.#idCounts[i] === 2;
  }

  isSpellConflict(spell: string): boolean {
    const s = this.#spells.find(spell);
    return s !== -1 && this.#spellState[s] === SPELL_CONFLICT;
  }

  /** Bytes held by the tables, for the performance docs. */
  get bytes(): number {
    return (
      this.#ids.bytes +
      this.#idCounts.byteLength +
      this.#spells.bytes +
      this.#spellState.byteLength * 9
    );
  }
}
