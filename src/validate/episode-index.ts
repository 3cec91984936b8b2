// What PROMs and adverse events need to know about the episodes they link to: status, the
// patient (as the first 64 bits of the pseudonym) and a few dates and codes, holding no patient
// values. The episodes pass's rules across records write it, partition by partition, into a
// scratch file laid out as a hash table on disk; memory keeps only where each bucket starts
// (one or two bytes per episode). A lookup reads one bucket (a few entries, a few hundred bytes,
// from the page cache); an index of at most 8 MiB (about 200k episodes) is read into memory
// once instead, so an ordinary month makes no read per lookup while a backfill of millions
// still costs only its bucket directory. Earlier accepted submissions can be consulted through
// `prior`.
import { closeSync } from "node:fs";
import { readI32, readU32, write32 } from "../io/little-endian.ts";
import { openScratch, readFully, writeFully } from "../io/scratch-partitions.ts";
import {
  fromDay,
  keyBytes,
  keyHash,
  NO_PSEUDONYM,
  PARTITION_BITS,
  PARTITIONS,
  sameKey,
  skipKey,
  unpackCode,
  writeKey,
} from "./link-facts.ts";
import { PartitionArrays } from "./partition-arrays.ts";

export type LinkStatus = "accepted" | "rejected" | "out_of_scope";

export interface EpisodeLink {
  readonly status: LinkStatus;
  /** First 16 hex characters of the patient pseudonym (64 bits), or null. */
  readonly pseudonymPrefix: string | null;
  readonly admissionDate: string | null;
  readonly dischargeDate: string | null;
  readonly primaryProcedureDate: string | null;
  readonly dischargeMethod: string | null;
  readonly dischargeDestination: string | null;
}

/** What the rules of PROMs and adverse events ask about the episodes they link to. */
export interface EpisodeLinks {
  /** This submission's episode, else an earlier accepted one, else undefined. */
  lookup(episodeId: string): EpisodeLink | undefined;
  /** Status only (the scope check runs on every PROM and event, before anything else). */
  statusOf(episodeId: string): LinkStatus | undefined;
}

/** Episodes accepted in earlier submissions, for PROMs/events that link back to them. */
export interface PriorEpisodes {
  get(episodeId: string): EpisodeLink | undefined;
}

export const noPriorEpisodes: PriorEpisodes = { get: () => undefined };

/** Status codes as stored: 1-based positions in this list. */
export const linkStatuses: readonly LinkStatus[] = ["accepted", "rejected", "out_of_scope"];

/** One partition's episodes: parallel arrays, one slot per distinct episode id. */
export interface PartitionLinks {
  readonly count: number;
  /** Each id as writeKey wrote it: at `keyAt[i]` in `keys`, with its keyHash. */
  readonly keys: Buffer;
  readonly keyAt: Int32Array;
  readonly hash: Uint32Array;
  readonly status: Uint8Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
  readonly admission: Int32Array;
  readonly discharge: Int32Array;
  readonly procedure: Int32Array;
  readonly codes: Uint32Array;
}

// An entry: status u8, pseudonym words u32 u32, three days i32, codes u32, then the id.
const FACT_BYTES = 25;
/**
 * An index up to this size stays in memory: a read per lookup costs 3-4 us in a busy run, and
 * 8 MiB holds the ~200k episodes of even a large group's month. Larger ones (backfills) are
 * read a bucket at a time, so memory stays flat.
 */
const IN_MEMORY_BYTES = 8 << 20;
/** Mean entries per bucket: one read of a few hundred bytes per lookup. */
const ENTRIES_PER_BUCKET = 8;

