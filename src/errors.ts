// The one error type phin-submit throws on purpose: a stable code, the pipeline stage it came
// from, a message that names file / line / field but never a record value. The catalogue below
// is the one source of each code's class and exit code: docs/errors.md and --help's exit code
// table are generated from it. Library errors are wrapped as `cause` and never serialised.

export type Stage =
  | "config"
  | "extract"
  | "map"
  | "minimise"
  | "validate"
  | "package"
  | "report"
  | "transmit"
  | "receipt"
  | "cli"
  | "internal";

/**
 * Error classes, each with exactly one exit code; schedulers act on these numbers.
 * `usage`: bad command line; `config`: configuration, state directory, mapping or secret problem;
 * `input`: a source file could not be read as declared (a file-level validation error: the run
 * is blocked, the same exit as a blocked verdict); `transient`: the transport failed after its
 * retries, or a source database could not be reached or cancelled a slow query (safe to rerun); `rejected`: PHIN refused the submission; `trust`: TLS, authentication
 * or receipt authenticity failed; `locked`: another run holds the period; `internal`: a bug.
 */
export const errorClasses = {
  locked: { exit: 11, meaning: "another run holds the lock for this period" },
  usage: { exit: 64, meaning: "usage error (bad command line)" },
  input: { exit: 65, meaning: "validation blocked the submission (report written)" },
  internal: { exit: 70, meaning: "internal error" },
  transient: {
    exit: 75,
    meaning:
      "transport failed after retries, or the source database was unreachable or timed out (safe to rerun)",
  },
  rejected: { exit: 76, meaning: "rejected by PHIN" },
  trust: { exit: 77, meaning: "TLS, authentication or receipt authenticity refused" },
  config: { exit: 78, meaning: "configuration, state directory or secret missing or invalid" },
} as const satisfies Record<string, { exit: number; meaning: string }>;

export type ErrorClass = keyof typeof errorClasses;

export const EXIT_OK = 0;
/** A run stopped by a signal exits as a shell reports it: 128 + the signal's number. */
export const EXIT_INTERRUPTED = { SIGINT: 130, SIGTERM: 143 } as const;

/** Every exit code and its meaning, as `--help` and docs/errors.md print them. */
export const exitCodeTable: readonly (readonly [number, string])[] = [
  [EXIT_OK, "success (including: period already submitted)"],
  ...Object.values(errorClasses).map((c) => [c.exit, c.meaning] as const),
  [EXIT_INTERRUPTED.SIGINT, "stopped by SIGINT (the run's staging folder is removed)"],
  [EXIT_INTERRUPTED.SIGTERM, "stopped by SIGTERM (the run's staging folder is removed)"],
];

/** One catalogue entry: its class, the exit code that class ends the run with, the doc line. */
function entry(errorClass: ErrorClass, summary: string) {
  return { class: errorClass, exit: errorClasses[errorClass].exit, summary } as const;
}

