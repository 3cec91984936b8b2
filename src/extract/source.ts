// The contract every extract source (CSV file, XML file, SQL query) fulfils, the caps
// on what a source accepts, and the batching they share.

/** Reads one value from a record; `undefined` when absent. Resolved once, called per record. */
export type ValueAccessor<R> = (row: R) => string | undefined;

/** Reads a repeated group from a record as sub-records (XML repeated elements). */
export type GroupAccessor<R> = (row: R) => readonly R[];

export interface SourceBatch<R> {
  readonly rows: readonly R[];
  /** lines[i] is the 1-based line where rows[i] starts (CSV: its first physical line; XML: the
   * line of its start tag; SQL: its row number in the result): what every issue names. */
  readonly lines: readonly number[];
}

/**
 * An extract opened for one pass. Opening reads just far enough to refuse an unusable extract
 * (missing, empty, no records, a broken header); everything else is found while streaming.
 * Records stay in the source's own shape (a CSV row is a string array, an XML record an element
 * tree): the mapping reads them only through accessors it resolves once, before the first batch.
 * Every error is a PhinError naming the file (and line where there is one), never a value.
 *
 * Order of use: value/group/valueIn for every path the mapping reads, then restrictTo, then
 * batches (once); columnNames and progress at any time; close when done or on error.
 */
export interface OpenedSource<R> {
  /** Display path used in every message about this source. */
  readonly file: string;
  /**
   * Resolve a value path once. CSV: a column name (throws SOURCE_COLUMNS when the header lacks
   * it). XML: an element path relative to the record element, `a/b/c`, `a/@attr` or `.`.
   */
  value(path: string): ValueAccessor<R>;
  /** Resolve a repeated group once (XML only; CSV throws MAPPING_INVALID). */
  group(path: string): GroupAccessor<R>;
  /** A value path relative to the sub-records of a group (XML only). */
  valueIn(groupPath: string, path: string): ValueAccessor<R>;
  /**
   * Names of every column / leaf path seen so far (CSV: the header; XML: grows as records are
   * read, capped). Used to report dropped column NAMES, never values.
   */
  columnNames(): readonly string[];
  /**
   * Only these paths (and those already resolved) are read from now on: the source then leaves
   * every other value of a record unread, so it never becomes a string in memory (minimisation
   * at the earliest point).
   */
  restrictTo(paths: readonly string[]): void;
  /** Record batches in source order. Can be iterated once; closes the source when it ends. */
  batches(): AsyncIterable<SourceBatch<R>>;
  /** Bytes read so far and the extract's size, for progress and ETA (totalBytes 0: unknown). */
  progress(): { bytes: number; totalBytes: number };
  /** Release the file (or connection) early, on error; safe to call twice. */
  close(): Promise<void>;
}

/** Caps that keep a hostile or broken extract from exhausting memory. */
export interface SourceLimits {
  /** Largest file accepted, bytes. Default 8 GiB. */
  readonly maxFileBytes: number;
  /** Most records accepted. Default 20 million. */
  readonly maxRecords: number;
  /** Largest single record (CSV row or XML record element), bytes. Default 1 MiB. */
  readonly maxRecordBytes: number;
}

export const defaultSourceLimits: SourceLimits = {
  maxFileBytes: 8 * 1024 ** 3,
  maxRecords: 20_000_000,
  maxRecordBytes: 1024 ** 2,
};

/**
 * Records per batch: enough to spread the per-batch work downstream (an await, a write), few
 * enough that little of a batch is alive whenever V8 collects its young generation (what
 * survives those collections makes V8 grow it, and the whole run's memory with it).
 */
export const BATCH_SIZE = 128;
/** Characters of records per batch, at most (give or take one record): bounds a batch's memory
 * when the records are huge. */
export const BATCH_CHARS = 4 * 1024 * 1024;

/** Gathers records into batches of BATCH_SIZE records, cut short at BATCH_CHARS characters. */
export class Batcher<R> {
  #rows: R[] = [];
  #lines: number[] = [];
  #chars = 0;
  readonly #ready: SourceBatch<R>[] = [];
  /** Records added so far. */
  count = 0;

  add(row: R, line: number, chars: number): void {
    this.#rows.push(row);
    this.#lines.push(line);
    this.#chars += chars;
    this.count++;
    if (this.#rows.length >= BATCH_SIZE || this.#chars >= BATCH_CHARS) this.flush();
  }

  /** End the batch being gathered (at the end of the source). */
  flush(): void {
    if (this.#rows.length === 0) return;
    this.#ready.push({ rows: this.#rows, lines: this.#lines });
    this.#rows = [];
    this.#lines = [];
    this.#chars = 0;
  }

  /** The batches completed since the last call, oldest first. */
  take(): SourceBatch<R>[] {
    return this.#ready.splice(0);
  }

  /** Every record added and not yet taken. */
  held(): R[] {
    return [...this.#ready.flatMap((batch) => batch.rows), ...this.#rows];
  }
}
