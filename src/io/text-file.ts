// Every file phin-submit writes that may hold submission data: mode 0600, written as a stream
// with its size and SHA-256 kept on the way (the manifest needs both), and flushed to disk
// before it counts as written.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { finished } from "node:stream/promises";

export interface WrittenFile {
  readonly bytes: number;
  readonly sha256: string;
}

export class TextFile {
  readonly path: string;
  readonly #stream: WriteStream;
  readonly #hash = createHash("sha256");
  #bytes = 0;

  /** `durable: false` for scratch files deleted before the run ends (no fsync). */
  constructor(path: string, { durable = true } = {}) {
    this.path = path;
    // `flush`: fsync before the descriptor closes, so "closed" means "on disk". A 1 MiB buffer:
    // with the default 16 KiB every batch of rows would wait for its write to finish.
    this.#stream = createWriteStream(path, { mode: 0o600, flush: durable, highWaterMark: 1 << 20 });
  }

  /** Append text or bytes; resolves once the stream can take more (memory stays bounded). */
  async write(data: string | Buffer): Promise<void> {
    if (data.length === 0) return;
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    if (!this.#stream.write(bytes)) await once(this.#stream, "drain");
  }

  async close(): Promise<WrittenFile> {
    this.#stream.end();
    await finished(this.#stream);
    return { bytes: this.#bytes, sha256: this.#hash.digest("hex") };
  }

  /** Stop writing and delete the file (error paths). */
  async abort(): Promise<void> {
    this.#stream.destroy();
    await finished(this.#stream).catch(() => {});
    await rm(this.path, { force: true });
  }
}

/** A whole file from a sequence of text chunks. */
export async function writeTextFile(
  path: string,
  chunks: Iterable<string | Buffer> | AsyncIterable<string | Buffer>,
): Promise<WrittenFile> {
  const file = new TextFile(path);
  try {
    for await (const chunk of chunks) await file.write(chunk);
    return await file.close();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/** A small file replaced atomically: written beside it, synced, then renamed over it. */
export async function writeFileAtomic(path: string, data: string): Promise<WrittenFile> {
  const temp = `${path}.tmp-${process.pid}`;
  const written = await writeTextFile(temp, [data]);
  await rename(temp, path).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
  return written;
}
