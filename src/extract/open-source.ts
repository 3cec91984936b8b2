// One entry point for every extract source kind, chosen by the mapping's source format.
import type { SourceFormat } from "../map/mapping-schema.ts";
import { openCsvSource } from "./csv-source.ts";
import type { OpenedSource, SourceLimits } from "./source.ts";
import { openXmlSource } from "./xml-source.ts";

export interface OpenSourceOptions {
  readonly format: SourceFormat;
  readonly path: string;
  readonly file: string;
  readonly limits: SourceLimits;
}

export async function openSource(options: OpenSourceOptions): Promise<OpenedSource<unknown>> {
  const { format, path, file, limits } = options;
  if (format.format === "csv") {
    return (await openCsvSource({
      path,
      file,
      limits,
      encoding: format.encoding,
      delimiter: format.delimiter,
      quote: format.quote,
      escape: format.escape,
      header: format.header,
      columns: format.columns,
    })) as OpenedSource<unknown>;
  }
  return (await openXmlSource({
    path,
    file,
    limits,
    encoding: format.encoding,
    recordPath: format.record_path,
  })) as OpenedSource<unknown>;
}
