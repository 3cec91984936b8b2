// The bundle's data files, in either format, written record by record as datasets finish:
// three RFC 4180 CSV files, or one submission.xml. Both formats take the same flat rows.
import path from "node:path";
import { FileSink, type LineSet } from "../io/file-sink.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { asIs } from "../schemas/field-types.ts";
import { datasetShape } from "../schemas/record-shape.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import type { DatasetName } from "../validate/rule-catalogue.ts";
import { compileToRow } from "./record-cells.ts";

export interface BundleFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
}

/**
 * Rows of a dataset's file to leave out (a Set will do; so will a sorted list). Taken out as
 * lines: a stored value never holds a line break (every field type excludes them, and
 * record-cells.ts refuses one in a CSV cell), so a record is one line in either format.
 */
export type RowSet = LineSet;

export interface BundleWriter {
  /**
   * Begin a dataset: its rows are written as the pass accepts them. Returns the function that
   * turns one stored record into its line in this writer's format (without the line end).
   */
  startDataset(dataset: DatasetDef): Promise<(record: ParsedRecord) => string>;
  /** Accepted records' lines (from the function startDataset returned), a batch at a time. */
  writeRows(lines: readonly string[]): Promise<void>;
  /**
   * End the dataset. Rows numbered in `drop` (0-based, in writing order) were rejected later by
   * a rule across records and are left out; only then is the dataset's file rewritten.
   */
  endDataset(drop: RowSet): Promise<void>;
  /** Forget a dataset that could not be read to its end (the run is blocked). */
  abortDataset(): Promise<void>;
  /** Close everything; files in dataset order. */
  finish(): Promise<BundleFile[]>;
  /** Close without finishing (error path); the caller removes the folder. */
  abort(): Promise<void>;
}

const CRLF = "\r\n";

/** RFC 4180: CRLF line ends, a header row, fixed column order. */
export function createCsvBundleWriter(dir: string): BundleWriter {
  const files: BundleFile[] = [];
  let sink: FileSink | undefined;
  let current: DatasetDef | undefined;
  let records = 0;
  /** Where the rows start, after the header. */
  let rowsFrom = 0;
  const fileOf = (dataset: DatasetDef) => path.join(dir, `${dataset.name}.csv`);
  return {
    async startDataset(dataset) {
      current = dataset;
      records = 0;
      sink = await FileSink.create(fileOf(dataset));
      await sink.write(dataset.columns.join(",") + CRLF);
      rowsFrom = sink.size;
      return compileToRow(dataset);
    },
    async writeRows(rows) {
      records += rows.length;
      await (sink as FileSink).writeLines(rows, CRLF);
    },
    async endDataset(drop) {
      const dataset = current as DatasetDef;
      const out = sink as FileSink;
      // Rare (duplicates, spell conflicts): the rows rejected at the end are taken out in place.
      if (drop.size > 0) records = await out.dropLines(rowsFrom, drop);
      const done = await out.close();
      sink = undefined;
      files.push({ name: `${dataset.name}.csv`, ...done, records });
    },
    async abortDataset() {
      await sink?.abort();
      sink = undefined;
    },
    async finish() {
      return files;
    },
    async abort() {
      await sink?.abort();
    },
  };
}

const elementNames: Record<DatasetName, { list: string; item: string }> = {
  episodes: { list: "Episodes", item: "Episode" },
  proms: { list: "Proms", item: "Prom" },
  adverse_events: { list: "AdverseEvents", item: "AdverseEvent" },
};

export const SUBMISSION_XML = "submission.xml";

const xmlText: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
// Hoisted: a regular expression literal is a new object each time it is evaluated.
const xmlSpecial = /[&<>]/;
const xmlSpecials = /[&<>]/g;
const escapeXml = (v: string) =>
  xmlSpecial.test(v) ? v.replace(xmlSpecials, (c) => xmlText[c] as string) : v;

/**
 * One submission.xml, streamed: each dataset's record elements are written as they are accepted,
 * one per line, between the dataset's list tags; the rows rejected by rules across records at
 * the end of a dataset are then taken out in place (rare). Not through a part file per dataset
 * copied in at its end: that took twice the disk space and the writing, and ~0.5 s per 200k
 * episodes to copy. Serialised by hand rather than with fast-xml-parser's XMLBuilder, which
 * took a sixth of an XML run; the golden test holds the bytes identical.
 */
