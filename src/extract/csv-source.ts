// CSV extracts as a Source: decoded and tokenized chunk by chunk, rows kept as string arrays,
// columns resolved to indexes once from the header. Every problem names the file and line.
import { PhinError } from "../errors.ts";
import { CsvParser, type CsvProblem, CsvSyntaxError } from "./csv-parser.ts";
import { decodeText, type TextEncoding } from "./decode.ts";
import { lineAtOffset, openExtract } from "./read-file.ts";
import {
  BATCH_CHARS,
  BATCH_SIZE,
  type OpenedSource,
  type SourceBatch,
  type SourceLimits,
} from "./source.ts";

export interface CsvSourceOptions {
  /** Absolute path to read. */
  readonly path: string;
  /** Display path for messages. */
  readonly file: string;
  readonly encoding: TextEncoding;
  readonly delimiter: string;
  readonly quote: string;
  readonly escape?: string | undefined;
  readonly header: boolean;
  /** Column names when the file has no header row. */
  readonly columns?: readonly string[] | undefined;
  readonly limits: SourceLimits;
  /** Read chunk size in bytes (tests use tiny ones to split records across chunks). */
  readonly highWaterMark?: number;
}

const problemText: Record<CsvProblem, string> = {
  "quote-not-closed": "a quoted field starting in this record is never closed",
  "text-after-quote": "text follows a closing quote (a quote inside a field must be doubled)",
  "record-too-large": "the record is larger than max_record_bytes",
};

const quotingHint = "a quote inside a quoted field must be doubled; check the export's quoting";
const problemHint: Record<CsvProblem, string> = {
  "quote-not-closed": quotingHint,
  "text-after-quote": quotingHint,
  "record-too-large": "raise max_record_bytes in the mapping if the extract is genuine",
};