/** Catalogue of stable error codes; docs/errors.md is generated from it (npm run gen:schemas). */
export const errorCatalogue = {
  USAGE: entry("usage", "The command line is not valid."),
  CONFIG_NOT_FOUND: entry("config", "The configuration file does not exist."),
  CONFIG_INVALID: entry("config", "The configuration file (or a PHIN_* variable) is not valid."),
  STATE_DIR_UNUSABLE: entry(
    "config",
    "The state directory (or a folder in it) is not a directory or cannot be written.",
  ),
  SECRET_MISSING: entry(
    "config",
    "A secret file named in the configuration is missing or unreadable.",
  ),
  SECRET_INVALID: entry(
    "config",
    "A secret file does not hold a usable secret (the pseudonymisation key: at least 256 bits).",
  ),
  SECRET_FILE_SHARED: entry(
    "config",
    "The pseudonymisation key file is readable by group or others; chmod 600 it.",
  ),
  MAPPING_NOT_FOUND: entry("config", "A mapping file named in the configuration does not exist."),
  MAPPING_INVALID: entry("config", "A mapping file is not valid."),
  LOOKUP_INVALID: entry("config", "A lookup table or code list file is not valid."),
  SOURCE_NOT_FOUND: entry("input", "A source extract for the period does not exist."),
  SOURCE_UNREADABLE: entry("input", "A source extract could not be read."),
  SOURCE_EMPTY: entry("input", "A source extract is empty."),
  SOURCE_HEADER_ONLY: entry("input", "A source extract has a header but no records."),
  SOURCE_ENCODING: entry("input", "A source extract is not in the encoding its mapping declares."),
  SOURCE_TOO_LARGE: entry("input", "A source extract exceeds a configured size or row cap."),
  SOURCE_COLUMNS: entry("input", "A source extract lacks columns its mapping reads."),
  SOURCE_WRONG_PERIOD: entry("input", "A source extract appears to hold another period."),
  CSV_MALFORMED: entry("input", "A CSV extract is malformed (quoting, ragged rows)."),
  XML_MALFORMED: entry("input", "An XML extract is not well-formed."),
  XML_FORBIDDEN: entry(
    "input",
    "An XML extract uses a DOCTYPE or entity declaration, which are refused.",
  ),
  RECORD_TOO_LARGE: entry("input", "A single record exceeds the configured size cap."),
  SQL_QUERY_INVALID: entry(
    "config",
    "A SQL source's query file is missing or empty, or the database refused the query (syntax, unknown table or column, a write in the read-only transaction, permissions, parameters, repeated column names).",
  ),
  SQL_LOGIN_REFUSED: entry(
    "config",
    "The database server refused the login (user, password) or the database name.",
  ),
  SQL_UNREACHABLE: entry(
    "transient",
    "The database server of a SQL source could not be reached, or dropped the connection. Safe to rerun.",
  ),
  SQL_TIMEOUT: entry(
    "transient",
    "A SQL source's query ran longer than statement_timeout_ms and was cancelled. Safe to rerun; raise the timeout if the month is genuinely that slow.",
  ),
  TRANSPORT_FAILED: entry(
    "transient",
    "PHIN could not be reached or kept failing; retries are exhausted. Safe to rerun.",
  ),
  REJECTED: entry(
    "rejected",
    "PHIN refused the request (bad request, conflict, already submitted).",
  ),
  AUTH_REFUSED: entry("trust", "PHIN refused the bearer token or the client certificate."),
  TLS_REFUSED: entry(
    "trust",
    "The TLS connection could not be established or the server could not be verified.",
  ),
  RECEIPT_INVALID: entry("trust", "PHIN's receipt did not verify; the submission is unconfirmed."),
  LEDGER_INVALID: entry(
    "trust",
    "The ledger does not verify: its hash chain, a receipt signature, or its end (entries missing, emptied or deleted).",
  ),
  RECEIPT_UNTRUSTED: entry(
    "trust",
    "A ledger entry claims a receipt that is not proof: the signature or the digests do not verify against PHIN's key and the manifest.",
  ),
  RECEIPT_UNCONFIRMED: entry(
    "trust",
    "PHIN does not hold a submission the ledger has a receipt for (submit --confirm, status, doctor).",
  ),
  LOCKED: entry("locked", "Another run holds the lock for this period."),
  PERIOD_NOT_ENDED: entry(
    "usage",
    "`submit` was asked for a month that has not ended yet in Europe/London time.",
  ),
  PERIOD_ALREADY_ACCEPTED: entry(
    "usage",
    "`submit` of a month PHIN already accepted with other content: refused before any request.",
  ),
  STATE_STORE_INVALID: entry(
    "config",
    "The state store or a sent month's link-keys file cannot be read, written or trusted.",
  ),
  NOT_FOUND: entry("usage", "No such submission or receipt."),
  INTERNAL: entry("internal", "An unexpected internal error."),
};

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorLocation {
  /** File path as the user wrote it (relative to the config), never a record value. */
  file?: string;
  /** 1-based line in `file` where the offending record or token starts. */
  line?: number;
  /** Target field, mapping key or config path. */
  field?: string;
}

export interface PhinErrorOptions extends ErrorLocation {
  stage: Stage;
  /** What the user should do next. */
  hint?: string;
  cause?: unknown;
}

export class PhinError extends Error {
  readonly code: ErrorCode;
  readonly stage: Stage;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: PhinErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PhinError";
    this.code = code;
    this.stage = options.stage;
    this.file = options.file;
    this.line = options.line;
    this.field = options.field;
    this.hint = options.hint;
  }

  get errorClass(): ErrorClass {
    return errorCatalogue[this.code].class;
  }

  /** Allow-list serialisation: the cause (a library error that may hold a record) never leaves. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      stage: this.stage,
      message: this.message,
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.line === undefined ? {} : { line: this.line }),
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}

export function isPhinError(error: unknown): error is PhinError {
  return error instanceof PhinError;
}

/** The one place errors become exit codes: anything not ours is a bug. */
export function exitCodeOf(error: unknown): number {
  return isPhinError(error) ? errorCatalogue[error.code].exit : errorClasses.internal.exit;
}
