// A dataset's accepted records as the rows of its bundle file, one line per record: an RFC 4180
// CSV row or a record element (fast-xml-parser's builder). Stored values never hold a line
// break (every field type excludes them), so one record is always one line.
import { stringify } from "csv-stringify/sync";
import { XMLBuilder } from "fast-xml-parser";
import { PhinError } from "../errors.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import type { DatasetName } from "../validate/rule-catalogue.ts";
import { scalarCell, toCells } from "./record-cells.ts";

export type BundleFormat = "csv" | "xml";

/** A record -> its line, with its line end. */
export type RowFormatter = (record: ParsedRecord) => string;

export const CSV_LINE_END = "\r\n";
const csvOptions = { record_delimiter: CSV_LINE_END } as const;

export function csvHeader(dataset: DatasetDef): string {
  return stringify([dataset.columns], csvOptions);
}

export const xmlElementNames: Record<DatasetName, { list: string; item: string }> = {
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

/** A stored value that would break a row: field types exclude these, so it is a bug. */
function refuse(dataset: DatasetDef, why: string): never {
  throw new PhinError("INTERNAL", `a stored value of dataset ${dataset.name} ${why}`, {
    stage: "package",
  });
}

/** What a CSV cell would need quoted: field types exclude it from every stored value. */
const needsQuoting = /[",\r\n]/;

/**
 * One CSV row: the cells joined, never quoted. csv-stringify (used for the header and for
 * issues.csv) would give the same bytes, but at a quarter of the whole run's time for the
 * hundred-odd cells of each episode; a cell that would need quoting fails the run rather than
 * shift a column.
 */
function csvRow(dataset: DatasetDef, record: ParsedRecord): string {
  const cells = toCells(dataset, record);
  for (const cell of cells)
    if (cell !== "" && needsQuoting.test(cell)) refuse(dataset, "needs CSV quoting");
  return cells.join(",") + CSV_LINE_END;
}

export function rowFormatter(dataset: DatasetDef, format: BundleFormat): RowFormatter {
  if (format === "csv") return (record) => csvRow(dataset, record);
  const builder = new XMLBuilder({ format: false });
  const item = xmlElementNames[dataset.name].item;
  return (record) => {
    const element = builder.build({ [item]: xmlObject(dataset, record) }) as string;
    // One element per line: the bundle is assembled line by line.
    if (/[\r\n]/.test(element)) refuse(dataset, "holds a line break");
    return `${element}\n`;
  };
}
