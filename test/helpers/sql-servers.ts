// The local PostgreSQL and MariaDB servers the SQL tests run against (the sample's own connection
// URLs), whether each answers, and a schema / database name of the test run's own. Without a
// reachable server a SQL test file skips with one line saying why; with CI=true it fails instead.
import { createServer } from "node:net";
import mysql from "mysql2/promise";
import pg from "pg";
import { describe, it } from "vitest";
import { type SampleKind, sampleUrl } from "../../samples/pas-sql/load.ts";

export type { SampleKind };
export const sqlKinds: readonly SampleKind[] = ["postgres", "mysql"];

/** Why the server does not answer, or null when it does. */
async function probe(kind: SampleKind): Promise<string | null> {
  const url = sampleUrl(kind);
  try {
    if (kind === "postgres") {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      await client.connect();
      await client.end();
    } else {
      const connection = await mysql.createConnection({ uri: url, connectTimeout: 3000 });
      await connection.end();
    }
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `${new URL(url).host} does not answer (${typeof code === "string" ? code : "no connection"})`;
  }
}

const probes = new Map<SampleKind, Promise<string | null>>();

/**
 * describe() for tests that need the server of `kind`: skipped, with one line saying why, when
 * it does not answer; failed instead when CI=true (CI must run them for real).
 */
export async function describeWithServer(
  kind: SampleKind,
  name: string,
  body: () => void,
): Promise<void> {
  if (!probes.has(kind)) probes.set(kind, probe(kind));
  const down = await probes.get(kind);
  if (down === null) {
    describe(name, body);
  } else if (process.env.CI === "true") {
    describe(name, () => {
      it(`needs ${kind}`, () => {
        throw new Error(`${kind} at ${down}; CI runs the SQL tests against real servers`);
      });
    });
  } else {
    console.log(`skipped "${name}": ${kind} at ${down}`);
    describe.skip(name, body);
  }
}

/** A schema (PostgreSQL) or database (MariaDB) name no other test run uses. */
export function runSchema(label: string): string {
  return `phin_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A loopback port with nothing listening on it (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Run statements of the test's own (set-up and clean-up of its objects). */
export async function runSql(kind: SampleKind, statements: readonly string[]): Promise<void> {
  const url = sampleUrl(kind);
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
    return;
  }
  const connection = await mysql.createConnection({ uri: url });
  try {
    for (const statement of statements) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

/** Rows of a query of the test's own, as arrays. */
export async function selectRows(kind: SampleKind, query: string): Promise<unknown[][]> {
  const url = sampleUrl(kind);
  if (kind === "postgres") {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query({ text: query, rowMode: "array" })).rows;
    } finally {
      await client.end();
    }
  }
  const connection = await mysql.createConnection({ uri: url, rowsAsArray: true });
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(query);
    return rows as unknown as unknown[][];
  } finally {
    await connection.end();
  }
}
