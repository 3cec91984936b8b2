// A streaming output file written the safe way: mode 0600, text buffered into large writes,
// SHA-256 and byte count kept on the fly, fsync before the file is called done. Used for every
// file phin-submit writes that may hold submission data.
//
// Write-behind: a full buffer goes to the kernel while the next one fills, so the pipeline does
// not sit idle for each megabyte's system call; the write of a buffer is awaited only when that
// buffer is needed again (at most one write in flight, two buffers in all).
//
// Sync-behind: on a machine with a lot of memory the kernel starts writing dirty pages back
// only once gigabytes have piled up, so the fsync at close used to wait for the whole file
// (~2.5 s for a 1.5 GB submission.xml here). Every SYNC_EVERY bytes an fdatasync runs in the
// background (one at a time) while writing goes on, and the final fsync has little left.
//
// Lines already written can be taken out again (dropLines): the bundle writes accepted rows as
// they come, and the rules across records reject a few of them only at the end of a dataset.
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";

/** Bytes gathered before a write: big enough to amortise the system call, small enough to keep. */
const BUFFER_BYTES = 1 << 20;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
/** Written bytes after which a background fdatasync starts (see the header). */
const SYNC_EVERY = 64 << 20;
/** Bytes read at a time when lines are taken out, and when the digest is recomputed. */
const READ_BYTES = 1 << 20;
const LF = 0x0a;

/** Line numbers to take out (a Set will do; so will a sorted list with a binary search). */
export interface LineSet {
  has(line: number): boolean;
  readonly size: number;
}

export class FileSink {
  readonly path: string;
  #handle: FileHandle;
  /** Null when nobody reads the digest, or once lines were taken out (see #rehash). */
  #hash: Hash | null;
  /** The digest is computed from the file at close: bytes were taken out after hashing. */
  #rehash = false;
  /**
   * Writes go to explicit offsets once the file was cut back (its file offset would still be at
   * the old end); until then at the file offset, which also works for a pipe.
   */
  #positioned = false;
  // Text is encoded straight into one reused buffer: no joined copy of a batch's text is ever
  // made (encoding long concatenated strings cost more than the rest of the writing).
  #buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** The other buffer, being written while #buffer fills (allocated on the first flush). */
  #spare: Buffer | null = null;
  /** The write in flight, if any; its failure surfaces at the next flush or close. */
  #inFlight: Promise<void> | null = null;
  #used = 0;
  /** Bytes handed to the kernel (or in flight): where the next buffer is written. */
  #bytes = 0;
  #closed = false;
  /** Bytes written since the last background sync started. */
  #unsynced = 0;
  /** The background fdatasync in flight, if any. */
  #syncing: Promise<void> | null = null;
  /** Its failure, kept for close: the kernel reports a write-back error to one sync only. */
  #syncError: unknown = null;

  private constructor(path: string, handle: FileHandle, digest: boolean) {
    this.path = path;
    this.#handle = handle;
    this.#hash = digest ? createHash("sha256") : null;
  }

  /**
   * Create (or truncate) `path` with mode 0600, open for reading too (dropLines reads lines
   * back); `digest: false` skips the SHA-256.
   */
  static async create(path: string, options: { digest?: boolean } = {}): Promise<FileSink> {
    return new FileSink(path, await open(path, "w+", 0o600), options.digest ?? true);
  }

  /** Bytes written so far, buffered ones included: the offset the next write starts at. */
  get size(): number {
    return this.#bytes + this.#used;
  }

