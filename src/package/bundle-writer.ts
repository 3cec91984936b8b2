// The bundle's data files, in either format, written record by record as datasets finish:
// three RFC 4180 CSV files, or one submission.xml. Both formats take the same flat rows.
import { createReadStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { FileSink } from "../io/file-sink.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { DatasetName } from "../validate/rule-catalogue.ts";
import { compileFromCells } from "./record-cells.ts";

export interface BundleFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
}

export interface BundleWriter {
  /** Begin a dataset: its rows are written as the pass accepts them. */
  startDataset(dataset: DatasetDef): Promise<void>;
  /** Accepted records as rows of flat cells joined by commas (record-cells.ts), a batch at a time. */
  writeRows(rows: readonly string[]): Promise<void>;
  /**
   * End the dataset. Rows numbered in `drop` (0-based, in writing order) were rejected later by
   * a rule across records and are left out; only then is the dataset's file rewritten.
   */
  endDataset(drop: ReadonlySet<number>): Promise<void>;
  /** Forget a dataset that could not be read to its end (the run is blocked). */
  abortDataset(): Promise<void>;
  /** Close everything; files in dataset order. */
  finish(): Promise<BundleFile[]>;
  /** Close without finishing (error path); the caller removes the folder. */
  abort(): Promise<void>;
}

const CRLF = "\r\n";

/**
 * Copy `from` (one record per line after `skipLines` header lines) into `into`, leaving out the
 * records numbered in `drop`. Records never hold a line break (record-cells.ts refuses them).
 */
async function copyRecords(
  from: string,
  into: FileSink,
  lineEnd: string,
  skipLines: number,
  drop: ReadonlySet<number>,
): Promise<number> {
  const lines = createInterface({
    input: createReadStream(from, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let n = -skipLines;
  let kept = 0;
  for await (const line of lines) {
    const record = n++;
    if (record < 0 || !drop.has(record)) {
      await into.write(line + lineEnd);
      if (record >= 0) kept++;
    }
  }
  return kept;
}

/** RFC 4180: CRLF line ends, a header row, fixed column order. */
export function createCsvBundleWriter(dir: string): BundleWriter {
  const files: BundleFile[] = [];
  let sink: FileSink | undefined;
  let current: DatasetDef | undefined;
  let records = 0;
  const fileOf = (dataset: DatasetDef) => path.join(dir, `${dataset.name}.csv`);
  return {
    async startDataset(dataset) {
      current = dataset;
      records = 0;
      sink = await FileSink.create(fileOf(dataset));
      await sink.write(dataset.columns.join(",") + CRLF);
    },
    async writeRows(rows) {
      let text = "";
      for (const row of rows) text += row + CRLF;
      records += rows.length;
      await (sink as FileSink).write(text);
    },
    async endDataset(drop) {
      const dataset = current as DatasetDef;
      let done = await (sink as FileSink).close();
      sink = undefined;
      if (drop.size > 0) {
        // Rare (duplicates, spell conflicts): rewrite without the rows rejected at the end.
        const file = fileOf(dataset);
        const kept = await FileSink.create(`${file}.kept`);
        try {
          records = await copyRecords(file, kept, CRLF, 1, drop);
          done = await kept.close();
        } catch (error) {
          await kept.abort();
          throw error;
        }
        await rename(`${file}.kept`, file);
      }
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
const escapeXml = (v: string) =>
  /[&<>]/.test(v) ? v.replace(/[&<>]/g, (c) => xmlText[c] as string) : v;

/** A record object (see compileXmlRecord) as XML: scalars as elements, lists as repeated children. */
function recordXml(name: string, record: Record<string, unknown>): string {
  let out = `<${name}>`;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === "string") out += `<${key}>${escapeXml(value)}</${key}>`;
    else if (value !== null && typeof value === "object") {
      const [childName, items] = Object.entries(value as Record<string, unknown[]>)[0] as [
        string,
        unknown[],
      ];
      out += `<${key}>`;
      for (const item of items) {
        out +=
          typeof item === "string"
            ? `<${childName}>${escapeXml(item)}</${childName}>`
            : recordXml(childName, item as Record<string, unknown>);
      }
      out += `</${key}>`;
    }
  }
  return `${out}</${name}>`;
}

/**
 * One submission.xml, streamed: each dataset's record elements go to a part file as they are
 * accepted, one per line, and are appended to submission.xml when the dataset ends (leaving out
 * rows rejected by rules across records). Serialised by hand rather than with fast-xml-parser's
 * XMLBuilder, which took a sixth of an XML run; the golden test holds the bytes identical.
 */
export function createXmlBundleWriter(
  dir: string,
  header: { providerCode: string; period: string; schemaVersion: number },
): BundleWriter {
  let sink: FileSink | undefined;
  let part: FileSink | undefined;
  let dataset: DatasetDef | undefined;
  let records = 0;
  let toObject: (cells: readonly string[]) => Record<string, unknown> = () => ({});
  const partFile = (def: DatasetDef) => path.join(dir, `${def.name}.part.xml`);
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
      toObject = compileXmlRecord(def);
      part = await FileSink.create(partFile(def));
    },
    async writeRows(rows) {
      const item = elementNames[(dataset as DatasetDef).name].item;
      let text = "";
      for (const row of rows) text += `${recordXml(item, toObject(row.split(",")))}\n`;
      await (part as FileSink).write(text);
    },
    async endDataset(drop) {
      const def = dataset as DatasetDef;
      await (part as FileSink).close();
      part = undefined;
      const out = await open();
      const list = elementNames[def.name].list;
      await out.write(`<${list}>\n`);
      records += await copyRecords(partFile(def), out, "\n", 0, drop);
      await out.write(`</${list}>\n`);
      await unlink(partFile(def));
    },
    async abortDataset() {
      if (part === undefined || dataset === undefined) return;
      await part.abort();
      part = undefined;
      await unlink(partFile(dataset)).catch(() => {});
    },
    async finish() {
      const s = await open();
      await s.write("</PhinSubmission>\n");
      const done = await s.close();
      return [{ name: SUBMISSION_XML, ...done, records }];
    },
    async abort() {
      await part?.abort();
      await sink?.abort();
    },
  };
}

/** Flat cells back to nested elements: lists become repeated child elements, blanks vanish. */
function compileXmlRecord(
  dataset: DatasetDef,
): (cells: readonly string[]) => Record<string, unknown> {
  const fromCells = compileFromCells(dataset);
  const kinds = Object.entries(dataset.fields).map(([name, def]) => [name, def.type.kind] as const);
  return (cells) => {
    const record = fromCells(cells);
    const out: Record<string, unknown> = {};
    for (const [name, kind] of kinds) {
      const value = record[name];
      if (kind === "scalar") {
        if (value !== null && value !== undefined) out[name] = String(value);
      } else if (Array.isArray(value) && value.length > 0) {
        out[name] = kind === "list" ? { code: value } : { procedure: value };
      }
    }
    return out;
  };
}