export class EpisodeIndex implements EpisodeLinks {
  readonly #file: string;
  readonly #prior: PriorEpisodes;
  #fd = -1;
  #fileEnd = 0;
  /** Partitions written so far (they are written in order). */
  #partitions = 0;
  readonly #partitionStart = new Float64Array(PARTITIONS);
  readonly #bucketBase = new Int32Array(PARTITIONS);
  readonly #bucketMask = new Int32Array(PARTITIONS);
  /** Per partition, B + 1 offsets (relative to its start) of its B buckets' entries. */
  #bucketOffsets = new Uint32Array(1024);
  #bucketsUsed = 0;
  #read = Buffer.allocUnsafe(4096);
  /** The whole index when it is small enough to keep (no read per lookup), else null. */
  #whole: Buffer | null = null;
  readonly #inMemoryBytes: number;
  /** Where the last bucket scanned lies: #read, or a view of #whole. */
  #view: Buffer = this.#read;
  /** Reused for each partition written (they come one after another). */
  #write = Buffer.allocUnsafe(0);
  #key = Buffer.allocUnsafe(256);
  #lastId: string | null = null;
  #lastAt = -1;
  readonly #arrays = new PartitionArrays();

  /**
   * `file`: the scratch file's path (created when the first partition is written, then
   * unlinked). An index of at most `inMemoryBytes` is kept in memory once written.
   */
  constructor(
    file: string,
    prior: PriorEpisodes = noPriorEpisodes,
    inMemoryBytes: number = IN_MEMORY_BYTES,
  ) {
    this.#file = file;
    this.#prior = prior;
    this.#inMemoryBytes = inMemoryBytes;
  }

