// SQL query results as a Source: the query file's one SELECT runs in a read-only transaction with
// the period's first and last day bound as parameters, and its rows stream in chunks, read by
// column name like CSV. A record's number is its row number in the result (1-based); every
// message names the dataset and the query file, never a value.
import { readFile } from "node:fs/promises";
import { type ErrorCode, PhinError } from "../errors.ts";
import {
  BATCH_SIZE,
  Batcher,
  type OpenedSource,
  type SourceBatch,
  type SourceLimits,
} from "./source.ts";
import { openMysqlCursor } from "./sql-mysql.ts";
import { openPostgresCursor } from "./sql-postgres.ts";
import type { SqlCursor, SqlKind, SqlQuery, SqlRow } from "./sql-query.ts";

interface FileRef {
  readonly absolute: string;
  readonly display: string;
}

export interface SqlSourceOptions {
  readonly kind: SqlKind;
  readonly dataset: string;
  readonly query: FileRef;
  /** The secret file holding the connection URL (required for mysql), and its config key. */
  readonly urlFile?: (FileRef & { readonly field: string }) | undefined;
  /** The period's first and last day, YYYY-MM-DD. */
  readonly params: readonly [string, string];
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly limits: Pick<SourceLimits, "maxRecords" | "maxRecordBytes">;
}

const PROTOCOLS: Record<SqlKind, readonly string[]> = {
  postgres: ["postgres:", "postgresql:"],
  mysql: ["mysql:", "mariadb:"],
};

function error(
  code: ErrorCode,
  options: Pick<SqlSourceOptions, "dataset" | "query">,
  text: { message: string; hint: string; line?: number; field?: string },
): PhinError {
  const file = options.query.display;
  const where = text.line === undefined ? file : `${file}:${text.line}`;
  return new PhinError(code, `${options.dataset}: ${where}: ${text.message}`, {
    stage: code === "MAPPING_INVALID" ? "map" : "extract",
    file,
    ...(text.line === undefined ? {} : { line: text.line }),
    ...(text.field === undefined ? {} : { field: text.field }),
    hint: text.hint,
  });
}

/** The query file's text; one trailing semicolon is dropped (a prepared statement has none). */
async function readQuery(options: SqlSourceOptions): Promise<string> {
  let text: string;
  try {
    text = await readFile(options.query.absolute, "utf8");
  } catch (cause) {
    throw new PhinError(
      "SQL_QUERY_INVALID",
      `${options.dataset}: cannot read the query file ${options.query.display}`,
      { stage: "extract", file: options.query.display, cause, hint: "check the source.query path" },
    );
  }
  text = text.trimEnd().replace(/;$/, "");
  if (text.trim() === "") {
    throw error("SQL_QUERY_INVALID", options, {
      message: "the query file is empty",
      hint: "write one SELECT statement in it",
    });
  }
  return text;
}

/** The connection URL from its secret file, checked for the right scheme; never shown. */
async function readUrl(options: SqlSourceOptions): Promise<string | undefined> {
  const ref = options.urlFile;
  if (ref === undefined) return undefined;
  const where = { stage: "config", file: ref.display, field: ref.field } as const;
  let url: string;
  try {
    url = (await readFile(ref.absolute, "utf8")).trim();
  } catch (cause) {
    throw new PhinError("SECRET_MISSING", `cannot read the connection URL file ${ref.display}`, {
      ...where,
      cause,
      hint: "create it holding one URL, e.g. postgres://USER:PASSWORD@HOST:5432/DATABASE, mode 0600",
    });
  }
  const protocols = PROTOCOLS[options.kind];
  if (!URL.canParse(url) || !protocols.includes(new URL(url).protocol)) {
    throw new PhinError(
      "SECRET_INVALID",
      `${ref.display} does not hold a ${protocols.join(" or ")}// URL`,
      { ...where, hint: "write one URL on one line (percent-encode special characters)" },
    );
  }
  return url;
}

export async function openSqlSource(options: SqlSourceOptions): Promise<OpenedSource<SqlRow>> {
  const query: SqlQuery = {
    kind: options.kind,
    dataset: options.dataset,
    file: options.query.display,
    text: await readQuery(options),
    params: options.params,
    statementTimeoutMs: options.statementTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    url: await readUrl(options),
  };
  const open = options.kind === "postgres" ? openPostgresCursor : openMysqlCursor;
  const cursor = await open(query);
  try {
    const first = await cursor.read(BATCH_SIZE);
    return new SqlSource(options, cursor, first);
  } catch (e) {
    await cursor.close();
    throw e;
  }
}

