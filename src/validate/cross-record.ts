// Rules across the records of one dataset: an id that occurs more than once (every copy is
// rejected) and, for episodes, a spell whose episodes name different patients (every episode of
// the spell is rejected). The verdict needs every record, so sightings are kept as the pass goes
// and judged at the end by sorting them by id and by spell and looking at each group: no hash
// table of every key is needed beside them (a month may hold a million).

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

export class CrossRecordRules {
  readonly #seen: Sighting[] = [];

  see(s: Sighting): void {
    this.#seen.push(s);
  }

  /** Every record these rules reject, in reading order (a record breaking both is one finding). */
  judge(): CrossRecordFinding[] {
    const duplicate = rejectedGroups(
      this.#seen,
      (s) => s.id,
      (group) => group.length > 1,
    );
    const conflict = rejectedGroups(
      this.#seen,
      (s) => s.spell,
      (group) => {
        const patients = new Set(group.map((s) => s.patient ?? null));
        patients.delete(null);
        return patients.size > 1;
      },
    );
    const findings: CrossRecordFinding[] = [];
    if (duplicate.size === 0 && conflict.size === 0) return findings;
    for (const s of this.#seen) {
      const isDuplicate = duplicate.has(s);
      const isConflict = conflict.has(s);
      if (isDuplicate || isConflict) {
        const { line, id, row } = s;
        findings.push({ line, id, row, duplicate: isDuplicate, spellConflict: isConflict });
      }
    }
    return findings;
  }
}

/** The sightings in every group of equal keys that `rejects` (a sighting without a key: none). */
function rejectedGroups(
  seen: readonly Sighting[],
  keyOf: (s: Sighting) => string | undefined,
  rejects: (group: Sighting[]) => boolean,
): Set<Sighting> {
  const keyed = seen.filter((s) => keyOf(s) !== undefined);
  keyed.sort((a, b) => compare(keyOf(a) as string, keyOf(b) as string));
  const rejected = new Set<Sighting>();
  for (let start = 0; start < keyed.length; ) {
    const key = keyOf(keyed[start] as Sighting);
    let end = start + 1;
    while (end < keyed.length && keyOf(keyed[end] as Sighting) === key) end++;
    if (end - start > 1) {
      const group = keyed.slice(start, end);
      if (rejects(group)) for (const s of group) rejected.add(s);
    }
    start = end;
  }
  return rejected;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
