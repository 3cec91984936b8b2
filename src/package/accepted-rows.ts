// The records a dataset pass accepts, as finished bundle rows waiting in the staging folder
// until the run's verdict is known and the rules across records have had their say; only then
// is the bundle written from them, without the rows those rules rejected.
import { createReadStream } from "node:fs";
import { TextFile } from "../io/text-file.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import type { RowFormatter } from "./bundle-rows.ts";

export class AcceptedRows {
  readonly path: string;
  readonly #file: TextFile;
  readonly #format: RowFormatter;
  /** Rows formatted as records are added: a line holds far less memory than its record. */
  #pending: string[] = [];
  #count = 0;

  constructor(path: string, format: RowFormatter) {
    this.path = path;
    this.#file = new TextFile(path, { durable: false });
    this.#format = format;
  }

  /** Queue an accepted record; returns its row number among the dataset's accepted records. */
  add(record: ParsedRecord): number {
    this.#pending.push(this.#format(record));
    return this.#count++;
  }

  /** Write the rows queued since the last flush (once per batch, so memory stays bounded). */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const text = this.#pending.join("");
    this.#pending = [];
    await this.#file.write(text);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#file.close();
  }

  /** Delete the file (error paths, and once the bundle holds its rows). */
  async remove(): Promise<void> {
    await this.#file.abort();
  }
}

/**
 * The rows of a closed AcceptedRows file, less the numbered rows in `skip`, as bytes a chunk at
 * a time; `kept.rows` counts what is kept. Copied as bytes, never decoded: a year's bundle is
 * hundreds of megabytes of text that would otherwise all pass through the heap.
 */
export async function* keptRows(
  path: string,
  skip: ReadonlySet<number>,
  kept: { rows: number },
): AsyncGenerator<Buffer> {
  let row = 0;
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const data = rest.length === 0 ? (chunk as Buffer) : Buffer.concat([rest, chunk as Buffer]);
    const pieces: Buffer[] = [];
    let from = 0;
    for (let lf = data.indexOf(LF); lf !== -1; lf = data.indexOf(LF, from)) {
      if (!skip.has(row++)) {
        pieces.push(data.subarray(from, lf + 1));
        kept.rows++;
      }
      from = lf + 1;
    }
    rest = data.subarray(from);
    yield Buffer.concat(pieces);
  }
}

const LF = 0x0a;
