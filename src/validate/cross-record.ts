// Rules across records (docs/datasets.md): duplicate record ids, and a spell shared by different
// patients. Seen once per record during the pass, judged once at the end: every copy of a
// duplicate, and every episode of a conflicting spell, is rejected and reported.
//
// Memory stays flat whatever the input's size: each sighting is written to a scratch file,
// partitioned by a hash of its id (and, for episodes, a second one by its spell), and the
// judging reads back one partition at a time. A partition holds every sighting of its keys,
// so it is judged on its own with ordinary maps. The episodes pass also leaves here, per
// id partition, the facts PROMs and events link against (`EpisodeIndex`).
//
// The pass needs no staging copy of the records: accepted rows go straight to the bundle, and
// the few a rule across records rejects are found here by their row number.
import path from "node:path";
import { readI32, readU32, write32 } from "../io/little-endian.ts";
import { ScratchPartitions } from "../io/scratch-partitions.ts";
import {
  type EpisodeIndex,
  type EpisodeLink,
  linkStatuses,
  type PartitionLinks,
} from "./episode-index.ts";
import {
  keyBytes,
  keyHash,
  NO_PSEUDONYM,
  PARTITIONS,
  packCode,
  pseudonymWord,
  readKey,
  sameKey,
  skipKey,
  toDay,
  writeKey,
} from "./link-facts.ts";
import { PartitionArrays } from "./partition-arrays.ts";

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

// A sighting: kind u8, status u8, line i32, row i32, the id's keyHash u32, then (episodes
// only) the link facts: pseudonym words u32 u32, three days i32, codes u32; then the id.
// The hash is stored so that judging groups keys by their bytes, never decoding them.
const SEEN = 1;
/** An out-of-scope episode: known to the index, but not a sighting for the rules. */
const INDEX_ONLY = 0;
const HASH_AT = 10;
const HEAD_BYTES = 14;
const FACT_BYTES = 24;

// A spell sighting: line i32, row i32, pseudonym words u32 u32, the spell's keyHash u32, then
// the spell and the id.
const SPELL_HASH_AT = 16;
const SPELL_HEAD_BYTES = 20;

const SPELL_ONE = 1;
const SPELL_CONFLICT = 2;

const outOfScopeLink: EpisodeLink = {
  status: "out_of_scope",
  pseudonymPrefix: null,
  admissionDate: null,
  dischargeDate: null,
  primaryProcedureDate: null,
  dischargeMethod: null,
  dischargeDestination: null,
};

export interface CrossRecordOptions {
  /** A private folder for the scratch files (unlinked as soon as they are opened). */
  readonly scratchDir: string;
  /** Names the scratch files. */
  readonly name: string;
  /** The episodes pass: the index to fill for PROMs and events. */
  readonly index?: EpisodeIndex;
}

export class CrossRecordKeys {
  readonly #ids: ScratchPartitions;
  #spells: ScratchPartitions | null = null;
  readonly #options: CrossRecordOptions;
  readonly #index: EpisodeIndex | null;
  readonly #arrays = new PartitionArrays();