  /** Queue text; written in large chunks. Await it so memory stays bounded. */
  async write(text: string): Promise<void> {
    if (text.length * MAX_BYTES_PER_UNIT > BUFFER_BYTES - this.#used) {
      await this.#flush();
      if (text.length * MAX_BYTES_PER_UNIT > BUFFER_BYTES) {
        await this.#settle();
        await this.#writeOut(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.#used += this.#buffer.write(text, this.#used, "utf8");
  }

  /** Queue each line followed by `end` (one record per line; `end` is one byte a character). */
  async writeLines(lines: readonly string[], end: string): Promise<void> {
    for (const line of lines) {
      if ((line.length + end.length) * MAX_BYTES_PER_UNIT > BUFFER_BYTES - this.#used) {
        await this.write(line + end);
        continue;
      }
      const buffer = this.#buffer;
      let used = this.#used + buffer.write(line, this.#used, "utf8");
      // The line end byte by byte: a second Buffer.write per line cost ~70 ns, these ~14.
      for (let i = 0; i < end.length; i++) buffer[used++] = end.charCodeAt(i);
      this.#used = used;
    }
  }

  /** Queue bytes as they are (a copy of part of another file). */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (bytes.length > BUFFER_BYTES - this.#used) {
      await this.#flush();
      if (bytes.length > BUFFER_BYTES) {
        await this.#settle();
        // A view, not a copy: the caller's bytes stay put until the write is awaited.
        await this.#writeOut(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
        return;
      }
    }
    this.#buffer.set(bytes, this.#used);
    this.#used += bytes.length;
  }

  /** Hand the filled part of #buffer to the kernel and go on filling the other buffer. */
  async #flush(): Promise<void> {
    if (this.#used === 0) return;
    // The other buffer's write must be done before it is filled again.
    await this.#settle();
    const full = this.#buffer;
    const used = this.#used;
    this.#buffer = this.#spare ?? Buffer.allocUnsafe(BUFFER_BYTES);
    this.#spare = full;
    this.#used = 0;
    const writing = this.#writeOut(full.subarray(0, used));
    // Marked handled now; the rejection is rethrown by #settle.
    writing.catch(() => {});
    this.#inFlight = writing;
  }

  /** Wait for the write in flight (rethrowing its error). */
  async #settle(): Promise<void> {
    const writing = this.#inFlight;
    if (writing === null) return;
    this.#inFlight = null;
    await writing;
  }