/** Rows from the cursor a chunk at a time, each checked for size and the row cap. */
class SqlSource implements OpenedSource<SqlRow> {
  readonly file: string;
  readonly #options: SqlSourceOptions;
  readonly #cursor: SqlCursor;
  readonly #columns: readonly string[];
  readonly #index: Map<string, number>;
  readonly #batcher = new Batcher<SqlRow>();
  /** Columns with an accessor: kept by restrictTo whatever list it is given. */
  readonly #resolved = new Set<number>();
  #kept: boolean[] | null = null;
  #chars = 0;
  #done = false;

  constructor(options: SqlSourceOptions, cursor: SqlCursor, first: SqlRow[]) {
    this.file = options.query.display;
    this.#options = options;
    this.#cursor = cursor;
    this.#columns = cursor.columns;
    this.#index = new Map(this.#columns.map((name, i) => [name, i]));
    if (this.#index.size < this.#columns.length) {
      const twice = this.#columns.find((name, i) => this.#columns.indexOf(name) !== i);
      throw error("SQL_QUERY_INVALID", options, {
        message: `the result has two columns named "${twice}"`,
        hint: "give each selected column its own name (AS ...)",
      });
    }
    if (first.length === 0) {
      const [from, to] = options.params;
      throw error("SOURCE_EMPTY", options, {
        message: `the query returned no rows for ${from} to ${to}`,
        hint: "check the query's period filter and that the month's data is loaded",
      });
    }
    this.#add(first);
  }

  value(name: string): (row: SqlRow) => string | undefined {
    const i = this.#index.get(name);
    if (i === undefined) {
      throw error("SOURCE_COLUMNS", this.#options, {
        message: `the mapping reads column "${name}", which the query's result does not have`,
        hint: "select the column in the query (or alias it to the name the mapping reads)",
        field: name,
      });
    }
    this.#resolved.add(i);
    return (row) => row[i] ?? undefined;
  }

  group(): never {
    throw error("MAPPING_INVALID", this.#options, {
      message: "repeated groups are only for XML sources; list SQL columns explicitly",
      hint: "use `columns` (or a column template) for repeated fields",
    });
  }

  valueIn(): never {
    return this.group();
  }

  columnNames(): readonly string[] {
    return this.#columns;
  }

  /** Values of other columns are dropped as rows arrive (and from rows read ahead). */
  restrictTo(paths: readonly string[]): void {
    const read = new Set(paths);
    const kept = this.#columns.map((name, i) => read.has(name) || this.#resolved.has(i));
    this.#kept = kept;
    for (const row of this.#batcher.held()) drop(row, kept);
  }

  async *batches(): AsyncGenerator<SourceBatch<SqlRow>> {
    try {
      for (;;) {
        const ready = this.#batcher.take();
        if (ready.length === 0 && this.#done) return;
        yield* ready;
        if (this.#done) continue;
        const rows = await this.#cursor.read(BATCH_SIZE);
        if (rows.length === 0) {
          this.#batcher.flush();
          this.#done = true;
        } else this.#add(rows);
      }
    } finally {
      await this.#cursor.close();
    }
  }

  progress(): { bytes: number; totalBytes: number } {
    return { bytes: this.#chars, totalBytes: 0 };
  }

  close(): Promise<void> {
    return this.#cursor.close();
  }

  #add(rows: SqlRow[]): void {
    const { maxRecords, maxRecordBytes } = this.#options.limits;
    for (const row of rows) {
      const number = this.#batcher.count + 1;
      let chars = 0;
      for (const value of row) chars += value?.length ?? 0;
      if (chars > maxRecordBytes) {
        throw error("RECORD_TOO_LARGE", this.#options, {
          message: `row ${number} of the result is larger than max_record_bytes`,
          hint: "raise max_record_bytes in the mapping if the data is genuine",
          line: number,
        });
      }
      if (number > maxRecords) {
        throw error("SOURCE_TOO_LARGE", this.#options, {
          message: `more than ${maxRecords} rows (max_records)`,
          hint: "raise max_records in the mapping if the month is genuine",
          line: number,
        });
      }
      if (this.#kept !== null) drop(row, this.#kept);
      this.#chars += chars;
      this.#batcher.add(row, number, chars);
    }
  }
}

function drop(row: SqlRow, kept: readonly boolean[]): void {
  for (let i = 0; i < row.length; i++) if (!kept[i]) row[i] = null;
}
