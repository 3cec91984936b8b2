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
    this.#file = new TextFile(path);
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

/** The rows of a closed AcceptedRows file, each with its line end, in order, a chunk at a time. */
export async function* readRows(path: string): AsyncGenerator<string[]> {
  let rest = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8" })) {
    const lines = (rest + (chunk as string)).split("\n");
    rest = lines.pop() as string;
    yield lines.map((line) => `${line}\n`);
  }
  if (rest !== "") yield [rest];
}
