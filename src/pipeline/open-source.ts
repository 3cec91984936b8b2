// A dataset's extract opened as its mapping and config declare (a CSV or XML file, or a SQL
// query), with the mapping's caps, and the names of the source columns the mapping leaves behind.
import { PhinError } from "../errors.ts";
import { openCsvSource } from "../extract/csv-source.ts";
import { defaultSourceLimits, type OpenedSource } from "../extract/source.ts";
import { openSqlSource, type SqlSourceOptions } from "../extract/sql-source.ts";
import { openXmlSource } from "../extract/xml-source.ts";
import type { LoadedMapping } from "../map/load-mapping.ts";

/** Where a dataset's records come from; `display` is what every message and issue names. */
export type SourceLocation =
  | { readonly kind: "file"; readonly absolute: string; readonly display: string }
  | {
      readonly kind: "sql";
      readonly display: string;
      readonly sql: Omit<SqlSourceOptions, "limits">;
    };

export async function openSourceFor(
  mapping: LoadedMapping,
  location: SourceLocation,
): Promise<OpenedSource<unknown>> {
  const format = mapping.source;
  const limits = {
    maxRecords: format.max_records ?? defaultSourceLimits.maxRecords,
    maxRecordBytes: format.max_record_bytes ?? defaultSourceLimits.maxRecordBytes,
  };
  if (location.kind === "sql" || format.format === "sql") {
    // run-inputs refuses a mapping and a source of different kinds before anything is read.
    if (location.kind !== "sql" || format.format !== "sql") {
      throw new PhinError("INTERNAL", "source kind and mapping format disagree", {
        stage: "internal",
      });
    }
    return (await openSqlSource({ ...location.sql, limits })) as OpenedSource<unknown>;
  }
  const common = {
    path: location.absolute,
    file: location.display,
    encoding: format.encoding,
    limits: {
      ...limits,
      maxFileBytes: format.max_file_bytes ?? defaultSourceLimits.maxFileBytes,
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
  if (mapping.source.format !== "xml") return seen.filter((c) => !readSet.has(c));
  return seen.filter((c) => !read.some((r) => c === r || c.startsWith(`${r}/`)));
}
