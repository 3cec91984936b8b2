// The bundle's data files, written once the run's verdict is known, from the rows each dataset
// pass accepted less those the rules across records rejected: three RFC 4180 CSV files, or one
// submission.xml holding every dataset.
import path from "node:path";
import { crashPoint } from "../io/crash-point.ts";
import { writeTextFile } from "../io/text-file.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { keptRows } from "./accepted-rows.ts";
import { csvHeader, xmlElementNames } from "./bundle-rows.ts";

export interface BundleFile {
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number;
}

/** One dataset's part of the bundle: its accepted rows, less the rejected row numbers. */
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

export async function writeCsvBundle(
  dir: string,
  parts: readonly BundlePart[],
): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  for (const part of parts) {
    const name = `${part.dataset.name}.csv`;
    const counted = { rows: 0 };
    async function* text() {
      yield csvHeader(part.dataset);
      crashPoint(`bundle-writing:${name}`);
      yield* keptRows(part.acceptedFile, part.rejected, counted);
    }
    const written = await writeTextFile(path.join(dir, name), text());
    files.push({ name, ...written, records: counted.rows });
    crashPoint(`bundle-written:${name}`);
  }
  return files;
}

export async function writeXmlBundle(
  dir: string,
  header: BundleHeader,
  parts: readonly BundlePart[],
): Promise<BundleFile[]> {
  const counted = { rows: 0 };
  async function* text() {
    yield `<?xml version="1.0" encoding="UTF-8"?>\n<PhinSubmission schemaVersion="${header.schemaVersion}" provider="${header.providerCode}" period="${header.period}">\n`;
    for (const part of parts) {
      const { list } = xmlElementNames[part.dataset.name];
      yield `<${list}>\n`;
      yield* keptRows(part.acceptedFile, part.rejected, counted);
      yield `</${list}>\n`;
    }
    yield "</PhinSubmission>\n";
  }
  const written = await writeTextFile(path.join(dir, SUBMISSION_XML), text());
  return [{ name: SUBMISSION_XML, ...written, records: counted.rows }];
}
