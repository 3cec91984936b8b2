// SQL sources against the real local servers: rows stream in bounded memory, the period's days
// arrive as bound parameters, values come as text, and every failure is a coded error naming the
// dataset and the query file (and the database's code), never a value.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { sampleUrl } from "../../samples/pas-sql/load.ts";
import { type ErrorCode, errorCatalogue, PhinError } from "../../src/errors.ts";
import type { OpenedSource } from "../../src/extract/source.ts";
import type { SqlRow } from "../../src/extract/sql-query.ts";
import { openSqlSource } from "../../src/extract/sql-source.ts";
import { tempDir } from "../helpers/cli.ts";
import {
  closedPort,
  describeWithServer,
  runSchema,
  runSql,
  type SampleKind,
  selectRows,
  sqlKinds,
} from "../helpers/sql-servers.ts";

const dir = tempDir("sql-source");
let written = 0;

/** Open `query` (written to a file of its own) as the episodes source of October 2026. */
function open(
  kind: SampleKind,
  query: string,
  options: { url?: string; timeoutMs?: number; maxRecords?: number } = {},
): Promise<OpenedSource<SqlRow>> {
  const name = `query-${++written}.sql`;
  writeFileSync(path.join(dir, name), query);
  const urlFile = path.join(dir, `${name}.url`);
  writeFileSync(urlFile, options.url ?? sampleUrl(kind), { mode: 0o600 });
  return openSqlSource({
    kind,
    dataset: "episodes",
    query: { absolute: path.join(dir, name), display: `queries/${name}` },
    urlFile: { absolute: urlFile, display: "db.url", field: "datasets.episodes.source.url_file" },
    params: ["2026-10-01", "2026-10-31"],
    statementTimeoutMs: options.timeoutMs ?? 30_000,
    connectTimeoutMs: 5_000,
    limits: { maxRecords: options.maxRecords ?? 1_000_000, maxRecordBytes: 1024 ** 2 },
  });
}

/** Every row of a source, values as the mapping reads them. */
async function readAll(source: OpenedSource<SqlRow>, columns: string[]) {
  const get = columns.map((c) => source.value(c));
  const rows: { line: number; values: (string | undefined)[] }[] = [];
  for await (const batch of source.batches())
    for (const [i, row] of batch.rows.entries())
      rows.push({ line: batch.lines[i] as number, values: get.map((g) => g(row)) });
  return rows;
}

async function failure(opening: Promise<unknown>): Promise<PhinError> {
  const error = await opening.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhinError);
  return error as PhinError;
}

function expectCoded(error: PhinError, code: ErrorCode, dbCode: RegExp): void {
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/^episodes: queries\/query-\d+\.sql(:\d+)?: /);
  expect(error.message).toMatch(dbCode);
  expect(error.file).toMatch(/^queries\/query-\d+\.sql$/);
}

/** Per kind: a query generating rows, the sleep, the placeholders, a write. */
const dialect = {
  postgres: {
    many: (n: number) =>
      `SELECT n::text AS id, repeat('x', 2000) AS pad FROM generate_series(1, ${n}) AS n WHERE $1::date <= $2::date`,
    params: "SELECT $1::text AS first_day, $2::text AS last_day",
    typed:
      "SELECT CAST($1 AS date) AS d, 42 AS i, CAST(1.50 AS numeric(4,2)) AS n, NULL AS z, CAST($2 AS timestamp) AS t",
    sleep: "SELECT pg_sleep(5) AS slept WHERE $1::date <= $2::date",
    write: (table: string) =>
      `INSERT INTO ${table} (a) SELECT 1 WHERE $1::date <= $2::date RETURNING a`,
    none: "SELECT 1 AS a WHERE $1::date > $2::date",
  },
  mysql: {
    // MariaDB's sequence engine (seq_1_to_N) generates the rows.
    many: (n: number) =>
      `SELECT seq AS id, REPEAT('x', 2000) AS pad FROM seq_1_to_${n} WHERE ? <= ?`,
    params: "SELECT CAST(? AS CHAR) AS first_day, CAST(? AS CHAR) AS last_day",
    typed:
      "SELECT CAST(? AS DATE) AS d, 42 AS i, CAST(1.50 AS DECIMAL(4,2)) AS n, NULL AS z, CAST(? AS DATETIME) AS t",
    sleep: "SELECT SLEEP(5) AS slept FROM DUAL WHERE ? <= ?",
    write: (table: string) => `INSERT INTO ${table} (a) SELECT 1 FROM DUAL WHERE ? <= ?`,
    none: "SELECT 1 AS a FROM DUAL WHERE ? > ?",
  },
} as const;

