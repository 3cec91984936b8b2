// The contract every extract source (CSV file, XML file, later PostgreSQL) fulfils: open once,
// resolve field accessors once, then stream records in batches, in source order.
// Records stay in the source's native shape (a CSV row is a string array, an XML record a parsed
// element tree) so no per-record object is built for columns the mapping never reads.

/** Where a record came from, for issues and errors. Never holds a record value. */
export interface RowRef {
  /** Display path of the source file (as configured, relative to the config). */
  readonly file: string;
  /** 1-based line where the record starts (CSV: physical line; XML: line of the start tag). */
  readonly line: number;
}

/** Reads one value from a native record; `undefined` when absent. Resolved once, called per row. */
export type ValueAccessor<R> = (row: R) => string | undefined;

/** Reads a repeated group from a native record as sub-records (XML repeated elements). */
export type GroupAccessor<R> = (row: R) => readonly R[];

export interface SourceBatch<R> {
  readonly rows: readonly R[];
  /** lines[i] is the 1-based start line of rows[i]. */
  readonly lines: readonly number[];
}

export interface OpenedSource<R> {
  /** Display path used in every message about this source. */
  readonly file: string;
  /**
   * Resolve a value path once. CSV: a column name (throws SOURCE_COLUMNS when the header lacks
   * it). XML: an element path relative to the record element, `a/b/c`, or `a/@attr`.
   */
  value(path: string): ValueAccessor<R>;
  /** Resolve a repeated group once (XML only; CSV throws MAPPING_INVALID). */
  group(path: string): GroupAccessor<R>;
  /** Value path relative to a group's sub-record (XML only). */
  valueIn(groupPath: string, path: string): ValueAccessor<R>;
  /**
   * Names of every column / leaf path seen so far (CSV: the header; XML: grows as records are
   * read, capped). Used to report dropped column NAMES, never values.
   */
  columnNames(): readonly string[];
  /** Stream of record batches in source order. Can be iterated once. */
  batches(): AsyncIterable<SourceBatch<R>>;
  /**
   * Only these column names / paths will be read from now on: a source may then skip turning
   * the others into strings at all (minimisation at the earliest point, and less work).
   */
  restrictTo(paths: readonly string[]): void;
  /** Bytes read so far and the extract's size, for progress and ETA. */
  progress(): { bytes: number; totalBytes: number };
  /** Release file handles early (on error); safe to call twice. */
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

/** Records per batch handed downstream: enough to spread the per-batch await, few enough to stay small. */
export const BATCH_SIZE = 256;
/**
 * Characters of source text per batch, at most (give or take one read chunk or one record): so
 * a batch of huge records (up to max_record_bytes each) is cut short, and the memory a batch
 * holds stays bounded whatever the records look like (so a capped V8 heap, see
 * docs/performance.md, is safe).
 */
export const BATCH_CHARS = 4 * 1024 * 1024;