  constructor(options: CrossRecordOptions) {
    this.#options = options;
    this.#index = options.index ?? null;
    this.#ids = new ScratchPartitions(
      path.join(options.scratchDir, `.${options.name}-ids.scratch`),
      PARTITIONS,
    );
  }

  /**
   * One record with an id. `spell` only for episodes; a record without a pseudonym still belongs
   * to its spell but cannot make it conflict. `row` is its row in the bundle or NOT_WRITTEN.
   * `link`: what the episode index keeps (episodes only).
   */
  see(
    id: string,
    spell: string | undefined,
    pseudonym: string | null,
    line: number,
    row: number,
    link?: EpisodeLink,
  ): void {
    const hi = pseudonym === null ? NO_PSEUDONYM : pseudonymWord(pseudonym, 0);
    const lo = pseudonym === null ? NO_PSEUDONYM : pseudonymWord(pseudonym, 8);
    this.#sighting(SEEN, id, line, row, hi, lo, link);
    if (spell === undefined) return;

    if (this.#spells === null)
      this.#spells = new ScratchPartitions(
        path.join(this.#options.scratchDir, `.${this.#options.name}-spells.scratch`),
        PARTITIONS,
      );
    const spells = this.#spells;
    const hash = keyHash(spell);
    let o = spells.begin(
      hash & (PARTITIONS - 1),
      SPELL_HEAD_BYTES + keyBytes(spell) + keyBytes(id),
    );
    const b = spells.buffer;
    write32(b, o, line);
    write32(b, o + 4, row);
    write32(b, o + 8, hi);
    write32(b, o + 12, lo);
    write32(b, o + SPELL_HASH_AT, hash);
    o = writeKey(b, o + SPELL_HEAD_BYTES, spell);
    spells.end(writeKey(b, o, id));
  }

  /** An out-of-scope episode: the index must know it (its PROMs are out of scope too). */
  outOfScope(id: string, line: number): void {
    this.#sighting(INDEX_ONLY, id, line, NOT_WRITTEN, NO_PSEUDONYM, NO_PSEUDONYM, outOfScopeLink);
  }

  #sighting(
    kind: number,
    id: string,
    line: number,
    row: number,
    hi: number,
    lo: number,
    link: EpisodeLink | undefined,
  ): void {
    const withFacts = this.#index !== null;
    const hash = keyHash(id);
    let o = this.#ids.begin(
      hash & (PARTITIONS - 1),
      HEAD_BYTES + (withFacts ? FACT_BYTES : 0) + keyBytes(id),
    );
    const b = this.#ids.buffer;
    b[o] = kind;
    b[o + 1] = link === undefined ? 0 : linkStatuses.indexOf(link.status) + 1;
    write32(b, o + 2, line);
    write32(b, o + 6, row);
    write32(b, o + HASH_AT, hash);
    o += HEAD_BYTES;
    if (withFacts) {
      write32(b, o, hi);
      write32(b, o + 4, lo);
      write32(b, o + 8, toDay(link?.admissionDate ?? null));
      write32(b, o + 12, toDay(link?.dischargeDate ?? null));
      write32(b, o + 16, toDay(link?.primaryProcedureDate ?? null));
      write32(
        b,
        o + 20,
        ((packCode(link?.dischargeMethod ?? null) << 16) |
          packCode(link?.dischargeDestination ?? null)) >>>
          0,
      );
      o += FACT_BYTES;
    }
    this.#ids.end(writeKey(b, o, id));
  }

  /**
   * Every record the rules across records reject, in reading (line) order. The episodes pass's
   * keys also write the episode index here, with the episodes these findings reject marked so.
   */
  judge(): Iterable<CrossRecordFinding> {
    const findings = new Findings();
    const spellRejected = this.#judgeSpells(findings);
    for (let p = 0; p < PARTITIONS; p++) this.#judgeIds(p, findings, spellRejected);
    return findings.inLineOrder();
  }

  /** Spell conflicts into `findings`; returns the sorted lines of those with a bundle row. */
  #judgeSpells(findings: Findings): IntList {
    const rejected = new IntList();
    if (this.#spells === null) return rejected;
    for (let p = 0; p < PARTITIONS; p++) {
      const b = this.#spells.read(p);
      const arrays = this.#arrays;
      const { size, at, group, count } = groupEntries(
        arrays,
        b,
        SPELL_HASH_AT,
        SPELL_HEAD_BYTES,
        (o) => skipKey(b, skipKey(b, o + SPELL_HEAD_BYTES)),
      );
      const state = arrays.uint8("state", count);
      const groupHi = arrays.uint32("hi", count);
      const groupLo = arrays.uint32("lo", count);
      for (let e = 0; e < size; e++) {
        const o = at[e] as number;
        const g = group[e] as number;
        const hi = readU32(b, o + 8);
        const lo = readU32(b, o + 12);
        if (hi === NO_PSEUDONYM && lo === NO_PSEUDONYM) continue;
        if (state[g] === 0) {
          state[g] = SPELL_ONE;
          groupHi[g] = hi;
          groupLo[g] = lo;
        } else if (state[g] === SPELL_ONE && (groupHi[g] !== hi || groupLo[g] !== lo)) {
          state[g] = SPELL_CONFLICT;
        }
      }
      for (let e = 0; e < size; e++) {
        if (state[group[e] as number] !== SPELL_CONFLICT) continue;
        const o = at[e] as number;
        const row = readI32(b, o + 4);
        findings.add(readI32(b, o), readKey(b, skipKey(b, o + SPELL_HEAD_BYTES)), row, false);
        if (row !== NOT_WRITTEN) rejected.push(readI32(b, o));
      }
    }
    return rejected.sort();
  }

  /** Duplicate ids of partition `p` into `findings`; with an index, its episodes into it. */
  #judgeIds(p: number, findings: Findings, spellRejected: IntList): void {
    const b = this.#ids.read(p);
    const idAt = HEAD_BYTES + (this.#index !== null ? FACT_BYTES : 0);
    const arrays = this.#arrays;
    const entries = groupEntries(arrays, b, HASH_AT, idAt, (o) => skipKey(b, o + idAt));
    const { size, at, group, keyAt, count } = entries;
    const seen = arrays.uint32("seen", count);
    for (let e = 0; e < size; e++) {
      const g = group[e] as number;
      if (b[at[e] as number] === SEEN) seen[g] = (seen[g] as number) + 1;
    }
    const rejected = arrays.uint8("rejected", count);
    for (let e = 0; e < size; e++) {
      const o = at[e] as number;
      if (b[o] !== SEEN) continue;
      const g = group[e] as number;
      const line = readI32(b, o + 2);
      const row = readI32(b, o + 6);
      const duplicate = (seen[g] as number) > 1;
      if (duplicate) findings.add(line, readKey(b, keyAt[g] as number), row, true);
      if (row !== NOT_WRITTEN && (duplicate || spellRejected.has(line))) rejected[g] = 1;
    }
    if (this.#index !== null) this.#index.writePartition(p, linksOf(arrays, b, entries, rejected));
  }

  /** Bytes of the scratch files (for the performance docs). */
  get fileBytes(): number {
    return this.#ids.fileBytes + (this.#spells?.fileBytes ?? 0);
  }

  close(): void {
    this.#ids.close();
    this.#spells?.close();
  }
}