it("a missing server is a transient (75) error naming the query file, whatever the kind", async () => {
  const port = await closedPort();
  for (const kind of sqlKinds) {
    const url = `${kind}://u@127.0.0.1:${port}/test`;
    const error = await failure(open(kind, "SELECT 1", { url }));
    expectCoded(error, "SQL_UNREACHABLE", /\(database code ECONNREFUSED\)$/);
    expect(errorCatalogue[error.code].exit).toBe(75);
  }
});

it("a missing query file, a missing URL file and a URL of the wrong kind are coded, unread", async () => {
  const options = (query: string, url: string) => ({
    kind: "postgres" as const,
    dataset: "proms",
    query: { absolute: path.join(dir, query), display: query },
    urlFile: {
      absolute: path.join(dir, url),
      display: url,
      field: "datasets.proms.source.url_file",
    },
    params: ["2026-10-01", "2026-10-31"] as const,
    statementTimeoutMs: 1000,
    connectTimeoutMs: 1000,
    limits: { maxRecords: 10, maxRecordBytes: 1000 },
  });
  writeFileSync(path.join(dir, "ok.sql"), "SELECT 1 AS a;\n");
  writeFileSync(path.join(dir, "wrong.url"), "mysql://secret-password@127.0.0.1/test\n");
  const noQuery = await failure(openSqlSource(options("none.sql", "wrong.url")));
  expect({ code: noQuery.code, file: noQuery.file }).toEqual({
    code: "SQL_QUERY_INVALID",
    file: "none.sql",
  });
  const noUrl = await failure(openSqlSource(options("ok.sql", "none.url")));
  expect({ code: noUrl.code, field: noUrl.field }).toEqual({
    code: "SECRET_MISSING",
    field: "datasets.proms.source.url_file",
  });
  const wrong = await failure(openSqlSource(options("ok.sql", "wrong.url")));
  expect(wrong.code).toBe("SECRET_INVALID");
  expect(JSON.stringify(wrong.toJSON())).not.toMatch(/secret-password/);
});