  /** Store partition `p`'s episodes. Partitions come in order, each once. */
  writePartition(p: number, links: PartitionLinks): void {
    if (p !== this.#partitions) throw new Error(`partition ${p} written out of order`);
    if (this.#fd < 0) this.#fd = openScratch(this.#file);
    const n = links.count;
    const keys = links.keys;
    const buckets = 2 ** Math.max(0, Math.ceil(Math.log2(n / ENTRIES_PER_BUCKET)));
    const mask = buckets - 1;
    const bucketOf = this.#arrays.uint32("bucketOf", n);
    const bytes = this.#arrays.float64("bytes", buckets + 1);
    for (let i = 0; i < n; i++) {
      const b = ((links.hash[i] as number) >>> PARTITION_BITS) & mask;
      bucketOf[i] = b;
      const keyLength = 4 + readU32(keys, links.keyAt[i] as number);
      bytes[b + 1] = (bytes[b + 1] as number) + FACT_BYTES + keyLength;
    }
    for (let b = 1; b <= buckets; b++) bytes[b] = (bytes[b] as number) + (bytes[b - 1] as number);
    const total = bytes[buckets] as number;
    if (this.#fileEnd + total > 2 ** 52 || total >= 2 ** 32)
      throw new Error("episode index partition too large");

    this.#ensureBuckets(this.#bucketsUsed + buckets + 1);
    this.#bucketOffsets.set(bytes.subarray(0, buckets + 1), this.#bucketsUsed);
    const at = this.#arrays.float64("at", buckets);
    at.set(bytes.subarray(0, buckets));
    if (this.#write.length < total) this.#write = Buffer.allocUnsafe(Math.ceil(total * 1.25));
    const out = this.#write;
    for (let i = 0; i < n; i++) {
      const b = bucketOf[i] as number;
      let o = at[b] as number;
      out[o] = links.status[i] as number;
      write32(out, o + 1, links.hi[i] as number);
      write32(out, o + 5, links.lo[i] as number);
      write32(out, o + 9, links.admission[i] as number);
      write32(out, o + 13, links.discharge[i] as number);
      write32(out, o + 17, links.procedure[i] as number);
      write32(out, o + 21, links.codes[i] as number);
      const keyAt = links.keyAt[i] as number;
      o += FACT_BYTES;
      o += keys.copy(out, o, keyAt, keyAt + 4 + readU32(keys, keyAt));
      at[b] = o;
    }
    writeFully(this.#fd, out, total, this.#fileEnd);

    this.#partitionStart[p] = this.#fileEnd;
    this.#bucketBase[p] = this.#bucketsUsed;
    this.#bucketMask[p] = mask;
    this.#bucketsUsed += buckets + 1;
    this.#fileEnd += total;
    this.#partitions++;
    this.#lastId = null;
    if (this.#partitions === PARTITIONS && this.#fileEnd <= this.#inMemoryBytes) this.#loadWhole();
  }

  /** A small index (a month of up to ~200k episodes) is read once and served from memory. */
  #loadWhole(): void {
    const whole = Buffer.allocUnsafe(this.#fileEnd);
    readFully(this.#fd, whole, 0, whole.length, 0);
    this.#whole = whole;
  }

  #ensureBuckets(needed: number): void {
    if (needed <= this.#bucketOffsets.length) return;
    const bigger = new Uint32Array(Math.max(needed, this.#bucketOffsets.length * 2));
    bigger.set(this.#bucketOffsets);
    this.#bucketOffsets = bigger;
  }

  /** Offset in the read buffer of `episodeId`'s entry, or -1 when this submission lacks it. */
  #find(episodeId: string): number {
    if (episodeId === this.#lastId) return this.#lastAt;
    const hash = keyHash(episodeId);
    const p = hash & (PARTITIONS - 1);
    let found = -1;
    if (p < this.#partitions) {
      const b =
        (this.#bucketBase[p] as number) +
        ((hash >>> PARTITION_BITS) & (this.#bucketMask[p] as number));
      const start = this.#bucketOffsets[b] as number;
      const length = (this.#bucketOffsets[b + 1] as number) - start;
      if (length > 0)
        found = this.#scan(episodeId, (this.#partitionStart[p] as number) + start, length);
    }
    this.#lastId = episodeId;
    this.#lastAt = found;
    return found;
  }

  #scan(episodeId: string, position: number, length: number): number {
    if (this.#whole !== null) {
      this.#view = this.#whole.subarray(position, position + length);
    } else {
      if (this.#read.length < length) this.#read = Buffer.allocUnsafe(length * 2);
      readFully(this.#fd, this.#read, 0, length, position);
      this.#view = this.#read;
    }
    if (this.#key.length < keyBytes(episodeId)) this.#key = Buffer.allocUnsafe(keyBytes(episodeId));
    writeKey(this.#key, 0, episodeId);
    const view = this.#view;
    for (let o = 0; o < length; ) {
      const idAt = o + FACT_BYTES;
      if (sameKey(view, idAt, this.#key, 0)) return o;
      o = skipKey(view, idAt);
    }
    return -1;
  }

  lookup(episodeId: string): EpisodeLink | undefined {
    const o = this.#find(episodeId);
    if (o === -1) return this.#prior.get(episodeId);
    const r = this.#view;
    const hi = readU32(r, o + 1);
    const lo = readU32(r, o + 5);
    const codes = readU32(r, o + 21);
    return {
      status: linkStatuses[(r[o] as number) - 1] as LinkStatus,
      pseudonymPrefix:
        hi === NO_PSEUDONYM && lo === NO_PSEUDONYM
          ? null
          : hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0"),
      admissionDate: fromDay(readI32(r, o + 9)),
      dischargeDate: fromDay(readI32(r, o + 13)),
      primaryProcedureDate: fromDay(readI32(r, o + 17)),
      dischargeMethod: unpackCode(codes >>> 16),
      dischargeDestination: unpackCode(codes & 0xffff),
    };
  }

  statusOf(episodeId: string): LinkStatus | undefined {
    const o = this.#find(episodeId);
    if (o === -1) return this.#prior.get(episodeId)?.status;
    return linkStatuses[(this.#view[o] as number) - 1];
  }

  /** Bytes held in memory (the bucket directory), for the performance docs. */
  get bytes(): number {
    return (
      this.#bucketOffsets.byteLength +
      this.#read.length +
      this.#key.length +
      (this.#whole?.length ?? 0)
    );
  }

  /** Bytes of the scratch file. */
  get fileBytes(): number {
    return this.#fileEnd;
  }

  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
    this.#partitions = 0;
    this.#lastId = null;
    this.#write = Buffer.allocUnsafe(0);
    this.#whole = null;
  }
}
