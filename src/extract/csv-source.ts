// CSV extracts as a Source: decoded and tokenized chunk by chunk, rows kept as string arrays,
// columns resolved to indexes once from the header. Every problem names the file and line.
import { type ErrorCode, PhinError } from "../errors.ts";
import { CsvParser, type CsvProblem, CsvSyntaxError } from "./csv-parser.ts";
import { type ExtractFile, type OpenedExtract, openExtract } from "./read-file.ts";
import { Batcher, type OpenedSource, type SourceBatch } from "./source.ts";

export interface CsvSourceOptions extends ExtractFile {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape?: string | undefined;
  readonly header: boolean;
  /** Column names when the file has no header row. */
  readonly columns?: readonly string[] | undefined;
}

const PROBLEMS: Record<CsvProblem, string> = {
  "quote-not-closed": "a quoted field starting in this record is never closed",
  "text-after-quote": "text follows a closing quote (a quote inside a field must be doubled)",
  "record-too-large": "the record is larger than max_record_bytes",
};
const EMPTY = "re-export the extract; an empty file usually means the export failed";

export async function openCsvSource(options: CsvSourceOptions): Promise<OpenedSource<string[]>> {
  if (!options.header && (options.columns === undefined || options.columns.length === 0)) {
    throw csvError("MAPPING_INVALID", options.file, undefined, {
      message: "the mapping says the extract has no header row but lists no columns",
      hint: "list the column names in order in source.columns",
    });
  }
  const source = new CsvSource(options, await openExtract(options));
  try {
    await source.readHeader();
  } catch (error) {
    await source.close();
    throw error;
  }
  return source;
}

function csvError(
  code: ErrorCode,
  file: string,
  line: number | undefined,
  text: { message: string; hint: string; field?: string },
): PhinError {
  return new PhinError(code, `${line === undefined ? file : `${file}:${line}`}: ${text.message}`, {
    stage: code === "MAPPING_INVALID" ? "map" : "extract",
    file,
    ...(line === undefined ? {} : { line }),
    ...(text.field === undefined ? {} : { field: text.field }),
    hint: text.hint,
  });
}

/** Positions of the first name given twice (blank names aside), or null. Positions only: with a
 * misconfigured `header`, the "header" may be a row of patient data. */
function repeatedName(names: readonly string[]): [number, number] | null {
  const seen = new Map<string, number>();
  for (const [i, name] of names.entries()) {
    const before = seen.get(name);
    if (before !== undefined && name !== "") return [before, i];
    seen.set(name, i);
  }
  return null;
}

/** The file decoded and tokenized a chunk at a time: the header, then batches of checked rows. */
class CsvSource implements OpenedSource<string[]> {
  readonly file: string;
  readonly #options: CsvSourceOptions;
  readonly #extract: OpenedExtract;
  readonly #parser: CsvParser;
  readonly #batcher = new Batcher<string[]>();
  #done = false;
  /** Column names (the file's first record, or the mapping's list), and where they are. */
  #header: readonly string[] | null;
  #headerLine = 1;
  readonly #names: string;
  #index = new Map<string, number>();
  /** Columns with an accessor: kept by restrictTo whatever list it is given. */
  readonly #resolved = new Set<number>();

