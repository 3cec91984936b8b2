// A SQL source's query on PostgreSQL (pg + pg-cursor): one connection, a read-only transaction,
// statement_timeout set at connect (it bounds the whole streamed read), the period's days bound
// as $1 and $2, rows fetched through a cursor a chunk at a time, every value in its text form.
import pg from "pg";
import Cursor from "pg-cursor";
import {
  lineAt,
  networkCode,
  type SqlCursor,
  type SqlFailure,
  type SqlQuery,
  type SqlRow,
  sqlError,
} from "./sql-query.ts";

/** Every column arrives as the server's text form: no Dates, numbers or JSON made client-side. */
const asText: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/** Login, database and server-state SQLSTATEs; every other server error is the query's. */
function failureOf(error: unknown, query: SqlQuery): SqlFailure {
  if (error instanceof pg.DatabaseError) {
    const state = error.code ?? "unknown";
    const position = Number(error.position);
    if (state.startsWith("28") || state === "3D000")
      return { code: "SQL_LOGIN_REFUSED", dbCode: state };
    if (state === "57014") return { code: "SQL_TIMEOUT", dbCode: state };
    if (state.startsWith("08") || state.startsWith("57P") || state === "53300")
      return { code: "SQL_UNREACHABLE", dbCode: state };
    return {
      code: "SQL_QUERY_INVALID",
      dbCode: state,
      line: position > 0 ? lineAt(query.text, position) : undefined,
    };
  }
  // Not from the server: the socket failed, the connect timed out or the connection dropped.
  const code = networkCode(error) ?? "connection lost";
  return { code: "SQL_UNREACHABLE", dbCode: code };
}

export async function openPostgresCursor(query: SqlQuery): Promise<SqlCursor> {
  const client = new pg.Client({
    ...(query.url === undefined ? {} : { connectionString: query.url }),
    connectionTimeoutMillis: query.connectTimeoutMs,
    statement_timeout: query.statementTimeoutMs,
    application_name: "phin-submit",
  });
  // A connection error between reads arrives as an event; the next read reports it.
  let lost: unknown = null;
  client.on("error", (error) => {
    lost = error;
  });
  const fail = (error: unknown) => sqlError(query, failureOf(error, query), error);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw fail(error);
  }
  let cursor: Cursor<SqlRow>;
  try {
    await client.query("BEGIN TRANSACTION READ ONLY");
    cursor = client.query(
      new Cursor<SqlRow>(query.text, [...query.params], { rowMode: "array", types: asText }),
    );
  } catch (error) {
    await client.end().catch(() => undefined);
    throw fail(error);
  }
  let columns: readonly string[] = [];
  let closed = false;
  return {
    get columns() {
      return columns;
    },
    read(max: number): Promise<SqlRow[]> {
      return new Promise((resolve, reject) => {
        cursor.read(max, (error, rows, result) => {
          if (error || lost) return reject(fail(error ?? lost));
          // Once the cursor is done, pg-cursor answers with no result.
          if (result !== undefined) columns = result.fields.map((field) => field.name);
          resolve(rows);
        });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Ending the connection ends the transaction; nothing was written to keep.
      await client.end().catch(() => undefined);
    },
  };
}