/** One partition's entries (arrays from PartitionArrays: only the first `size`/`count` count). */
interface Grouped {
  readonly size: number;
  /** Per entry, where it starts. */
  readonly at: Int32Array;
  /** Per entry, its key's group number. */
  readonly group: Int32Array;
  /** Distinct keys (groups). */
  readonly count: number;
  /** Per group: where its key (as writeKey wrote it) lies in the partition, and its keyHash. */
  readonly keyAt: Int32Array;
  readonly hash: Uint32Array;
}

/**
 * Numbers the keys of a partition by comparing their bytes in place, in an open-addressing
 * table keyed by the stored hash: no key becomes a string (at 3M episodes, decoding ~12k keys
 * per partition into a Map made the judging phase the run's peak of memory). `hashAt` and
 * `keyAt` are offsets within an entry; `next` steps from one entry to the next.
 */
function groupEntries(
  arrays: PartitionArrays,
  b: Buffer,
  hashAt: number,
  keyOffset: number,
  next: (o: number) => number,
): Grouped {
  let n = 0;
  for (let o = 0; o < b.length; o = next(o)) n++;
  const at = arrays.int32("at", n);
  for (let o = 0, e = 0; o < b.length; o = next(o)) at[e++] = o;
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const mask = (1 << bits) - 1;
  const slots = arrays.int32("slots", 1 << bits, -1);
  const group = arrays.int32("group", n);
  const keyAt = arrays.int32("keyAt", n);
  const hash = arrays.uint32("hash", n);
  let count = 0;
  for (let e = 0; e < n; e++) {
    const o = at[e] as number;
    const h = readU32(b, o + hashAt);
    const k = o + keyOffset;
    // Every hash of a partition shares its low bits: Fibonacci hashing spreads the rest.
    let slot = Math.imul(h, 0x9e3779b1) >>> (32 - bits);
    let g = slots[slot] as number;
    while (g !== -1 && !(hash[g] === h && sameKey(b, keyAt[g] as number, b, k))) {
      slot = (slot + 1) & mask;
      g = slots[slot] as number;
    }
    if (g === -1) {
      g = count++;
      slots[slot] = g;
      keyAt[g] = k;
      hash[g] = h;
    }
    group[e] = g;
  }
  return { size: n, at, group, count, keyAt, hash };
}

/**
 * The episode index's view of one id partition: each id's facts from its sightings in reading
 * order (an in-scope sighting outranks an out-of-scope one; otherwise the later wins), then
 * "rejected" for the ids a rule across records rejects.
 */
