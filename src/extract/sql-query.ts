// What a SQL source's driver is given (the query, its two parameters, timeouts, the connection)
// and what it hands back: a cursor over the result's rows as text. Shared by the PostgreSQL and
// MySQL drivers, and the one place their failures become coded errors that never hold a value.
import { type ErrorCode, PhinError } from "../errors.ts";

/** One row of a result, in column order: each value as text, SQL NULL as null. */
export type SqlRow = (string | null)[];

export type SqlKind = "postgres" | "mysql";

export interface SqlQuery {
  readonly kind: SqlKind;
  /** The dataset the query feeds: every message names it. */
  readonly dataset: string;
  /** The query file as the config names it: every message names it. */
  readonly file: string;
  readonly text: string;
  /** The period's first and last day (YYYY-MM-DD), bound as the query's two parameters. */
  readonly params: readonly [string, string];
  readonly statementTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** A connection URL read from the secret file, or undefined for the driver's environment. */
  readonly url: string | undefined;
}

/** A query running in a read-only transaction, read a chunk at a time. */
export interface SqlCursor {
  /** The result's column names, in order. */
  readonly columns: readonly string[];
  /** Up to `max` more rows; an empty array once the result is exhausted. */
  read(max: number): Promise<SqlRow[]>;
  /** End the transaction and the connection; safe to call twice. */
  close(): Promise<void>;
}

/** Why a driver failed, decided from the database's error code (never its message). */
export interface SqlFailure {
  readonly code: Extract<
    ErrorCode,
    "SQL_QUERY_INVALID" | "SQL_LOGIN_REFUSED" | "SQL_UNREACHABLE" | "SQL_TIMEOUT"
  >;
  /** The database's own code (SQLSTATE, MySQL error name or number, or the socket error). */
  readonly dbCode: string;
  /** 1-based line of the query file the database points at, where it says. */
  readonly line?: number | undefined;
}

const WHAT: Record<SqlFailure["code"], { message: string; hint: string }> = {
  SQL_QUERY_INVALID: {
    message: "the database refused the query",
    hint: "run the query by hand with the period's first and last day; the code says why",
  },
  SQL_LOGIN_REFUSED: {
    message: "the database server refused the login or the database",
    hint: "check the user, password and database in the connection URL or the PG* variables",
  },
  SQL_UNREACHABLE: {
    message: "the database server could not be reached",
    hint: "check that the server runs and the host and port are right; rerun when it is back",
  },
  SQL_TIMEOUT: {
    message: "the query ran longer than statement_timeout_ms and was cancelled",
    hint: "rerun at a quieter time, speed the query up, or raise statement_timeout_ms",
  },
};

/** A coded error naming the dataset, the query file and the database's code, never a value. */
export function sqlError(
  query: Pick<SqlQuery, "dataset" | "file">,
  failure: SqlFailure,
  cause: unknown,
) {
  const what = WHAT[failure.code];
  const where = failure.line === undefined ? query.file : `${query.file}:${failure.line}`;
  return new PhinError(
    failure.code,
    `${query.dataset}: ${where}: ${what.message} (database code ${failure.dbCode})`,
    {
      stage: "extract",
      file: query.file,
      ...(failure.line === undefined ? {} : { line: failure.line }),
      hint: what.hint,
      cause,
    },
  );
}

/** Socket-level failures: the server is down, unreachable or went away mid-read. */
const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/** The socket error code of a driver error, when it is one of the above. */
export function networkCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && NETWORK.has(code) ? code : undefined;
}

/** The 1-based line holding a 1-based character position of the query text. */
export function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position - 1 && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}
