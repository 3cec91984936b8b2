// A dataset's extract opened as its mapping declares (CSV or XML), with the mapping's caps, and
// the names of the source columns the mapping leaves behind.
import { openCsvSource } from "../extract/csv-source.ts";
import { defaultSourceLimits, type OpenedSource } from "../extract/source.ts";
import { openXmlSource } from "../extract/xml-source.ts";
import type { LoadedMapping } from "../map/load-mapping.ts";

export async function openSourceFor(
  mapping: LoadedMapping,
  source: { readonly absolute: string; readonly display: string },
): Promise<OpenedSource<unknown>> {
  const format = mapping.source;
  const common = {
    path: source.absolute,
    file: source.display,
    encoding: format.encoding,
    limits: {
      maxFileBytes: format.max_file_bytes ?? defaultSourceLimits.maxFileBytes,
      maxRecords: format.max_records ?? defaultSourceLimits.maxRecords,
      maxRecordBytes: format.max_record_bytes ?? defaultSourceLimits.maxRecordBytes,
    },
  };
  if (format.format === "csv") {
    return (await openCsvSource({
      ...common,
      delimiter: format.delimiter,
      quote: format.quote,
      escape: format.escape,
      header: format.header,
      columns: format.columns,
    })) as OpenedSource<unknown>;
  }
  return (await openXmlSource({
    ...common,
    recordPath: format.record_path,
  })) as OpenedSource<unknown>;
}

/** Names only. XML paths count as read when they are, or lie under, a path the mapping reads. */
export function droppedColumns(
  seen: readonly string[],
  read: readonly string[],
  mapping: LoadedMapping,
): string[] {
  const readSet = new Set(read);
  if (mapping.source.format === "csv") return seen.filter((c) => !readSet.has(c));
  return seen.filter((c) => !read.some((r) => c === r || c.startsWith(`${r}/`)));
}
