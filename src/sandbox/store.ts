// The sandbox's submissions on disk, crash-safe: every file is written to a temporary name,
// fsync'd and renamed; data goes before the metadata that points at it, so a killed sandbox
// shows a submission either as it was or as it is, never half of one.
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

export type SubmissionState = "open" | "received" | "validating" | "accepted" | "rejected";

export interface SubmissionMeta {
  readonly submission_id: string;
  readonly provider_code: string;
  readonly period: string;
  readonly manifest_sha256: string;
  readonly supersedes: string | null;
  readonly files: readonly { name: string; bytes: number; sha256: string; records: number }[];
  readonly format: string;
  readonly schema_version: number;
  state: SubmissionState;
  readonly created_at: string;
  committed_at: string | null;
  feedback: { rule: string; count: number; rows: string[] }[] | null;
}

async function writeAtomic(file: string, data: Buffer | string): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, "w", 0o600);
  try {
    await (typeof data === "string" ? handle.write(data) : handle.write(data));
    await handle.sync();
  } finally {
    await handle.close();
  }
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
        const meta = JSON.parse(
          await readFile(path.join(this.#dir, name, "meta.json"), "utf8"),
        ) as SubmissionMeta;
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
    return stat(this.filePath(id, name)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Stream a body to a temporary file while hashing it; keep it only when size and digest are
   * what the manifest says. Returns what arrived, so the caller can explain a mismatch.
   */
  async storeFile(
    id: string,
    name: string,
    body: Readable,
    expected: { sha256: string; bytes: number },
    maxBytes: number,
  ) {
    const final = this.filePath(id, name);
    const temp = `${final}.part`;
    const hash = createHash("sha256");
    const handle = await open(temp, "w", 0o600);
    let bytes = 0;
    let tooLarge = false;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        if (bytes > maxBytes) {
          tooLarge = true;
          break;
        }
        hash.update(buf);
        await handle.write(buf);
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    const sha256 = hash.digest("hex");
    const ok = !tooLarge && sha256 === expected.sha256 && bytes === expected.bytes;
    if (ok) await rename(temp, final);
    else await rm(temp, { force: true });
    return { ok, tooLarge, sha256, bytes };
  }

  async saveReceipt(id: string, receipt: Buffer): Promise<void> {
    await writeAtomic(this.#path(id, "receipt.json"), receipt);
  }

  async receipt(id: string): Promise<Buffer | undefined> {
    return readFile(this.#path(id, "receipt.json")).catch(() => undefined);
  }
}
