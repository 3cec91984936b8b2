// CSV extracts as a Source: decoded and tokenized chunk by chunk, rows kept as string arrays,
// columns resolved to indexes once from the header. Every problem names the file and line.
import { PhinError } from "../errors.ts";
import { CsvParser, type CsvProblem, CsvSyntaxError } from "./csv-parser.ts";
import { decodeText, type TextEncoding } from "./decode.ts";
import { openExtract } from "./read-file.ts";
import { BATCH_SIZE, type OpenedSource, type SourceBatch, type SourceLimits } from "./source.ts";

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
  "record-too-large": "the record is larger than the configured max_record_bytes",
};

export async function openCsvSource(options: CsvSourceOptions): Promise<OpenedSource<string[]>> {
  const { file, limits } = options;
  const { stream, size } = await openExtract(
    options.path,
    file,
    limits.maxFileBytes,
    options.highWaterMark,
  );
  const text = decodeText(stream, options.encoding, file)[Symbol.asyncIterator]();
  const parser = new CsvParser({
    delimiter: options.delimiter,
    quote: options.quote,
    escape: options.escape ?? options.quote,
    maxRecordChars: limits.maxRecordBytes,
  });
  const fail = (
    code: "CSV_MALFORMED" | "RECORD_TOO_LARGE" | "SOURCE_TOO_LARGE",
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
  /** Read chunks until at least one row is pending or the file ends. */
  const fill = async () => {
    while (rows.length < BATCH_SIZE && !done) {
      const next = await text.next().catch((e: unknown) => {
        throw syntax(e);
      });
      try {
        if (next.done) {
          parser.end(collect);
          done = true;
        } else parser.push(next.value, collect);
      } catch (error) {
        throw syntax(error);
      }
    }
  };

  let header: readonly string[];
  try {
    await fill();
    if (options.header) {
      const first = rows.shift();
      lines.shift();
      if (first === undefined)
        throw new PhinError("SOURCE_EMPTY", `${file}: the extract has no header row`, {
          stage: "extract",
          file,
        });
      header = first.map((h) => h.trim());
    } else {
      header = options.columns ?? [];
    }
    const seen = new Set<string>();
    for (const name of header) {
      if (seen.has(name))
        throw fail("CSV_MALFORMED", 1, `column "${name}" appears twice in the header`);
      seen.add(name);
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

  return {
    file,
    value(name) {
      const i = index.get(name);
      if (i === undefined) {
        throw new PhinError(
          "SOURCE_COLUMNS",
          `${file}: the mapping reads column "${name}", which the header does not have`,
          {
            stage: "extract",
            file,
            line: 1,
            field: name,
            hint: "check the column name in the mapping against the extract's header",
          },
        );
      }
      return (row) => row[i];
    },
    group() {
      throw new PhinError(
        "MAPPING_INVALID",
        `${file}: repeated groups are only for XML sources; list CSV columns explicitly`,
        {
          stage: "map",
          file,
        },
      );
    },
    valueIn() {
      throw new PhinError(
        "MAPPING_INVALID",
        `${file}: repeated groups are only for XML sources; list CSV columns explicitly`,
        {
          stage: "map",
          file,
        },
      );
    },
    columnNames: () => header,
    restrictTo(paths) {
      const mask = new Uint8Array(header.length);
      for (const name of paths) {
        const i = index.get(name);
        if (i !== undefined) mask[i] = 1;
      }
      parser.keepOnly(mask);
    },
    async *batches(): AsyncGenerator<SourceBatch<string[]>> {
      try {
        for (;;) {
          await fill();
          if (rows.length === 0) return;
          const batch = { rows, lines };
          rows = [];
          lines = [];
          for (let i = 0; i < batch.rows.length; i++) {
            const row = batch.rows[i] as string[];
            if (row.length !== width) {
              throw fail(
                "CSV_MALFORMED",
                batch.lines[i] as number,
                `the row has ${row.length} fields, the header has ${width}`,
                "a field with the delimiter in it must be quoted",
              );
            }
          }
          count += batch.rows.length;
          if (count > limits.maxRecords) {
            throw fail(
              "SOURCE_TOO_LARGE",
              batch.lines[batch.lines.length - 1] as number,
              `more than ${limits.maxRecords} records`,
              "raise max_records in the mapping if the extract is genuine",
            );
          }
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
