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
    const seen = this.#seen;
    const duplicate = groups(
      seen,
      (s) => s.id,
      (group) => group.length > 1,
    );
    const conflict = groups(
      seen,
      (s) => s.spell,
      (group) => {
        const patients = new Set(group.map((at) => seen[at]?.patient ?? null));
        patients.delete(null);
        return patients.size > 1;
      },
    );
    const findings: CrossRecordFinding[] = [];
    seen.forEach(({ line, id, row }, at) => {
      if (duplicate.has(at) || conflict.has(at))
        findings.push({
          line,
          id,
          row,
          duplicate: duplicate.has(at),
          spellConflict: conflict.has(at),
        });
    });
    return findings;
  }
}

/** Positions of the sightings in every group of equal keys that `rejects` (no key, no group). */
function groups(
  seen: readonly Sighting[],
  keyOf: (s: Sighting) => string | undefined,
  rejects: (group: number[]) => boolean,
): Set<number> {
  const order = Array.from(seen.keys()).filter((at) => keyOf(seen[at] as Sighting) !== undefined);
  const key = (at: number) => keyOf(seen[at] as Sighting) as string;
  order.sort((a, b) => compare(key(a), key(b)));
  const rejected = new Set<number>();
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && key(order[end] as number) === key(order[start] as number)) end++;
    if (end - start > 1) {
      const group = order.slice(start, end);
      if (rejects(group)) for (const at of group) rejected.add(at);
    }
    start = end;
  }
  return rejected;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
