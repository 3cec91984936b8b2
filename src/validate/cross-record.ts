// Rules across records (datasets.md): duplicate record ids, and a spell shared by different
// patients. Seen once per record during the pass, judged once at the end: every copy of a
// duplicate, and every episode of a conflicting spell, is rejected and reported.

const CONFLICT = "";

export class CrossRecordTracker {
  readonly #idCounts = new Map<string, number>();
  /** spell id -> first patient pseudonym, or CONFLICT once two differ. */
  readonly #spells = new Map<string, string>();

  see(id: string, spell?: string, pseudonym?: string | null): void {
    this.#idCounts.set(id, (this.#idCounts.get(id) ?? 0) + 1);
    if (spell === undefined || pseudonym === undefined || pseudonym === null) return;
    const first = this.#spells.get(spell);
    if (first === undefined) this.#spells.set(spell, pseudonym);
    else if (first !== pseudonym) this.#spells.set(spell, CONFLICT);
  }

  isDuplicate(id: string): boolean {
    return (this.#idCounts.get(id) ?? 0) > 1;
  }

  isSpellConflict(spell: string): boolean {
    return this.#spells.get(spell) === CONFLICT;
  }
}
