// Per-record content digests of a sent month, kept so a later run of the same period can say
// which records were added, removed or changed, and which fields changed, without keeping any
// value. Every digest is an HMAC under a key derived from the pseudonymisation key: a plain
// SHA-256 of a date of birth or a postcode could be reversed by hashing every candidate value
// (a few hundred thousand at most), a keyed one cannot without the key, which never leaves the
// key file. Field digests are truncated to 64 bits: enough to tell a change, too short to store
// anything else.
import { createHmac } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { DatasetName } from "../schemas/names.ts";

/** One record as sent: its key (the dataset's id field) and the digests of its content. */
export interface RecordDigest {
  readonly key: string;
  /** HMAC of the whole record (all cells, in column order). */
  readonly digest: string;
  /** One short HMAC per column, in the order of `DatasetDigests.columns`. */
  readonly fields: readonly string[];
}

export interface DatasetDigests {
  readonly dataset: DatasetName;
  /** The dataset's flat column names: what a field digest is named by. */
  readonly columns: readonly string[];
  readonly records: readonly RecordDigest[];
}

/** The digest key: derived, so the pseudonymisation key itself is never used twice for one job. */
export function digestKey(pseudonymKey: Uint8Array): Buffer {
  return createHmac("sha256", pseudonymKey).update("phin-submit record digests v1").digest();
}

/** A record's digests from its cells (as in the bundle file) and the index of its id column. */
export function digestRecord(
  key: Buffer,
  columns: readonly string[],
  cells: readonly string[],
  idColumn: number,
): RecordDigest {
  const whole = createHmac("sha256", key);
  const fields = columns.map((column, i) => {
    const cell = cells[i] ?? "";
    whole.update(`${cell.length}:${cell}`);
    return createHmac("sha256", key).update(`${column}\0${cell}`).digest("hex").slice(0, 16);
  });
  return { key: cells[idColumn] ?? "", digest: whole.digest("hex"), fields };
}

/**
 * The digests of a CSV bundle's dataset files (`<dataset>.csv` in `dir`), read back as sent. An
 * XML bundle keeps none yet (docs/state.md).
 */
export async function bundleDigests(
  dir: string,
  format: "csv" | "xml",
  datasets: readonly DatasetDef[],
  pseudonymKey: Uint8Array,
): Promise<DatasetDigests[] | null> {
  if (format !== "csv") return null;
  const key = digestKey(pseudonymKey);
  const out: DatasetDigests[] = [];
  for (const dataset of datasets) {
    const file = path.join(dir, `${dataset.name}.csv`);
    if (!existsSync(file)) continue;
    const idColumn = dataset.columns.indexOf(dataset.idField);
    const records: RecordDigest[] = [];
    const rows = createReadStream(file).pipe(parse({ from_line: 2, relax_column_count: true }));
    for await (const cells of rows as AsyncIterable<string[]>)
      records.push(digestRecord(key, dataset.columns, cells, idColumn));
    out.push({ dataset: dataset.name, columns: dataset.columns, records });
  }
  return out;
}
