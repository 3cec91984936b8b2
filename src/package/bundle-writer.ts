// The bundle's data files, in either format, written record by record as datasets finish:
// three RFC 4180 CSV files, or one submission.xml. Both formats take the same flat rows.
import path from "node:path";
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
  startDataset(dataset: DatasetDef): Promise<void>;
  /** One record's flat cells joined with commas (see record-cells.ts). */
  writeRow(row: string): Promise<void>;
  endDataset(): Promise<void>;
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
  let current: DatasetName | undefined;
  let records = 0;
  return {
    async startDataset(dataset) {
      current = dataset.name;
      records = 0;
      sink = await FileSink.create(path.join(dir, `${dataset.name}.csv`));
      await sink.write(dataset.columns.join(",") + CRLF);
    },
    async writeRow(row) {
      records++;
      await (sink as FileSink).write(row + CRLF);
    },
    async endDataset() {
      const done = await (sink as FileSink).close();
      files.push({ name: `${current}.csv`, ...done, records });
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
 * One submission.xml, streamed: one record element built and written at a time. Serialised by
 * hand rather than with fast-xml-parser's XMLBuilder, which took a sixth of an XML run; the
 * golden test holds the bytes identical.
 */
export function createXmlBundleWriter(
  dir: string,
  header: { providerCode: string; period: string; schemaVersion: number },
): BundleWriter {
  let sink: FileSink | undefined;
  let dataset: DatasetDef | undefined;
  let records = 0;
  let toObject: (cells: string[]) => Record<string, unknown> = () => ({});
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
      await (await open()).write(`<${elementNames[def.name].list}>\n`);
    },
    async writeRow(row) {
      records++;
      const item = elementNames[(dataset as DatasetDef).name].item;
      await (sink as FileSink).write(`${recordXml(item, toObject(row.split(",")))}\n`);
    },
    async endDataset() {
      await (sink as FileSink).write(`</${elementNames[(dataset as DatasetDef).name].list}>\n`);
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

/** Flat cells back to nested elements: lists become repeated child elements, blanks vanish. */
function compileXmlRecord(dataset: DatasetDef): (cells: string[]) => Record<string, unknown> {
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
