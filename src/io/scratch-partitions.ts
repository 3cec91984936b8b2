// A scratch file of variable-length entries, each filed under one of a fixed number of
// partitions, so that a later step can read back one partition at a time in bounded memory.
// This is how the key sets of the rules across records leave the heap (docs/performance.md):
// memory holds one staging buffer and, at the end, one partition, whatever the input's size.
//
// Entries are staged in one buffer. When it fills, they are grouped by partition (stably, so a
// partition keeps its entries' order) and written as one block; each partition remembers where
// its piece of each block lies. The file is unlinked as soon as it is opened: it lives exactly
// as long as its descriptor, so no run, not even a killed one, leaves it behind.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";

/** Create `file` (0600) for reading and writing and unlink it at once: only the descriptor is left. */
export function openScratch(file: string): number {
  const fd = openSync(file, "wx+", 0o600);
  unlinkSync(file);
  return fd;
}

/** Read exactly `length` bytes at `position` into `into[at..]` (reads may come back short). */
export function readFully(
  fd: number,
  into: Uint8Array,
  at: number,
  length: number,
  position: number,
): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) throw new Error("scratch file shorter than written");
    done += n;
  }
}

/** Write `from[0..length)` at `position` (writes may go out short). */
export function writeFully(fd: number, from: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, from, done, length - done, position + done);
}

// Two of these per file (staging and grouping): 2 MiB, flushed as 1 MiB blocks.
const STAGE_BYTES = 1 << 20;

export class ScratchPartitions {
  readonly partitions: number;
  #fd: number;
  #stage: Buffer;
  #out: Buffer;
  #used = 0;
  /** Start offset in the stage of each staged entry, and its partition. */
  #starts = new Int32Array(16_384);
  #partOf = new Uint16Array(16_384);
  #count = 0;
  #fileEnd = 0;
  /** Per partition: (file offset, length) pairs of its pieces, in writing order. */
  readonly #pieces: number[][];
  #entryStart = -1;
  #readBuffer = Buffer.allocUnsafe(0);

  constructor(file: string, partitions: number, stageBytes = STAGE_BYTES) {
    this.partitions = partitions;
    this.#fd = openScratch(file);
    this.#stage = Buffer.allocUnsafe(stageBytes);
    this.#out = Buffer.allocUnsafe(stageBytes);
    this.#pieces = Array.from({ length: partitions }, () => []);
  }

  /** The buffer entries are written into; valid until the next `begin`. */
  get buffer(): Buffer {
    return this.#stage;
  }

  /**
   * Start an entry of at most `maxBytes` in `partition`; returns the offset in `buffer` to write
   * it at. Close it with `end`.
   */
  begin(partition: number, maxBytes: number): number {
    if (this.#used + maxBytes > this.#stage.length) {
      this.#flush();
      if (maxBytes > this.#stage.length) {
        this.#stage = Buffer.allocUnsafe(maxBytes);
        this.#out = Buffer.allocUnsafe(maxBytes);
      }
    }
    if (this.#count === this.#starts.length) {
      const starts = new Int32Array(this.#count * 2);
      starts.set(this.#starts);
      this.#starts = starts;
      const partOf = new Uint16Array(this.#count * 2);
      partOf.set(this.#partOf);
      this.#partOf = partOf;
    }
    this.#starts[this.#count] = this.#used;
    this.#partOf[this.#count] = partition;
    this.#entryStart = this.#used;
    return this.#used;
  }

  /** Close the entry `begin` opened; `end` is the offset just past its last byte. */
  end(end: number): void {
    if (this.#entryStart < 0) throw new Error("end() without begin()");
    this.#used = end;
    this.#count++;
    this.#entryStart = -1;
  }

  /** Bytes written to the file so far (for the performance docs). */
  get fileBytes(): number {
    return this.#fileEnd + this.#used;
  }

  /**
   * Every entry of `partition`, in the order they were written, as one buffer; valid until the
   * next `read` (one buffer is reused: partitions are read one after another).
   */
  read(partition: number): Buffer {
    this.#flush();
    const pieces = this.#pieces[partition] as number[];
    let total = 0;
    for (let i = 1; i < pieces.length; i += 2) total += pieces[i] as number;
    if (this.#readBuffer.length < total)
      this.#readBuffer = Buffer.allocUnsafe(Math.ceil(total * 1.25));
    const into = this.#readBuffer.subarray(0, total);
    let at = 0;
    for (let i = 0; i < pieces.length; i += 2) {
      const length = pieces[i + 1] as number;
      readFully(this.#fd, into, at, length, pieces[i] as number);
      at += length;
    }
    return into;
  }

  close(): void {
    if (this.#fd < 0) return;
    closeSync(this.#fd);
    this.#fd = -1;
  }

  /** Write the staged entries as one block, grouped by partition. */
  #flush(): void {
    if (this.#count === 0) return;
    const sizes = new Float64Array(this.partitions + 1);
    for (let e = 0; e < this.#count; e++) {
      const end = e + 1 < this.#count ? (this.#starts[e + 1] as number) : this.#used;
      const p = (this.#partOf[e] as number) + 1;
      sizes[p] = (sizes[p] as number) + end - (this.#starts[e] as number);
    }
    // sizes[p + 1] -> where partition p starts in the block (prefix sums), kept for the pieces.
    for (let p = 1; p <= this.partitions; p++)
      sizes[p] = (sizes[p] as number) + (sizes[p - 1] as number);
    const starts = sizes.slice();
    for (let e = 0; e < this.#count; e++) {
      const from = this.#starts[e] as number;
      const end = e + 1 < this.#count ? (this.#starts[e + 1] as number) : this.#used;
      const p = this.#partOf[e] as number;
      const to = sizes[p] as number;
      this.#stage.copy(this.#out, to, from, end);
      sizes[p] = to + end - from;
    }
    writeFully(this.#fd, this.#out, this.#used, this.#fileEnd);
    for (let p = 0; p < this.partitions; p++) {
      const length = (starts[p + 1] as number) - (starts[p] as number);
      if (length > 0)
        (this.#pieces[p] as number[]).push(this.#fileEnd + (starts[p] as number), length);
    }
    this.#fileEnd += this.#used;
    this.#used = 0;
    this.#count = 0;
  }
}
