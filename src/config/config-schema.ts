// The configuration file (phin.config.json): who the provider is, where each dataset's extract
// and mapping live, where state goes, which secrets to read. Paths are relative to the config
// file. config.schema.json is generated from this module (npm run gen:schemas).
import { z } from "zod";

const odsOrg = z.string().regex(/^[A-Z0-9]{3,5}$/, "an ODS organisation code: 3-5 of A-Z 0-9");
const odsSite = z.string().regex(/^[A-Z0-9]{5}$/, "an ODS site code: 5 of A-Z 0-9");
const file = (description: string) => z.string().min(1).describe(description);
/** A section with defaults for every key: an absent section is parsed as an empty one. */
const section = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape).prefault({} as z.input<z.ZodObject<Shape>>);

export const $FileSource = z.strictObject({
  kind: z.literal("file").default("file"),
  path: file("Extract file path; {period} becomes YYYY-MM, {yyyy} and {mm} its parts."),
});

const ms = (description: string, value: number) =>
  z.number().int().positive().default(value).describe(`${description} (milliseconds)`);

const sqlQuery = {
  query: file(
    "SQL file holding one SELECT; the period's first and last day are its two parameters (docs/mappings.md).",
  ),
  statement_timeout_ms: ms(
    "Longest the query may run, the reading of every row included, before the server cancels it",
    300_000,
  ),
  connect_timeout_ms: ms("Longest wait for the database server to accept the connection", 10_000),
};

export const $PostgresSource = z.strictObject({
  kind: z.literal("postgres"),
  ...sqlQuery,
  url_file: file(
    "Optional secret file holding a postgres:// connection URL; without it the PG* environment variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD, ...) apply.",
  ).optional(),
});

export const $MysqlSource = z.strictObject({
  kind: z.literal("mysql"),
  ...sqlQuery,
  url_file: file("Secret file holding a mysql:// connection URL (MySQL or MariaDB)."),
});

export const $DatasetConfig = z.strictObject({
  mapping: file("Mapping file (see mappings/mapping.schema.json)."),
  source: z
    .preprocess(
      // `kind` may be left out for a file: the one kind that existed before SQL sources.
      (v) => (v !== null && typeof v === "object" && !("kind" in v) ? { kind: "file", ...v } : v),
      z.discriminatedUnion("kind", [$FileSource, $PostgresSource, $MysqlSource]),
    )
    .describe("Where the extract comes from: a file (the default kind) or a SQL query."),
});

export const $TransportConfig = z.strictObject({
  url: z
    .url()
    .describe("Base URL of the PHIN submission API (https only). Env: PHIN_TRANSPORT_URL."),
  client_cert_file: file("PEM client certificate for mutual TLS."),
  client_key_file: file("PEM private key of the client certificate (secret, mode 0600)."),
  ca_file: file("PEM CA certificate(s) the server must chain to."),
  server_spki_sha256: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .optional()
    .describe("Optional pin: base64 SHA-256 of the server certificate's public key (SPKI)."),
  token_file: file("File holding the bearer token (secret). Env: PHIN_TOKEN_FILE."),
  receipt_public_key_file: file("PEM Ed25519 public key PHIN signs receipts with (pinned)."),
  timeouts: section({
    connect_ms: ms("TCP connect timeout", 10_000),
    tls_ms: ms("TLS handshake timeout", 10_000),
    response_ms: ms("Time to response headers", 60_000),
    request_ms: ms("Whole request, body included", 600_000),
  }),
  retry: section({
    attempts: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(8)
      .describe("Attempts per request, the first included."),
    base_ms: ms("First backoff delay", 1_000),
    factor: z.number().min(1).max(10).default(2).describe("Backoff growth factor."),
    max_ms: ms("Longest backoff delay", 60_000),
    retry_after_cap_ms: ms("Longest Retry-After honoured; above it give up at once", 120_000),
    deadline_ms: ms("Overall deadline for a submission", 900_000),
  }),
});
export type TransportConfig = z.infer<typeof $TransportConfig>;

export const $ConfigV1 = z.strictObject({
  $schema: z.string().optional(),
  provider_code: odsOrg.describe("ODS code of the provider organisation."),
  sites: z.array(odsSite).min(1).describe("ODS site codes this provider submits for."),
  schema_version: z.literal(1).default(1),
  state_dir: z
    .string()
    .min(1)
    .default("var")
    .describe("State directory: outputs, staging, ledger, logs."),
  output: section({
    format: z
      .enum(["csv", "xml"])
      .default("csv")
      .describe("Bundle format: three CSV files or one submission.xml."),
  }),
  pseudonymisation: z.strictObject({
    key_file: file(
      "File holding the provider's secret pseudonymisation key (at least 256 bits: 32 random bytes, or 64 hex characters). Env: PHIN_PSEUDONYM_KEY_FILE.",
    ),
    allow_shared_key_file: z
      .boolean()
      .default(false)
      .describe(
        "Accept a key file readable by group or others (refused by default: chmod 600 it). Only for a published test key.",
      ),
  }),
  datasets: z.strictObject({
    episodes: $DatasetConfig,
    proms: $DatasetConfig,
    adverse_events: $DatasetConfig,
  }),
  code_lists: z
    .strictObject({
      icd10: z.string().optional(),
      opcs4: z.string().optional(),
      gmc: z.string().optional(),
      ods: z.string().optional(),
      insurer: z
        .string()
        .optional()
        .describe(
          "Insurer codes; needed when a mapping maps insurer_code (insurer codes are words, so only the list tells one from a name).",
        ),
    })
    .default({})
    .describe("Reference lists (one code per line); configured lists are checked for membership."),
  thresholds: section({
    max_rejected_share: z
      .number()
      .min(0)
      .max(1)
      .default(0.05)
      .describe("Block the submission when a dataset's rejected share exceeds this (0..1)."),
  }),
  transport: $TransportConfig
    .optional()
    .describe("Where and how to submit (not needed for validate)."),
  minimise: section({
    date_of_birth: z
      .enum(["full", "month", "year"])
      .default("full")
      .describe(
        "Date of birth sent to PHIN: full, month (the first of its month) or year (1 January of its year). Age at admission is computed from the full date first.",
      ),
  }),
  objections: section({
    reduce_identifiability: z
      .boolean()
      .default(false)
      .describe(
        "For patients flagged as objecting: blank NHS number and postcode, reduce date of birth to its month.",
      ),
  }),
});

export type ConfigV1 = z.infer<typeof $ConfigV1>;
