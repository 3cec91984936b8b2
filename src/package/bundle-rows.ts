// A dataset's accepted records as the rows of its bundle file, one line per record: an RFC 4180
// CSV row or a record element. Stored values never hold a line break (every field type
// excludes them), so one record is always one line.
import { stringify } from "csv-stringify/sync";
import { PhinError } from "../errors.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { DatasetName } from "../schemas/names.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import { cellsOf, scalarCell } from "./record-cells.ts";

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

const xmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

function escapeXml(value: string): string {
  return /[&<>]/.test(value) ? value.replace(/[&<>]/g, (c) => xmlEscapes[c] as string) : value;
}

const element = (name: string, inner: string) => `<${name}>${inner}</${name}>`;

/**
 * A stored record as its XML element, serialised here rather than by fast-xml-parser's
 * builder, which took a quarter of an XML run (below the XML floor, docs/performance.md) for
 * this one flat shape: scalars as child elements formatted as in the CSV files (blank ones left
 * out), lists as repeated <code> children, procedures as <procedure> with <code> and <date>.
 */
function xmlElementOf(dataset: DatasetDef): (record: ParsedRecord) => string {
  const fields = Object.entries(dataset.fields);
  const item = xmlElementNames[dataset.name].item;
  return (record) => {
    let inner = "";
    for (const [name, { type }] of fields) {
      const value = record[name];
      if (type.kind === "scalar") {
        const cell = scalarCell(type.format as (v: string | number) => string, value);
        if (cell !== "")
          inner += element(name, escapeXml(type.numeric === true ? String(Number(cell)) : cell));
      } else if (type.kind === "list") {
        const codes = ((value ?? []) as string[]).slice(0, type.max).filter((c) => c !== "");
        if (codes.length > 0)
          inner += element(name, codes.map((c) => element("code", escapeXml(c))).join(""));
      } else {
        const procedures = ((value ?? []) as { code: string; date: string }[])
          .slice(0, type.max)
          .filter((p) => p.code !== "" || p.date !== "")
          .map((p) =>
            element(
              "procedure",
              element("code", escapeXml(p.code)) + element("date", escapeXml(p.date)),
            ),
          );
        if (procedures.length > 0) inner += element(name, procedures.join(""));
      }
    }
    return element(item, inner);
  };
}

/** A stored value that would break a row: field types exclude these, so it is a bug. */
function refuse(dataset: DatasetDef, why: string): never {
  throw new PhinError("INTERNAL", `a stored value of dataset ${dataset.name} ${why}`, {
    stage: "package",
  });
}

/**
 * One CSV row: the cells joined, never quoted. csv-stringify (used for the header and for
 * issues.csv) would give the same bytes, but at a quarter of the whole run's time for the
 * hundred-odd cells of each episode. Every field type excludes `",\r\n` from stored values;
 * should one slip through, the run fails rather than shift a column.
 */
function csvRowOf(dataset: DatasetDef): RowFormatter {
  const cells = cellsOf(dataset);
  return (record) => {
    const row = cells(record);
    const line = row.join(",");
    if (/["\r\n]/.test(line) || commas(line) !== row.length - 1)
      refuse(dataset, "needs CSV quoting");
    return line + CSV_LINE_END;
  };
}

function commas(text: string): number {
  let n = 0;
  for (let at = text.indexOf(","); at !== -1; at = text.indexOf(",", at + 1)) n++;
  return n;
}

export function rowFormatter(dataset: DatasetDef, format: BundleFormat): RowFormatter {
  if (format === "csv") return csvRowOf(dataset);
  const xmlElement = xmlElementOf(dataset);
  return (record) => {
    const line = xmlElement(record);
    // One element per line: the bundle is assembled line by line.
    if (/[\r\n]/.test(line)) refuse(dataset, "holds a line break");
    return `${line}\n`;
  };
}
