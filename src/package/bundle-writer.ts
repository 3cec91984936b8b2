// The bundle's data files, written once the run's verdict is known, from the records each
// dataset pass accepted less those the rules across records rejected: three RFC 4180 CSV files
// (csv-stringify), or one submission.xml (fast-xml-parser's builder, one record per line).
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { XMLBuilder } from "fast-xml-parser";
import { writeTextFile } from "../io/text-file.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import type { DatasetName } from "../validate/rule-catalogue.ts";
import { readAccepted } from "./accepted-rows.ts";
import { scalarCell, toCells } from "./record-cells.ts";

export interface BundleFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
}

/** One dataset's part of the bundle: its accepted records, less the rejected seqs. */
export interface BundlePart {
  readonly dataset: DatasetDef;
  readonly acceptedFile: string;
  readonly rejected: ReadonlySet<number>;
}

export interface BundleHeader {
  readonly providerCode: string;
  readonly period: string;
  readonly schemaVersion: number;
}

export const SUBMISSION_XML = "submission.xml";

/** The records of a part that go into the bundle, a batch at a time. */
async function* recordsOf(part: BundlePart, counted: { records: number }) {
  for await (const batch of readAccepted(part.acceptedFile)) {
    const kept = batch.filter((a) => !part.rejected.has(a.seq)).map((a) => a.record);
    counted.records += kept.length;
    yield kept;
  }
}

async function* csvText(part: BundlePart, counted: { records: number }) {
  const options = { record_delimiter: "\r\n" } as const;
  yield stringify([part.dataset.columns], options);
  for await (const records of recordsOf(part, counted))
    yield stringify(
      records.map((r) => toCells(part.dataset, r)),
      options,
    );
}

export async function writeCsvBundle(dir: string, parts: readonly BundlePart[]) {
  const files: BundleFile[] = [];
  for (const part of parts) {
    const name = `${part.dataset.name}.csv`;
    const counted = { records: 0 };
    const written = await writeTextFile(path.join(dir, name), csvText(part, counted));
    files.push({ name, ...written, records: counted.records });
  }
  return files;
}

const elementNames: Record<DatasetName, { list: string; item: string }> = {
  episodes: { list: "Episodes", item: "Episode" },
  proms: { list: "Proms", item: "Prom" },
  adverse_events: { list: "AdverseEvents", item: "AdverseEvent" },
};

/**
 * A stored record as the object the XML builder turns into its element: scalars as child
 * elements formatted as in the CSV files (blank ones left out), lists as repeated <code>
 * children, procedures as <procedure> elements with <code> and <date>.
 */
function xmlObject(dataset: DatasetDef, record: ParsedRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { type }] of Object.entries(dataset.fields)) {
    const value = record[name];
    if (type.kind === "scalar") {
      const cell = scalarCell(type.format as (v: string | number) => string, value);
      if (cell !== "") out[name] = type.numeric === true ? String(Number(cell)) : cell;
    } else if (type.kind === "list") {
      const codes = ((value ?? []) as string[]).slice(0, type.max).filter((c) => c !== "");
      if (codes.length > 0) out[name] = { code: codes };
    } else {
      const items = ((value ?? []) as { code: string; date: string }[])
        .slice(0, type.max)
        .filter((p) => p.code !== "" || p.date !== "");
      if (items.length > 0) out[name] = { procedure: items };
    }
  }
  return out;
}

async function* xmlText(
  header: BundleHeader,
  parts: readonly BundlePart[],
  counted: { records: number },
) {
  const builder = new XMLBuilder({ format: false });
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<PhinSubmission schemaVersion="${header.schemaVersion}" provider="${header.providerCode}" period="${header.period}">\n`;
  for (const part of parts) {
    const { list, item } = elementNames[part.dataset.name];
    yield `<${list}>\n`;
    for await (const records of recordsOf(part, counted)) {
      let text = "";
      for (const r of records)
        text += `${builder.build({ [item]: xmlObject(part.dataset, r) }) as string}\n`;
      yield text;
    }
    yield `</${list}>\n`;
  }
  yield "</PhinSubmission>\n";
}

export async function writeXmlBundle(
  dir: string,
  header: BundleHeader,
  parts: readonly BundlePart[],
): Promise<BundleFile[]> {
  const counted = { records: 0 };
  const written = await writeTextFile(
    path.join(dir, SUBMISSION_XML),
    xmlText(header, parts, counted),
  );
  return [{ name: SUBMISSION_XML, ...written, records: counted.records }];
}
