// Rules across the records of one dataset: an id that occurs more than once (every copy is
// rejected) and, for episodes, a spell whose episodes name different patients (every episode of
// the spell is rejected). Records are seen during the pass; the verdict needs them all.

/** One in-scope record with an id, as the pass saw it (in reading order). */
export interface Sighting {
  readonly line: number;
  readonly id: string;
  /** Its row among the dataset's accepted records, or null when its own rules rejected it. */
  readonly row: number | null;
  /** Episodes only: the spell and the patient (a record without a pseudonym cannot conflict). */
  readonly spell?: string | undefined;
  readonly pseudonym?: string | null;
}

/** A record the rules across records reject, with why. */
export interface CrossRecordFinding {
  readonly line: number;
  readonly id: string;
  readonly row: number | null;
  duplicate: boolean;
  spellConflict: boolean;
}

interface Spell {
  /** The first patient seen in the spell. */
  patient: string | null;
  conflict: boolean;
  /** Positions in #seen. */
  readonly members: number[];
}

export class CrossRecordRules {
  readonly #seen: Sighting[] = [];
  /** Id -> positions in #seen. */
  readonly #copies = new Map<string, number[]>();
  readonly #spells = new Map<string, Spell>();

  see(s: Sighting): void {
    const at = this.#seen.push(s) - 1;
    const copies = this.#copies.get(s.id);
    if (copies === undefined) this.#copies.set(s.id, [at]);
    else copies.push(at);
    if (s.spell === undefined) return;

    const pseudonym = s.pseudonym ?? null;
    const spell = this.#spells.get(s.spell);
    if (spell === undefined) {
      this.#spells.set(s.spell, { patient: pseudonym, conflict: false, members: [at] });
      return;
    }
    spell.members.push(at);
    if (pseudonym === null) return;
    if (spell.patient === null) spell.patient = pseudonym;
    else if (spell.patient !== pseudonym) spell.conflict = true;
  }

  /** Every record these rules reject, in reading order (a record breaking both is one finding). */
  judge(): CrossRecordFinding[] {
    const found = new Map<number, CrossRecordFinding>();
    const finding = (at: number): CrossRecordFinding => {
      let f = found.get(at);
      if (f === undefined) {
        const { line, id, row } = this.#seen[at] as Sighting;
        f = { line, id, row, duplicate: false, spellConflict: false };
        found.set(at, f);
      }
      return f;
    };
    for (const copies of this.#copies.values())
      if (copies.length > 1) for (const at of copies) finding(at).duplicate = true;
    for (const spell of this.#spells.values())
      if (spell.conflict) for (const at of spell.members) finding(at).spellConflict = true;
    return [...found.entries()].sort(([a], [b]) => a - b).map(([, f]) => f);
  }
}