  constructor(options: CsvSourceOptions, extract: OpenedExtract) {
    this.file = options.file;
    this.#options = options;
    this.#extract = extract;
    this.#parser = new CsvParser({
      delimiter: options.delimiter,
      quote: options.quote,
      escape: options.escape ?? options.quote,
      maxRecordChars: options.limits.maxRecordBytes,
    });
    this.#header = options.header ? null : (options.columns ?? null);
    this.#names = options.header ? "header" : "mapping's column list";
  }

  /** Read up to the header and the first record; refuse a header that repeats a name, or an
   * extract without records. */
  async readHeader(): Promise<void> {
    while ((this.#header === null || this.#batcher.count === 0) && !this.#done) await this.#read();
    const { file, header } = this.#options;
    if (this.#header === null) {
      throw csvError("SOURCE_EMPTY", file, undefined, {
        message: "the extract is empty (no header row)",
        hint: EMPTY,
      });
    }
    const twice = repeatedName(this.#header);
    if (twice !== null) {
      throw csvError(header ? "CSV_MALFORMED" : "MAPPING_INVALID", file, this.#headerLine, {
        message: `columns ${twice[0] + 1} and ${twice[1] + 1} of the ${this.#names} have the same name`,
        hint: header ? "rename one of them in the export" : "fix source.columns in the mapping",
      });
    }
    this.#index = new Map(this.#header.map((name, i) => [name, i]));
    if (this.#batcher.count > 0) return;
    throw header
      ? csvError("SOURCE_HEADER_ONLY", file, undefined, {
          message: "the extract has a header but no records",
          hint: "check the export's date filter for the period",
        })
      : csvError("SOURCE_EMPTY", file, undefined, {
          message: "the extract holds no records",
          hint: EMPTY,
        });
  }

  value(name: string): (row: string[]) => string | undefined {
    const i = this.#index.get(name);
    if (i === undefined) {
      throw csvError(
        "SOURCE_COLUMNS",
        this.file,
        this.#options.header ? this.#headerLine : undefined,
        {
          message: `the mapping reads column "${name}", which the ${this.#names} does not have`,
          hint: "check the column name in the mapping against the extract's header",
          field: name,
        },
      );
    }
    this.#resolved.add(i);
    return (row) => row[i];
  }

  group(): never {
    throw csvError("MAPPING_INVALID", this.file, undefined, {
      message: "repeated groups are only for XML sources; list CSV columns explicitly",
      hint: "use `columns` (or a column template) for repeated CSV fields",
    });
  }

  valueIn(): never {
    return this.group();
  }

  columnNames(): readonly string[] {
    return this.#header ?? [];
  }

  /** From now on only these columns become strings; rows read ahead are cleared likewise. */
  restrictTo(paths: readonly string[]): void {
    const read = new Set(paths);
    const kept = this.columnNames().map((name, i) => read.has(name) || this.#resolved.has(i));
    this.#parser.keepOnly(kept);
    for (const row of this.#batcher.held())
      for (let i = 0; i < row.length; i++) if (!kept[i]) row[i] = "";
  }

  async *batches(): AsyncGenerator<SourceBatch<string[]>> {
    try {
      for (;;) {
        const ready = this.#batcher.take();
        if (ready.length === 0 && this.#done) return;
        yield* ready;
        if (!this.#done) await this.#read();
      }
    } finally {
      this.#extract.stream.destroy();
    }
  }

  progress(): { bytes: number; totalBytes: number } {
    return { bytes: this.#extract.stream.bytesRead, totalBytes: this.#extract.size };
  }

  async close(): Promise<void> {
    this.#extract.stream.destroy();
  }

  /** Decode and tokenize one more chunk, or finish at the end of the file. */
  async #read(): Promise<void> {
    const onRecord = (fields: string[], line: number, chars: number) =>
      this.#record(fields, line, chars);
    try {
      const next = await this.#extract.text.next();
      if (next.done) {
        this.#parser.end(onRecord);
        this.#batcher.flush();
        this.#done = true;
      } else this.#parser.push(next.value, onRecord);
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      const tooLarge = error.problem === "record-too-large";
      throw csvError(tooLarge ? "RECORD_TOO_LARGE" : "CSV_MALFORMED", this.file, error.line, {
        message: PROBLEMS[error.problem],
        hint: tooLarge
          ? "raise max_record_bytes in the mapping if the extract is genuine"
          : "a quote inside a quoted field must be doubled; check the export's quoting",
      });
    }
  }

  /** A record from the parser: the header, or a row checked for width and the record cap. */
  #record(fields: string[], line: number, chars: number): void {
    if (this.#header === null) {
      this.#header = fields.map((name) => name.trim());
      this.#headerLine = line;
      return;
    }
    const width = this.#header.length;
    if (fields.length !== width) {
      throw csvError("CSV_MALFORMED", this.file, line, {
        message: `the row has ${fields.length} fields, the ${this.#options.header ? "header has" : "mapping lists"} ${width}`,
        hint: "a field with the delimiter in it must be quoted",
      });
    }
    const { maxRecords } = this.#options.limits;
    if (this.#batcher.count === maxRecords) {
      throw csvError("SOURCE_TOO_LARGE", this.file, line, {
        message: `more than ${maxRecords} records (max_records)`,
        hint: "raise max_records in the mapping if the extract is genuine",
      });
    }
    this.#batcher.add(fields, line, chars);
  }
}
