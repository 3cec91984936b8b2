// Rules across the records of one dataset: an id that occurs more than once (every copy is
// rejected) and, for episodes, a spell whose episodes name different patients (every episode of
// the spell is rejected). Records are seen during the pass and kept as columns (a month may hold
// a million); the verdict needs them all, so they are judged at the end by sorting them by id
// and by spell and looking at each group, rather than by keeping hash tables of every key.

/** One in-scope record with an id, as the pass saw it (in reading order). */
export interface Sighting {
  readonly line: number;
  readonly id: string;
  /** Its row among the dataset's accepted records, or null when its own rules rejected it. */
  readonly row: number | null;
  /** Episodes only: the spell and its patient (patientKey; without one it cannot conflict). */
  readonly spell?: string | undefined;
  readonly patient?: number | null;
}

/** A record the rules across records reject, with why. */
export interface CrossRecordFinding {
  readonly line: number;
  readonly id: string;
  readonly row: number | null;
  readonly duplicate: boolean;
  readonly spellConflict: boolean;
}

/** No patient, in the patient column (keys are never negative). */
const NO_PATIENT = -1;

export class CrossRecordRules {
  readonly #lines: number[] = [];
  readonly #ids: string[] = [];
  readonly #rows: (number | null)[] = [];
  readonly #spells: (string | undefined)[] = [];
  readonly #patients: number[] = [];

  see(s: Sighting): void {
    this.#lines.push(s.line);
    this.#ids.push(s.id);
    this.#rows.push(s.row);
    this.#spells.push(s.spell);
    this.#patients.push(s.patient ?? NO_PATIENT);
  }

  /** Every record these rules reject, in reading order (a record breaking both is one finding). */
  judge(): CrossRecordFinding[] {
    const duplicate = this.#groups(this.#ids, (group) => group.length > 1);
    const conflict = this.#groups(this.#spells, (group) => {
      const patients = new Set(group.map((at) => this.#patients[at]));
      patients.delete(NO_PATIENT);
      return patients.size > 1;
    });
    const findings: CrossRecordFinding[] = [];
    for (let at = 0; at < this.#ids.length; at++) {
      if (!duplicate.has(at) && !conflict.has(at)) continue;
      findings.push({
        line: this.#lines[at] as number,
        id: this.#ids[at] as string,
        row: this.#rows[at] ?? null,
        duplicate: duplicate.has(at),
        spellConflict: conflict.has(at),
      });
    }
    return findings;
  }

  /** Positions of the sightings in every group of equal keys that `rejects` (no key, no group). */
  #groups(
    keys: readonly (string | undefined)[],
    rejects: (group: number[]) => boolean,
  ): Set<number> {
    const order = Array.from(keys.keys()).filter((at) => keys[at] !== undefined);
    order.sort((a, b) => compare(keys[a] as string, keys[b] as string));
    const rejected = new Set<number>();
    for (let start = 0; start < order.length; ) {
      let end = start + 1;
      while (end < order.length && keys[order[end] as number] === keys[order[start] as number])
        end++;
      if (end - start > 1) {
        const group = order.slice(start, end);
        if (rejects(group)) for (const at of group) rejected.add(at);
      }
      start = end;
    }
    return rejected;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