  async #writeOut(buffer: Buffer): Promise<void> {
    this.#hash?.update(buffer);
    const position = this.#positioned ? this.#bytes : null;
    this.#bytes += buffer.length;
    await writeAt(this.#handle, buffer, position);
    this.#unsynced += buffer.length;
    if (this.#unsynced >= SYNC_EVERY && this.#syncing === null) {
      this.#unsynced = 0;
      this.#syncing = this.#handle.datasync().then(
        () => {
          this.#syncing = null;
        },
        (error: unknown) => {
          this.#syncing = null;
          this.#syncError ??= error;
        },
      );
    }
  }

  /** Wait for the background sync in flight; with `rethrow`, fail with any it reported. */
  async #syncSettled(rethrow: boolean): Promise<void> {
    while (this.#syncing !== null) await this.#syncing;
    if (rethrow && this.#syncError !== null) throw this.#syncError;
  }

  /**
   * Cut the file back to its first `size` bytes (at most what was written): an aborted part is
   * forgotten. The digest is then computed from the file at close.
   */
  async truncate(size: number): Promise<void> {
    await this.#flush();
    await this.#settle();
    if (size < 0 || size > this.#bytes) throw new RangeError(`cannot truncate to ${size} bytes`);
    await this.#handle.truncate(size);
    this.#bytes = size;
    this.#positioned = true;
    if (this.#hash !== null) {
      this.#hash = null;
      this.#rehash = true;
    }
  }

  /**
   * Take out of the bytes written since `from` (the start of a line) the lines numbered in
   * `drop`, 0 being the line at `from`; returns how many whole lines are left there. The kept
   * lines move up in place, each byte to an offset at or before the one it was read from, so
   * nothing is overwritten before it has been read; then the file is cut at its new end. Rare
   * (duplicate ids, spell conflicts), so one pass over the part is fine.
   */
  async dropLines(from: number, drop: LineSet): Promise<number> {
    await this.#flush();
    await this.#settle();
    const end = this.#bytes;
    if (from < 0 || from > end) throw new RangeError(`no line starts at byte ${from}`);
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    let readFrom = from;
    let writeTo = from;
    let line = 0;
    let kept = 0;
    let keep = !drop.has(0);
    while (readFrom < end) {
      const { bytesRead } = await this.#handle.read(
        buffer,
        0,
        Math.min(READ_BYTES, end - readFrom),
        readFrom,
      );
      if (bytesRead === 0) throw new Error(`${this.path} is shorter than the bytes written to it`);
      const chunk = buffer.subarray(0, bytesRead);
      // Runs of kept lines are written as slices of the chunk.
      let runFrom = keep ? 0 : -1;
      for (let lf = chunk.indexOf(LF); lf !== -1; lf = chunk.indexOf(LF, lf + 1)) {
        if (keep) kept++;
        line++;
        const next = !drop.has(line);
        if (keep && !next) {
          await writeAt(this.#handle, chunk.subarray(runFrom, lf + 1), writeTo);
          writeTo += lf + 1 - runFrom;
        }
        if (!keep && next) runFrom = lf + 1;
        keep = next;
      }
      if (keep && runFrom < chunk.length) {
        await writeAt(this.#handle, chunk.subarray(runFrom), writeTo);
        writeTo += chunk.length - runFrom;
      }
      readFrom += bytesRead;
    }
    await this.truncate(writeTo);
    return kept;
  }

  /**
   * Flush, fsync and close; returns size and SHA-256 (hex) of everything written. `sync: false`
   * skips the fsync, for a file that is about to be deleted or replaced by a synced copy.
   */
  async close(options: { sync?: boolean } = {}): Promise<{ bytes: number; sha256: string }> {
    await this.#flush();
    await this.#settle();
    const sync = options.sync ?? true;
    await this.#syncSettled(sync);
    if (sync) await this.#handle.sync();
    const sha256 = this.#rehash ? await this.#digestOfFile() : (this.#hash?.digest("hex") ?? "");
    await this.#handle.close();
    this.#closed = true;
    return { bytes: this.#bytes, sha256 };
  }

  /** SHA-256 of the file as it is now (after lines were taken out). */
  async #digestOfFile(): Promise<string> {
    const hash = createHash("sha256");
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (let at = 0; at < this.#bytes; ) {
      const { bytesRead } = await this.#handle.read(buffer, 0, READ_BYTES, at);
      if (bytesRead === 0) throw new Error(`${this.path} is shorter than the bytes written to it`);
      hash.update(buffer.subarray(0, bytesRead));
      at += bytesRead;
    }
    return hash.digest("hex");
  }

  /** Close without caring about the content (error paths); the caller deletes the file. */
  async abort(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#settle().catch(() => {});
    await this.#syncSettled(false);
    await this.#handle.close().catch(() => {});
  }
}

/**
 * Write all of `buffer` (a write may take less than asked), at `position` or, when it is null,
 * at the file offset.
 */
async function writeAt(handle: FileHandle, buffer: Buffer, position: number | null): Promise<void> {
  for (let at = 0; at < buffer.length; ) {
    const { bytesWritten } = await handle.write(
      buffer,
      at,
      buffer.length - at,
      position === null ? null : position + at,
    );
    at += bytesWritten;
  }
}

/** Write a whole small file atomically: temp file (0600) + fsync + rename. */
export async function writeFileAtomic(
  path: string,
  data: string,
): Promise<{ bytes: number; sha256: string }> {
  const temp = `${path}.tmp-${process.pid}`;
  const sink = await FileSink.create(temp);
  try {
    await sink.write(data);
    const result = await sink.close();
    await rename(temp, path);
    return result;
  } catch (error) {
    await sink.abort();
    await unlink(temp).catch(() => {});
    throw error;
  }
}
