// Rules across the records of one dataset: an id that occurs more than once (every copy is
// rejected) and, for episodes, a spell whose episodes name different patients (every episode of
// the spell is rejected). Records are seen during the pass; the verdict needs them all.

/** One in-scope record with an id, numbered in reading order by the pass. */
export interface Sighting {
  /** The record's number in the dataset, in reading order. */
  readonly seq: number;
  readonly line: number;
  readonly id: string;
  /** Accepted by the rules of the record itself (so it waits for the bundle). */
  readonly accepted: boolean;
  /** Episodes only: the spell and the patient (a record without a pseudonym cannot conflict). */
  readonly spell?: string | undefined;
  readonly pseudonym?: string | null;
}

/** A record the rules across records reject, with why. */
export interface CrossRecordFinding {
  readonly seq: number;
  readonly line: number;
  readonly id: string;
  readonly accepted: boolean;
  duplicate: boolean;
  spellConflict: boolean;
}

interface Spell {
  /** The first patient seen in the spell. */
  patient: string | null;
  conflict: boolean;
  readonly members: number[];
}

export class CrossRecordRules {
  readonly #seen = new Map<number, Sighting>();
  readonly #copies = new Map<string, number[]>();
  readonly #spells = new Map<string, Spell>();

  see(s: Sighting): void {
    this.#seen.set(s.seq, s);
    const copies = this.#copies.get(s.id);
    if (copies === undefined) this.#copies.set(s.id, [s.seq]);
    else copies.push(s.seq);
    if (s.spell === undefined) return;

    const pseudonym = s.pseudonym ?? null;
    const spell = this.#spells.get(s.spell);
    if (spell === undefined) {
      this.#spells.set(s.spell, { patient: pseudonym, conflict: false, members: [s.seq] });
      return;
    }
    spell.members.push(s.seq);
    if (pseudonym === null) return;
    if (spell.patient === null) spell.patient = pseudonym;
    else if (spell.patient !== pseudonym) spell.conflict = true;
  }

  /** Every record these rules reject, in reading order (a record breaking both is one finding). */
  judge(): CrossRecordFinding[] {
    const found = new Map<number, CrossRecordFinding>();
    const finding = (seq: number): CrossRecordFinding => {
      let f = found.get(seq);
      if (f === undefined) {
        const { line, id, accepted } = this.#seen.get(seq) as Sighting;
        f = { seq, line, id, accepted, duplicate: false, spellConflict: false };
        found.set(seq, f);
      }
      return f;
    };
    for (const copies of this.#copies.values())
      if (copies.length > 1) for (const seq of copies) finding(seq).duplicate = true;
    for (const spell of this.#spells.values())
      if (spell.conflict) for (const seq of spell.members) finding(seq).spellConflict = true;
    return [...found.values()].sort((a, b) => a.seq - b.seq);
  }
}