for (const kind of sqlKinds) {
  await describeWithServer(kind, `${kind} source`, () => {
    const schema = runSchema("src");
    const table = `${schema}.written`;

    beforeAll(async () => {
      const create = kind === "postgres" ? `CREATE SCHEMA ${schema}` : `CREATE DATABASE ${schema}`;
      await runSql(kind, [create, `CREATE TABLE ${table} (a INT)`]);
    });
    afterAll(async () => {
      const drop =
        kind === "postgres" ? `DROP SCHEMA ${schema} CASCADE` : `DROP DATABASE ${schema}`;
      await runSql(kind, [drop]);
    });

    it("streams a month of rows in bounded memory, numbered by row", async () => {
      // 150 000 rows of 2 000 characters: 300 MB of values, held a chunk at a time.
      const rows = 150_000;
      const source = await open(kind, dialect[kind].many(rows));
      const pad = source.value("pad");
      const before = process.memoryUsage().rss;
      let peak = before;
      let count = 0;
      let chars = 0;
      let lastLine = 0;
      for await (const batch of source.batches()) {
        for (const row of batch.rows) chars += pad(row)?.length ?? 0;
        count += batch.rows.length;
        lastLine = batch.lines.at(-1) as number;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      expect({ count, lastLine, chars }).toEqual({
        count: rows,
        lastLine: rows,
        chars: rows * 2000,
      });
      expect(peak - before).toBeLessThan(150 * 1024 ** 2);
    }, 60_000);

    it("binds the period's first and last day as the query's parameters", async () => {
      const rows = await readAll(await open(kind, dialect[kind].params), ["first_day", "last_day"]);
      expect(rows).toEqual([{ line: 1, values: ["2026-10-01", "2026-10-31"] }]);
    });

    it("hands every value over as the server's text, NULL as absent", async () => {
      const source = await open(kind, dialect[kind].typed);
      const rows = await readAll(source, ["d", "i", "n", "z", "t"]);
      expect(rows).toEqual([
        { line: 1, values: ["2026-10-01", "42", "1.50", undefined, "2026-10-31 00:00:00"] },
      ]);
      expect(source.columnNames()).toEqual(["d", "i", "n", "z", "t"]);
    });

    it("a query error names the dataset, the query file and the database's code", async () => {
      const query = "SELECT\n  no_such_column\nFROM (SELECT 1 AS a) AS t\nWHERE 1 = 1";
      const error = await failure(
        open(kind, `${query} AND ${kind === "postgres" ? "$1::date < $2::date" : "? < ?"}`),
      );
      expectCoded(
        error,
        "SQL_QUERY_INVALID",
        kind === "postgres" ? /\(database code 42703\)$/ : /ER_BAD_FIELD_ERROR 1054/,
      );
      if (kind === "postgres") expect(error.line).toBe(2);
      expect(errorCatalogue[error.code].exit).toBe(78);
    });

    // MariaDB turns a bad CAST into NULL and a warning; PostgreSQL's error quotes the value.
    if (kind === "postgres")
      it("a data error in the query never shows the value", async () => {
        const query =
          "SELECT CAST(v AS date) AS d FROM (SELECT 'Zenobia Pemberton-Oakes' AS v) AS t WHERE $1::date < $2::date";
        const error = await failure(open(kind, query));
        expectCoded(error, "SQL_QUERY_INVALID", /\(database code 22007\)$/);
        expect(JSON.stringify({ ...error.toJSON(), stack: error.stack })).not.toMatch(/Zenobia/);
      });

    it("a long query is cancelled by the statement timeout", async () => {
      const started = Date.now();
      const error = await failure(open(kind, dialect[kind].sleep, { timeoutMs: 300 }));
      expectCoded(error, "SQL_TIMEOUT", kind === "postgres" ? /57014/ : /1969/);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(errorCatalogue[error.code].exit).toBe(75);
    });

    it("a write in the query is refused by the read-only transaction", async () => {
      const error = await failure(open(kind, dialect[kind].write(table)));
      expectCoded(error, "SQL_QUERY_INVALID", kind === "postgres" ? /25006/ : /1792/);
      expect(await selectRows(kind, `SELECT COUNT(*) FROM ${table}`)).toEqual([
        [kind === "postgres" ? "0" : 0],
      ]);
    });

    it("a refused login is a configuration (78) error", async () => {
      const url = new URL(sampleUrl(kind));
      url.username = "phin_no_such_user";
      const error = await failure(open(kind, dialect[kind].params, { url: url.href }));
      expectCoded(error, "SQL_LOGIN_REFUSED", /\(database code \S+/);
      expect(errorCatalogue[error.code].exit).toBe(78);
    });

    it("no rows for the period is an empty source; a column the result lacks is named", async () => {
      expect((await failure(open(kind, dialect[kind].none))).code).toBe("SOURCE_EMPTY");
      const source = await open(kind, dialect[kind].params);
      expect(() => source.value("no_such_column")).toThrow(/"no_such_column"/);
      await source.close();
    });

    it("more rows than max_records stop the read at the row after the cap", async () => {
      const source = await open(kind, dialect[kind].many(300), { maxRecords: 200 });
      const error = await failure(readAll(source, ["id"]));
      expect({ code: error.code, line: error.line }).toEqual({
        code: "SOURCE_TOO_LARGE",
        line: 201,
      });
    });
  });
}
