// The sandbox's submissions on disk, crash-safe: every file is written to a temporary name,
// fsync'd and renamed; data goes before the metadata that points at it, so a killed sandbox
// shows a submission either as it was or as it is, never half of one.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Manifest } from "./handlers.ts";
import type { Feedback } from "./validate-submission.ts";

/** A submission as opened (its manifest less the reason) and how far it has got. */
export type SubmissionMeta = Readonly<Omit<Manifest, "reason">> & {
  readonly manifest_sha256: string;
  state: "open" | "received" | "validating" | "accepted" | "rejected";
  readonly created_at: string;
  committed_at: string | null;
  feedback: Feedback | null;
};

/** A temp name of its own per write: two sandboxes may share a data folder (tests do). */
async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const temp = `${file}.tmp-${randomUUID()}`;
  await writeFile(temp, data, { mode: 0o600, flush: true });
  await rename(temp, file);
}

export class SandboxStore {
  readonly #dir: string;
  readonly #meta = new Map<string, SubmissionMeta>();

  constructor(dataDir: string) {
    this.#dir = path.join(dataDir, "submissions");
  }

  #path(id: string, ...rest: string[]): string {
    return path.join(this.#dir, encodeURIComponent(id), ...rest);
  }

  async load(): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.#dir)) {
      try {
        const file = path.join(this.#dir, name, "meta.json");
        const meta = JSON.parse(await readFile(file, "utf8")) as SubmissionMeta;
        this.#meta.set(meta.submission_id, meta);
      } catch {
        // No meta.json: a submission killed before it existed. Nothing to show.
      }
    }
  }

  get(id: string): SubmissionMeta | undefined {
    return this.#meta.get(id);
  }

  all(): SubmissionMeta[] {
    return [...this.#meta.values()];
  }

  async create(meta: SubmissionMeta, manifestBytes: Buffer): Promise<void> {
    await mkdir(this.#path(meta.submission_id, "files"), { recursive: true, mode: 0o700 });
    await writeAtomic(this.#path(meta.submission_id, "manifest.json"), manifestBytes);
    await this.save(meta);
  }

  async save(meta: SubmissionMeta): Promise<void> {
    await writeAtomic(
      this.#path(meta.submission_id, "meta.json"),
      `${JSON.stringify(meta, null, 2)}\n`,
    );
    this.#meta.set(meta.submission_id, meta);
  }

  filePath(id: string, name: string): string {
    return this.#path(id, "files", encodeURIComponent(name));
  }

  async hasFile(id: string, name: string): Promise<boolean> {
    return (await stat(this.filePath(id, name)).catch(() => null)) !== null;
  }

  /** Stream a body to a temporary file while hashing it; keep it only when size and digest are
   * what the manifest says. */
  async storeFile(
    id: string,
    name: string,
    body: Readable,
    expected: { sha256: string; bytes: number },
    maxBytes: number,
  ): Promise<{ ok: boolean; tooLarge: boolean }> {
    const final = this.filePath(id, name);
    const temp = `${final}.part`;
    const hash = createHash("sha256");
    const handle = await open(temp, "w", 0o600);
    let bytes = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxBytes) break;
        hash.update(chunk);
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    const tooLarge = bytes > maxBytes;
    const ok = !tooLarge && hash.digest("hex") === expected.sha256 && bytes === expected.bytes;
    if (ok) await rename(temp, final);
    else await rm(temp, { force: true });
    return { ok, tooLarge };
  }

  async saveReceipt(id: string, receipt: Buffer): Promise<void> {
    await writeAtomic(this.#path(id, "receipt.json"), receipt);
  }

  async receipt(id: string): Promise<Buffer | undefined> {
    return readFile(this.#path(id, "receipt.json")).catch(() => undefined);
  }
}