function linksOf(
  arrays: PartitionArrays,
  b: Buffer,
  entries: Grouped,
  rejected: Uint8Array,
): PartitionLinks {
  const n = entries.count;
  const links = {
    count: n,
    keys: b,
    keyAt: entries.keyAt,
    hash: entries.hash,
    status: arrays.uint8("status", n),
    hi: arrays.uint32("linkHi", n),
    lo: arrays.uint32("linkLo", n),
    admission: arrays.int32("admission", n),
    discharge: arrays.int32("discharge", n),
    procedure: arrays.int32("procedure", n),
    codes: arrays.uint32("codes", n),
  };
  const OUT_OF_SCOPE = linkStatuses.indexOf("out_of_scope") + 1;
  const REJECTED = linkStatuses.indexOf("rejected") + 1;
  for (let e = 0; e < entries.size; e++) {
    const o = entries.at[e] as number;
    const g = entries.group[e] as number;
    const status = b[o + 1] as number;
    const existing = links.status[g] as number;
    if (existing !== 0 && existing !== OUT_OF_SCOPE && status === OUT_OF_SCOPE) continue;
    const f = o + HEAD_BYTES;
    links.status[g] = status;
    links.hi[g] = readU32(b, f);
    links.lo[g] = readU32(b, f + 4);
    links.admission[g] = readI32(b, f + 8);
    links.discharge[g] = readI32(b, f + 12);
    links.procedure[g] = readI32(b, f + 16);
    links.codes[g] = readU32(b, f + 20);
  }
  for (let g = 0; g < n; g++) if (rejected[g] === 1) links.status[g] = REJECTED;
  return links;
}

/** A growable list of int32 values; once sorted, `has` finds one by halving. */
export class IntList {
  #data = new Int32Array(64);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Int32Array(this.#length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#length++] = value;
  }

  get size(): number {
    return this.#length;
  }

  at(i: number): number {
    return this.#data[i] as number;
  }

  sort(): this {
    this.#data.subarray(0, this.#length).sort();
    return this;
  }

  /** Whether the (sorted) list holds `value`. */
  has(value: number): boolean {
    let low = 0;
    let high = this.#length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const v = this.#data[mid] as number;
      if (v === value) return true;
      if (v < value) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}

const DUPLICATE = 1;
const SPELL = 2;

/**
 * Findings from every partition, merged per line (a record can break both rules). Kept in typed
 * arrays and one byte arena of ids, off the JavaScript heap: a mapping that reads a constant
 * column as the id makes every record a duplicate, and that must cost bytes, not objects.
 */
class Findings {
  readonly #lines = new IntList();
  readonly #rows = new IntList();
  readonly #kinds = new IntList();
  readonly #idAt = new IntList();
  #ids = Buffer.allocUnsafe(1024);
  #idsUsed = 0;

  add(line: number, id: string, row: number, duplicate: boolean): void {
    this.#lines.push(line);
    this.#rows.push(row);
    this.#kinds.push(duplicate ? DUPLICATE : SPELL);
    if (this.#idsUsed + keyBytes(id) > this.#ids.length) {
      const bigger = Buffer.allocUnsafe(
        Math.max(this.#ids.length * 2, this.#idsUsed + keyBytes(id)),
      );
      this.#ids.copy(bigger, 0, 0, this.#idsUsed);
      this.#ids = bigger;
    }
    this.#idAt.push(this.#idsUsed);
    this.#idsUsed = writeKey(this.#ids, this.#idsUsed, id);
  }

  *inLineOrder(): Generator<CrossRecordFinding> {
    const lines = this.#lines;
    const order = new Uint32Array(lines.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => lines.at(a) - lines.at(b));
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      let kinds = this.#kinds.at(i);
      // Both rules can flag one line: it is one finding.
      while (k + 1 < order.length && lines.at(order[k + 1] as number) === lines.at(i))
        kinds |= this.#kinds.at(order[++k] as number);
      yield {
        line: lines.at(i),
        id: readKey(this.#ids, this.#idAt.at(i)),
        row: this.#rows.at(i),
        duplicate: (kinds & DUPLICATE) !== 0,
        spellConflict: (kinds & SPELL) !== 0,
      };
    }
  }
}
