// Loads the MediPAS sample (samples/pas-csv/2026-10) into PostgreSQL and MariaDB as PAS tables,
// so the SQL configs read the very records the CSV config reads: `npm run sample:db`.
//
//   node samples/pas-sql/load.ts [--only postgres|mysql] [--schema NAME]
//
// The connection URLs are the sample's secret files (postgres.url, mysql.url beside this file).
// The schema (PostgreSQL) or database (MariaDB) is dropped and created anew: pas_sql unless
// --schema says otherwise (the tests load their own). Each CSV row becomes one table row, in the
// file's order, with blank fields as NULL and recorded_on a day of October 2026.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";
import pg from "pg";
import { loadMapping } from "../../src/map/load-mapping.ts";
import { openSourceFor } from "../../src/pipeline/open-source.ts";
import { datasetOrder } from "../../src/schemas/registry.ts";

export type SampleKind = "postgres" | "mysql";
const here = import.meta.dirname;
const root = path.resolve(here, "../..");
const PERIOD = "2026-10";
/** Rows per INSERT statement. */
const CHUNK = 100;

/** The sample's own connection URL for a kind. */
export function sampleUrl(kind: SampleKind): string {
  return readFileSync(path.join(here, `${kind}.url`), "utf8").trim();
}

/** MediPAS column names as SQL names: EpisodeNo -> episode_no, EQ5DProfile -> eq5d_profile. */
export function columnName(csvName: string): string {
  return csvName
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .replace(/(\d)([A-Z][a-z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

interface Table {
  readonly name: string;
  readonly columns: string[];
  readonly rows: (string | null)[][];
}

/** One dataset's CSV rows, read with the MediPAS mapping's own source settings. */
async function readCsv(dataset: string): Promise<Table> {
  const mappingFile = path.join(root, "mappings/medipas", `${dataset}.json`);
  const mapping = await loadMapping(mappingFile, mappingFile);
  const file = path.join(root, "samples/pas-csv", PERIOD, `${dataset}.csv`);
  const source = await openSourceFor(mapping, { kind: "file", absolute: file, display: file });
  const rows: (string | null)[][] = [];
  for await (const batch of source.batches())
    for (const row of batch.rows as string[][]) rows.push(row.map((v) => (v === "" ? null : v)));
  const columns = ["recorded_on", ...source.columnNames().map(columnName)];
  // The day a record was last updated: spread over the month, so the month's query finds it.
  for (const [i, row] of rows.entries())
    row.unshift(`${PERIOD}-${String((i % 31) + 1).padStart(2, "0")}`);
  return { name: dataset, columns, rows };
}

function checkName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error(`not a plain schema name: ${schema}`);
  return schema;
}

async function loadPostgres(url: string, schema: string, tables: Table[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query(readFileSync(path.join(here, "schema.postgres.sql"), "utf8"));
    for (const table of tables) {
      for (let at = 0; at < table.rows.length; at += CHUNK) {
        const chunk = table.rows.slice(at, at + CHUNK);
        const width = table.columns.length;
        const tuples = chunk.map(
          (_, r) => `(${table.columns.map((__, c) => `$${r * width + c + 1}`).join(", ")})`,
        );
        await client.query(
          `INSERT INTO ${table.name} (${table.columns.join(", ")}) VALUES ${tuples.join(", ")}`,
          chunk.flat(),
        );
      }
    }
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

async function loadMysql(url: string, schema: string, tables: Table[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, multipleStatements: true });
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${schema}`);
    await connection.query(`CREATE DATABASE ${schema} CHARACTER SET utf8mb4`);
    await connection.query(`USE ${schema}`);
    await connection.query(readFileSync(path.join(here, "schema.mariadb.sql"), "utf8"));
    for (const table of tables) {
      for (let at = 0; at < table.rows.length; at += CHUNK) {
        const chunk = table.rows.slice(at, at + CHUNK);
        const tuple = `(${table.columns.map(() => "?").join(", ")})`;
        await connection.execute(
          `INSERT INTO ${table.name} (${table.columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(", ")}`,
          chunk.flat(),
        );
      }
    }
  } finally {
    await connection.end();
  }
}

/** Drop the schema and create and fill its tables; returns the rows loaded per table. */
export async function loadSample(
  kind: SampleKind,
  url: string,
  schema = "pas_sql",
): Promise<Record<string, number>> {
  checkName(schema);
  const tables: Table[] = [];
  for (const dataset of datasetOrder) tables.push(await readCsv(dataset));
  await (kind === "postgres" ? loadPostgres : loadMysql)(url, schema, tables);
  return Object.fromEntries(tables.map((t) => [t.name, t.rows.length]));
}

/** Drop a schema (PostgreSQL) or database (MariaDB) the loader made. */
export async function dropSample(kind: SampleKind, url: string, schema: string): Promise<void> {
  checkName(schema);
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    return;
  }
  const connection = await mysql.createConnection({ uri: url });
  await connection.query(`DROP DATABASE IF EXISTS ${schema}`).finally(() => connection.end());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { only: { type: "string" }, schema: { type: "string", default: "pas_sql" } },
  });
  const kinds: SampleKind[] =
    values.only === undefined ? ["postgres", "mysql"] : [values.only as SampleKind];
  for (const kind of kinds) {
    if (kind !== "postgres" && kind !== "mysql") throw new Error("--only postgres or --only mysql");
    const counts = await loadSample(kind, sampleUrl(kind), values.schema);
    const list = Object.entries(counts).map(([table, n]) => `${table} ${n}`);
    console.log(`${kind}: loaded ${values.schema} (${list.join(", ")} rows)`);
  }
}
