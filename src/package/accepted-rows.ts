// The records a dataset pass accepts, waiting in the staging folder until the run's verdict is
// known and the rules across records have had their say; only then is the bundle written from
// them. One JSON line per record: its seq and its stored form.
import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { TextFile } from "../io/text-file.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";

export interface AcceptedRecord {
  readonly seq: number;
  readonly record: ParsedRecord;
}

export class AcceptedRows {
  readonly path: string;
  readonly #file: TextFile;
  #pending: string[] = [];
  #count = 0;

  constructor(path: string) {
    this.path = path;
    this.#file = new TextFile(path);
  }

  get count(): number {
    return this.#count;
  }

  add(seq: number, record: ParsedRecord): void {
    this.#pending.push(`${JSON.stringify([seq, record])}\n`);
    this.#count++;
  }

  /** Write what was added since the last flush (once per batch, so memory stays bounded). */
  async flush(): Promise<void> {
    const text = this.#pending.join("");
    this.#pending = [];
    await this.#file.write(text);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file.close();
  }

  async remove(): Promise<void> {
    await this.#file.abort();
  }
}

/** The records of a closed AcceptedRows file, in the order they were added, a batch at a time. */
export async function* readAccepted(
  path: string,
  batchSize = 1000,
): AsyncGenerator<AcceptedRecord[]> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let batch: AcceptedRecord[] = [];
  for await (const line of lines) {
    const [seq, record] = JSON.parse(line) as [number, ParsedRecord];
    batch.push({ seq, record });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export async function removeAccepted(path: string): Promise<void> {
  await rm(path, { force: true });
}
