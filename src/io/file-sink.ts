// A streaming output file written the safe way: mode 0600, text buffered into large writes,
// SHA-256 and byte count kept on the fly, fsync before the file is called done. Used for every
// file phin-submit writes that may hold submission data.
import { createHash, type Hash } from "node:crypto";
import { type FileHandle, open, rename, unlink } from "node:fs/promises";

const FLUSH_BYTES = 1 << 16;

export class FileSink {
  readonly path: string;
  #handle: FileHandle;
  #hash: Hash = createHash("sha256");
  #pending: string[] = [];
  #pendingLength = 0;
  #bytes = 0;
  #closed = false;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Create (or truncate) `path` with mode 0600. */
  static async create(path: string): Promise<FileSink> {
    return new FileSink(path, await open(path, "w", 0o600));
  }

  /** Queue text; written in large chunks. Await it so memory stays bounded. */
  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= FLUSH_BYTES) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const buffer = Buffer.from(this.#pending.join(""), "utf8");
    this.#pending = [];
    this.#pendingLength = 0;
    this.#hash.update(buffer);
    this.#bytes += buffer.length;
    await this.#handle.write(buffer);
  }

  /** Flush, fsync and close; returns size and SHA-256 (hex) of everything written. */
  async close(): Promise<{ bytes: number; sha256: string }> {
    await this.#flush();
    await this.#handle.sync();
    await this.#handle.close();
    this.#closed = true;
    return { bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  /** Close without caring about the content (error paths); the caller deletes the file. */
  async abort(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
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