export async function openCsvSource(options: CsvSourceOptions): Promise<OpenedSource<string[]>> {
  const { file, limits } = options;
  const { stream, size } = await openExtract(
    options.path,
    file,
    limits.maxFileBytes,
    options.highWaterMark,
  );
  const text = decodeText(stream, options.encoding, file, (offset) =>
    lineAtOffset(options.path, offset),
  )[Symbol.asyncIterator]();
  const parser = new CsvParser({
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.escape ?? options.quote,
    maxRecordChars: limits.maxRecordBytes,
  });
  const fail = (
    code: "CSV_MALFORMED" | "RECORD_TOO_LARGE" | "SOURCE_TOO_LARGE" | "MAPPING_INVALID",
    line: number,
    message: string,
    hint?: string,
  ) =>
    new PhinError(code, `${file}:${line}: ${message}`, {
      stage: "extract",
      file,
      line,
      ...(hint ? { hint } : {}),
    });
  const syntax = (error: unknown): unknown =>
    error instanceof CsvSyntaxError
      ? fail(
          error.problem === "record-too-large" ? "RECORD_TOO_LARGE" : "CSV_MALFORMED",
          error.line,
          problemText[error.problem],
          problemHint[error.problem],
        )
      : error;

  // Pending parsed rows; the parser hands over whole records as chunks arrive.
  let rows: string[][] = [];
  let lines: number[] = [];
  const collect = (fields: string[], line: number) => {
    rows.push(fields);
    lines.push(line);
  };
  let done = false;
  /** Characters of text read since the last batch was handed out. */
  let pendingChars = 0;
  const full = () => rows.length >= BATCH_SIZE || pendingChars >= BATCH_CHARS;
  /** Read chunks until a batch of rows is pending or the file ends. */
  const fill = async () => {
    while (!full() && !done) {
      const next = await text.next().catch((e: unknown) => {
        throw syntax(e);
      });
      try {
        if (next.done) {
          parser.end(collect);
          done = true;
        } else {
          pendingChars += next.value.length;
          parser.push(next.value, collect);
        }
      } catch (error) {
        throw syntax(error);
      }
    }
  };

  if (!options.header && (options.columns === undefined || options.columns.length === 0)) {
    stream.destroy();
    throw new PhinError(
      "MAPPING_INVALID",
      `${file}: the mapping says the extract has no header row but lists no columns`,
      { stage: "map", file, hint: "list the column names in order in source.columns" },
    );
  }
  let header: readonly string[];
  let headerLine = 1;
  try {
    await fill();
    if (options.header) {
      const first = rows.shift();
      headerLine = lines.shift() ?? 1;
      if (first === undefined)
        throw new PhinError("SOURCE_EMPTY", `${file}: the extract is empty (no header row)`, {
          stage: "extract",
          file,
          hint: "re-export the extract; an empty file usually means the export failed",
        });
      header = first.map((h) => h.trim());
    } else {
      header = options.columns ?? [];
    }
    // Positions only: with a misconfigured `header`, the "header" may be a row of patient data.
    const seen = new Map<string, number>();
    for (const [i, name] of header.entries()) {
      const before = seen.get(name);
      if (before !== undefined && name !== "") {
        throw fail(
          options.header ? "CSV_MALFORMED" : "MAPPING_INVALID",
          headerLine,
          `columns ${before + 1} and ${i + 1} of the ${options.header ? "header" : "mapping's column list"} have the same name`,
          options.header ? "rename one of them in the export" : "fix source.columns in the mapping",
        );
      }
      seen.set(name, i);
    }
    if (rows.length === 0 && done && !options.header) {
      throw new PhinError("SOURCE_EMPTY", `${file}: the extract holds no records`, {
        stage: "extract",
        file,
        hint: "re-export the extract; an empty file usually means the export failed",
      });
    }
    if (rows.length === 0 && done) {
      throw new PhinError(
        "SOURCE_HEADER_ONLY",
        `${file}: the extract has a header but no records`,
        {
          stage: "extract",
          file,
          hint: "check the export's date filter for the period",
        },
      );
    }
  } catch (error) {
    stream.destroy();
    throw error;
  }

  const index = new Map(header.map((name, i) => [name, i]));
  const width = header.length;
  let count = 0;
  /** Columns with a compiled accessor: kept by restrictTo whatever list it is given. */
  const compiled = new Set<number>();
  const groupsAreXml = () =>
    new PhinError(
      "MAPPING_INVALID",
      `${file}: repeated groups are only for XML sources; list CSV columns explicitly`,
      { stage: "map", file, hint: "use `columns` (or a column template) for repeated CSV fields" },
    );

  return {
    file,
    value(name) {
      const i = index.get(name);
      if (i === undefined) {
        throw new PhinError(
          "SOURCE_COLUMNS",
          `${file}: the mapping reads column "${name}", which the ${options.header ? "header" : "mapping's column list"} does not have`,
          {
            stage: "extract",
            file,
            ...(options.header ? { line: headerLine } : {}),
            field: name,
            hint: "check the column name in the mapping against the extract's header",
          },
        );
      }
      compiled.add(i);
      return (row) => row[i];
    },
    group() {
      throw groupsAreXml();
    },
    valueIn() {
      throw groupsAreXml();
    },
    columnNames: () => header,
    restrictTo(paths) {
      const mask = new Uint8Array(header.length);
      for (const name of paths) {
        const i = index.get(name);
        if (i !== undefined) mask[i] = 1;
      }
      for (const i of compiled) mask[i] = 1;
      parser.keepOnly(mask);
      // Rows parsed while opening: drop what nobody reads before anyone sees them.
      for (const row of rows) for (let i = 0; i < row.length; i++) if (mask[i] !== 1) row[i] = "";
    },
    async *batches(): AsyncGenerator<SourceBatch<string[]>> {
      try {
        for (;;) {
          if (!full()) await fill();
          pendingChars = 0;
          if (rows.length === 0) return;
          let batch: { rows: string[][]; lines: number[] };
          if (rows.length <= BATCH_SIZE) {
            batch = { rows, lines };
            rows = [];
            lines = [];
          } else {
            batch = { rows: rows.slice(0, BATCH_SIZE), lines: lines.slice(0, BATCH_SIZE) };
            rows = rows.slice(BATCH_SIZE);
            lines = lines.slice(BATCH_SIZE);
          }
          for (let i = 0; i < batch.rows.length; i++) {
            const row = batch.rows[i] as string[];
            if (row.length !== width) {
              throw fail(
                "CSV_MALFORMED",
                batch.lines[i] as number,
                `the row has ${row.length} fields, the ${options.header ? "header has" : "mapping lists"} ${width}`,
                "a field with the delimiter in it must be quoted",
              );
            }
          }
          if (count + batch.rows.length > limits.maxRecords) {
            throw fail(
              "SOURCE_TOO_LARGE",
              batch.lines[limits.maxRecords - count] as number,
              `more than ${limits.maxRecords} records (max_records)`,
              "raise max_records in the mapping if the extract is genuine",
            );
          }
          count += batch.rows.length;
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
