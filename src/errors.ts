// The one error type phin-submit throws on purpose: a stable code, the pipeline stage it came
// from, a message that names file / line / field but never a record value, and the exit code
// class the CLI maps it to. Library errors are wrapped as `cause` and never serialised.

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
 * Error classes, each with exactly one exit code (the mapping lives in src/cli/exit-codes.ts).
 * `usage`: bad command line; `config`: configuration, mapping or secret problem; `input`: a
 * source file could not be read as declared (a file-level validation error: blocks the run);
 * `transient`: the transport failed after its retries (safe to rerun); `rejected`: PHIN refused
 * the submission; `trust`: TLS, authentication or receipt authenticity failed; `locked`: another
 * run holds the period; `internal`: a bug.
 */
export type ErrorClass =
  | "usage"
  | "config"
  | "input"
  | "transient"
  | "rejected"
  | "trust"
  | "locked"
  | "internal";

/** Catalogue of stable error codes. docs/errors.md lists them; a test keeps the two in step. */
export const errorCatalogue = {
  USAGE: { class: "usage", summary: "The command line is not valid." },
  CONFIG_NOT_FOUND: { class: "config", summary: "The configuration file does not exist." },
  CONFIG_INVALID: { class: "config", summary: "The configuration file is not valid." },
  SECRET_MISSING: {
    class: "config",
    summary: "A secret file named in the configuration is missing or unreadable.",
  },
  SECRET_INVALID: { class: "config", summary: "A secret file does not hold a usable secret." },
  MAPPING_NOT_FOUND: {
    class: "config",
    summary: "A mapping file named in the configuration does not exist.",
  },
  MAPPING_INVALID: { class: "config", summary: "A mapping file is not valid." },
  LOOKUP_INVALID: { class: "config", summary: "A lookup table or code list file is not valid." },
  SOURCE_NOT_FOUND: { class: "input", summary: "A source extract for the period does not exist." },
  SOURCE_UNREADABLE: { class: "input", summary: "A source extract could not be read." },
  SOURCE_EMPTY: { class: "input", summary: "A source extract is empty." },
  SOURCE_HEADER_ONLY: { class: "input", summary: "A source extract has a header but no records." },
  SOURCE_ENCODING: {
    class: "input",
    summary: "A source extract is not in the encoding its mapping declares.",
  },
  SOURCE_TOO_LARGE: {
    class: "input",
    summary: "A source extract exceeds a configured size or row cap.",
  },
  SOURCE_COLUMNS: { class: "input", summary: "A source extract lacks columns its mapping reads." },
  SOURCE_WRONG_PERIOD: {
    class: "input",
    summary: "A source extract appears to hold another period.",
  },
  CSV_MALFORMED: { class: "input", summary: "A CSV extract is malformed (quoting, ragged rows)." },
  XML_MALFORMED: { class: "input", summary: "An XML extract is not well-formed." },
  XML_FORBIDDEN: {
    class: "input",
    summary: "An XML extract uses a DOCTYPE or entity declaration, which are refused.",
  },
  RECORD_TOO_LARGE: { class: "input", summary: "A single record exceeds the configured size cap." },
  TRANSPORT_FAILED: {
    class: "transient",
    summary: "PHIN could not be reached or kept failing; retries are exhausted. Safe to rerun.",
  },
  REJECTED: {
    class: "rejected",
    summary: "PHIN refused the request (bad request, conflict, already submitted).",
  },
  AUTH_REFUSED: {
    class: "trust",
    summary: "PHIN refused the bearer token or the client certificate.",
  },
  TLS_REFUSED: {
    class: "trust",
    summary: "The TLS connection could not be established or the server could not be verified.",
  },
  RECEIPT_INVALID: {
    class: "trust",
    summary: "PHIN's receipt did not verify; the submission is unconfirmed.",
  },
  LEDGER_INVALID: {
    class: "trust",
    summary: "The ledger's hash chain or a receipt signature does not verify.",
  },
  LOCKED: { class: "locked", summary: "Another run holds the lock for this period." },
  NOT_FOUND: { class: "usage", summary: "No such submission or receipt." },
  INTERNAL: { class: "internal", summary: "An unexpected internal error." },
} as const satisfies Record<string, { class: ErrorClass; summary: string }>;

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

  /** "file:line field" prefix for messages; empty parts left out. */
  get where(): string {
    const place =
      this.file === undefined
        ? ""
        : this.line === undefined
          ? this.file
          : `${this.file}:${this.line}`;
    const field = this.field === undefined ? "" : `field ${this.field}`;
    return [place, field].filter(Boolean).join(", ");
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