export function createXmlBundleWriter(
  dir: string,
  header: { providerCode: string; period: string; schemaVersion: number },
): BundleWriter {
  let sink: FileSink | undefined;
  let dataset: DatasetDef | undefined;
  let records = 0;
  /** Where the dataset's list element starts, and where its rows start. */
  let listFrom = 0;
  let rowsFrom = 0;
  /** Rows written for the dataset. */
  let written = 0;
  const open = async () => {
    if (sink !== undefined) return sink;
    sink = await FileSink.create(path.join(dir, SUBMISSION_XML));
    await sink.write(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PhinSubmission schemaVersion="${header.schemaVersion}" provider="${header.providerCode}" period="${header.period}">\n`,
    );
    return sink;
  };
  return {
    async startDataset(def) {
      dataset = def;
      const out = await open();
      listFrom = out.size;
      await out.write(`<${elementNames[def.name].list}>\n`);
      rowsFrom = out.size;
      written = 0;
      return compileXmlElement(def);
    },
    async writeRows(lines) {
      written += lines.length;
      await (sink as FileSink).writeLines(lines, "\n");
    },
    async endDataset(drop) {
      const def = dataset as DatasetDef;
      const out = sink as FileSink;
      records += drop.size > 0 ? await out.dropLines(rowsFrom, drop) : written;
      await out.write(`</${elementNames[def.name].list}>\n`);
      dataset = undefined;
    },
    async abortDataset() {
      // The run will be blocked and its bundle removed; cut off all the same, so the file never
      // holds part of a dataset.
      if (sink === undefined || dataset === undefined) return;
      await sink.truncate(listFrom);
      dataset = undefined;
    },
    async finish() {
      const s = await open();
      await s.write("</PhinSubmission>\n");
      const done = await s.close();
      return [{ name: SUBMISSION_XML, ...done, records }];
    },
    async abort() {
      await sink?.abort();
    },
  };
}

/**
 * A stored record as its XML element: scalars as child elements (blank ones left out), lists as
 * repeated <code> children, procedures as <procedure> elements with <code> and <date>. Values
 * are formatted by the field type's `format`, as in the CSV files, so the two formats cannot
 * disagree; a number is written as its CSV cell reads back (the golden test holds the bytes).
 */
function compileXmlElement(dataset: DatasetDef): (record: ParsedRecord) => string {
  const item = elementNames[dataset.name].item;
  // Each step writes the value at its field's position (record-shape.ts).
  const shape = datasetShape(dataset);
  const steps: ((values: readonly unknown[]) => string)[] = [];
  for (const [name, def] of Object.entries(dataset.fields)) {
    const type = def.type;
    const k = shape.keys.indexOf(name);
    // The tags made once: a template literal with the name in it is five concatenations per
    // value, each a node of the rope the file sink has to flatten.
    const openTag = `<${name}>`;
    const closeTag = `</${name}>`;
    if (type.kind === "scalar") {
      const format = type.format as (value: string | number) => string;
      const numeric = type.numeric === true;
      // A plain type's values hold nothing to escape (field-types.ts).
      const text = type.plain === true ? asIs : escapeXml;
      steps.push((values) => {
        const value = values[k];
        if (value === null || value === undefined) return "";
        const cell = format(value as string | number);
        if (cell === "") return "";
        return openTag + text(numeric ? String(Number(cell)) : cell) + closeTag;
      });
    } else if (type.kind === "list") {
      const text = type.item.plain === true ? asIs : escapeXml;
      steps.push((values) => {
        const items = (values[k] ?? []) as string[];
        let inner = "";
        for (let i = 0; i < Math.min(items.length, type.max); i++) {
          const code = items[i] as string;
          if (code !== "") inner += `<code>${text(code)}</code>`;
        }
        return inner === "" ? "" : openTag + inner + closeTag;
      });
    } else {
      steps.push((values) => {
        const items = (values[k] ?? []) as { code: string; date: string }[];
        let inner = "";
        for (let i = 0; i < Math.min(items.length, type.max); i++) {
          const { code, date } = items[i] as { code: string; date: string };
          if (code !== "" || date !== "")
            inner += `<procedure><code>${escapeXml(code)}</code><date>${escapeXml(date)}</date></procedure>`;
        }
        return inner === "" ? "" : openTag + inner + closeTag;
      });
    }
  }
  const openItem = `<${item}>`;
  const closeItem = `</${item}>`;
  return (record) => {
    const values = shape.read(record);
    let out = openItem;
    for (const step of steps) out += step(values);
    return out + closeItem;
  };
}
