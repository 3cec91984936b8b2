// XML extracts as a Source, streamed one record element at a time: the file decoded chunk by
// chunk and fed to the scanner (xml-scanner.ts), records handed out in batches and read through
// the path accessors of xml-element.ts.
import { PhinError } from "../errors.ts";
import { decodeText, type TextEncoding } from "./decode.ts";
import { lineAtOffset, openExtract } from "./read-file.ts";
import type { OpenedSource, SourceBatch, SourceLimits } from "./source.ts";
import { compileGroup, compileValue, stepsOf, type XmlRecord } from "./xml-element.ts";
import { XmlScanner } from "./xml-scanner.ts";

export type { XmlRecord } from "./xml-element.ts";

export interface XmlSourceOptions {
  readonly path: string;
  readonly file: string;
  readonly encoding: TextEncoding;
  /** Element names from the root to the record element, `/`-separated. */
  readonly recordPath: string;
  readonly limits: SourceLimits;
  /** Read chunk size in bytes (tests use tiny ones to split records across chunks). */
  readonly highWaterMark?: number;
}

export async function openXmlSource(options: XmlSourceOptions): Promise<OpenedSource<XmlRecord>> {
  const { file, limits } = options;
  const recordNames = options.recordPath.split("/");
  const { stream, size } = await openExtract(
    options.path,
    file,
    limits.maxFileBytes,
    options.highWaterMark,
  );
  const chunks = decodeText(stream, options.encoding, file, (offset) =>
    lineAtOffset(options.path, offset),
  )[Symbol.asyncIterator]();
  const scanner = new XmlScanner(file, recordNames, limits);
  let ended = false;

  /** Scan until a batch of records is ready or the document ends. */
  const fill = async () => {
    while (!ended && !scanner.full()) {
      const result = scanner.scan();
      if (result === "end") ended = true;
      else if (result === "more") {
        const next = await chunks.next();
        if (next.done) scanner.eof = true;
        else scanner.push(next.value);
      }
    }
  };

  try {
    await fill();
    if (!scanner.sawRoot) {
      throw new PhinError("SOURCE_EMPTY", `${file}: the extract holds no XML element`, {
        stage: "extract",
        file,
        hint: "re-export the extract; an empty file usually means the export failed",
      });
    }
    if (scanner.rows.length === 0) {
      throw new PhinError("SOURCE_HEADER_ONLY", `${file}: no records at ${options.recordPath}`, {
        stage: "extract",
        file,
        hint: "check record_path in the mapping and the export's date filter",
      });
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }

  /** Paths with a compiled accessor: kept by restrictTo whatever list it is given. */
  const compiled = new Set<string>();
  return {
    file,
    value(path) {
      const get = compileValue(file, path);
      compiled.add(path);
      return get;
    },
    group(path) {
      const get = compileGroup(file, path);
      compiled.add(path);
      return get;
    },
    valueIn(groupPath, path) {
      stepsOf(file, groupPath, false);
      const get = compileValue(file, path);
      compiled.add(`${groupPath}/${path}`);
      return get;
    },
    columnNames: () => scanner.columnNames(),
    restrictTo(paths) {
      scanner.restrict([...paths, ...compiled]);
    },
    async *batches(): AsyncGenerator<SourceBatch<XmlRecord>> {
      try {
        for (;;) {
          if (!scanner.full()) await fill();
          if (scanner.rows.length === 0) return;
          const batch = { rows: scanner.rows, lines: scanner.lines };
          scanner.rows = [];
          scanner.lines = [];
          scanner.batchChars = 0;
          yield batch;
        }
      } finally {
        stream.destroy();
      }
    },
    progress: () => ({ bytes: stream.bytesRead, totalBytes: size }),
    async close() {
      stream.destroy();
    },
  };
}
