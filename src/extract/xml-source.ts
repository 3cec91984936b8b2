// XML extracts as a Source, streamed one record element at a time: the file decoded chunk by
// chunk and fed to the parser (xml-reader.ts), records handed out in batches and read through
// the path accessors of xml-element.ts.
import type { ReadStream } from "node:fs";
import { PhinError } from "../errors.ts";
import { type ExtractFile, openExtract } from "./read-file.ts";
import type { OpenedSource, SourceBatch } from "./source.ts";
import { compileGroup, compileValue, stepsOf, type XmlRecord } from "./xml-element.ts";
import { XmlRecordReader } from "./xml-reader.ts";

export type { XmlRecord } from "./xml-element.ts";

export interface XmlSourceOptions extends ExtractFile {
  /** Element names from the root to the record element, `/`-separated. */
  readonly recordPath: string;
}

export async function openXmlSource(options: XmlSourceOptions): Promise<OpenedSource<XmlRecord>> {
  const { file, limits } = options;
  const recordNames = options.recordPath.split("/");
  const read = async () => ({
    ...(await openExtract(options)),
    reader: new XmlRecordReader(file, recordNames, limits),
  });

  // Read up to the first record, so that an extract without records, or broken before the first,
  // fails on opening. Records are read in a second pass from the start, once the mapping has said
  // what it reads, so that nothing else in them is ever built.
  const probe = await read();
  try {
    probe.reader.restrict([]);
    for await (const chunk of probe.text) {
      probe.reader.write(chunk);
      if (probe.reader.sawRecord) break;
    }
    if (!probe.reader.sawRecord) probe.reader.end();
    if (!probe.reader.sawRecord) {
      throw new PhinError("SOURCE_HEADER_ONLY", `${file}: no records at ${options.recordPath}`, {
        stage: "extract",
        file,
        hint: "check record_path in the mapping and the export's date filter",
      });
    }
  } finally {
    probe.stream.destroy();
  }

  /** Paths with a compiled accessor: kept by restrictTo whatever list it is given. */
  const compiled = new Set<string>();
  let keep: string[] | null = null;
  let pass: { stream: ReadStream; reader: XmlRecordReader } | null = null;
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
    columnNames: () => (pass ?? probe).reader.columnNames(),
    restrictTo(paths) {
      keep = [...paths, ...compiled];
      pass?.reader.restrict(keep);
    },
    async *batches(): AsyncGenerator<SourceBatch<XmlRecord>> {
      const { stream, text, reader } = await read();
      pass = { stream, reader };
      if (keep !== null) reader.restrict(keep);
      try {
        for await (const chunk of text) {
          reader.write(chunk);
          yield* reader.takeBatches();
        }
        reader.end();
        yield* reader.takeBatches();
      } finally {
        stream.destroy();
      }
    },
    progress: () => ({ bytes: pass?.stream.bytesRead ?? 0, totalBytes: probe.size }),
    async close() {
      pass?.stream.destroy();
    },
  };
}
