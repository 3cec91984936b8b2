// What the sandbox does in place of PHIN's own processing: read the committed files back and
// check every row against the same dataset schemas the client used, with feedback as rule ids,
// counts and row references (never values).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { fromCells } from "../package/record-cells.ts";
import type { DatasetName } from "../schemas/names.ts";
import { schemaVersions } from "../schemas/registry.ts";
import type { SandboxStore, SubmissionMeta } from "./store.ts";

export type Feedback = { rule: string; count: number; rows: string[] }[];

export async function validateSubmission(
  meta: SubmissionMeta,
  store: SandboxStore,
): Promise<Feedback> {
  const feedback = new Map<string, { count: number; rows: string[] }>();
  const note = (rule: string, row: string) => {
    const entry = feedback.get(rule) ?? { count: 0, rows: [] };
    entry.count++;
    if (entry.rows.length < 10) entry.rows.push(row);
    feedback.set(rule, entry);
  };
  const datasets = schemaVersions[meta.schema_version];
  if (datasets === undefined) return [{ rule: "SCHEMA_VERSION", count: 1, rows: [] }];
  for (const file of meta.files) {
    // What is stored must still be what was received (a flipped byte is caught here).
    const stored = await readFile(store.filePath(meta.submission_id, file.name));
    if (createHash("sha256").update(stored).digest("hex") !== file.sha256) {
      note("FILE_CORRUPT", file.name);
      continue;
    }
    const def = datasets[file.name.replace(/\.csv$/, "") as DatasetName];
    // submission.xml and other non-dataset files are accepted as they are.
    if (!file.name.endsWith(".csv") || def === undefined) continue;
    const [header, ...data] = parse(stored, { relax_column_count: true }) as string[][];
    if (header?.join(",") !== def.columns.join(",")) note("HEADER", `${file.name}:1`);
    if (data.length !== file.records) note("RECORD_COUNT", file.name);
    data.forEach((cells, i) => {
      if (
        cells.length !== def.columns.length ||
        !def.schema.safeParse(fromCells(def, cells)).success
      )
        note("SCHEMA", `${file.name}:${i + 2}`);
    });
  }
  return [...feedback.entries()].map(([rule, v]) => ({ rule, ...v }));
}
