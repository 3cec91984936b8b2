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
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";

/** Bytes gathered before a write: big enough to amortise the system call, small enough to keep. */
const BUFFER_BYTES = 1 << 20;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
/** Written bytes after which a background fdatasync starts (see the header). */
const SYNC_EVERY = 64 << 20;

export class FileSink {
  readonly path: string;
  #handle: FileHandle;
  /** Null for a scratch file whose digest nobody reads (a part copied into another file). */
  #hash: Hash | null;
  // Text is encoded straight into one reused buffer: no joined copy of a batch's text is ever
  // made (encoding long concatenated strings cost more than the rest of the writing).
  #buffer: Buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  /** The other buffer, being written while #buffer fills (allocated on the first flush). */
  #spare: Buffer | null = null;
  /** The write in flight, if any; its failure surfaces at the next flush or close. */
  #inFlight: Promise<void> | null = null;
  #used = 0;
  #bytes = 0;
  #closed = false;
  /** Never synced (see create). */
  readonly #scratch: boolean;
  /** Bytes written since the last background sync started. */
  #unsynced = 0;
  /** The background fdatasync in flight, if any. */
  #syncing: Promise<void> | null = null;
  /** Its failure, kept for close: the kernel reports a write-back error to one sync only. */
  #syncError: unknown = null;

  private constructor(path: string, handle: FileHandle, digest: boolean, scratch: boolean) {
    this.path = path;
    this.#handle = handle;
    this.#hash = digest ? createHash("sha256") : null;
    this.#scratch = scratch;
  }

  /**
   * Create (or truncate) `path` with mode 0600; `digest: false` skips the SHA-256. `scratch`:
   * a file that is copied elsewhere and deleted, so it is never synced, neither in the
   * background nor at close.
   */
  static async create(
    path: string,
    options: { digest?: boolean; scratch?: boolean } = {},
  ): Promise<FileSink> {
    return new FileSink(
      path,
      await open(path, "w", 0o600),
      options.digest ?? true,
      options.scratch ?? false,
    );
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

  /** Queue each line followed by `end` (one record per line). */
  async writeLines(lines: readonly string[], end: string): Promise<void> {
    for (const line of lines) {
      if ((line.length + end.length) * MAX_BYTES_PER_UNIT > BUFFER_BYTES - this.#used) {
        await this.write(line + end);
        continue;
      }
      this.#used += this.#buffer.write(line, this.#used, "utf8");
      this.#used += this.#buffer.write(end, this.#used, "latin1");
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
    this.#bytes += buffer.length;
    let at = 0;
    while (at < buffer.length) {
      const { bytesWritten } = await this.#handle.write(buffer, at, buffer.length - at);
      at += bytesWritten;
    }
    if (this.#scratch) return;
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
   * Flush, fsync and close; returns size and SHA-256 (hex) of everything written. `sync: false`
   * (the default for a scratch file) skips the fsync, for a file that is copied elsewhere and
   * deleted (its copy is synced): nothing waits on the disk for bytes that are thrown away.
   */
  async close(options: { sync?: boolean } = {}): Promise<{ bytes: number; sha256: string }> {
    await this.#flush();
    await this.#settle();
    const sync = options.sync ?? !this.#scratch;
    await this.#syncSettled(sync);
    if (sync) await this.#handle.sync();
    await this.#handle.close();
    this.#closed = true;
    return { bytes: this.#bytes, sha256: this.#hash?.digest("hex") ?? "" };
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
