// A SQL source's query on MySQL or MariaDB (mysql2): one connection, the server's statement time
// limit set for the session, a read-only transaction, the query run as a server-side prepared
// statement with the period's days bound to its two `?`, and its rows streamed with the socket
// paused whenever a chunk is waiting to be read.
import type { Readable } from "node:stream";
import mysql from "mysql2";
import {
  networkCode,
  type SqlCursor,
  type SqlFailure,
  type SqlQuery,
  type SqlRow,
  sqlError,
} from "./sql-query.ts";

const LOGIN = new Set([1044, 1045, 1049, 1251, 1698]);
/** MariaDB's max_statement_time, MySQL's max_execution_time. */
const TIMEOUT = new Set([1969, 3024]);
/** Too many connections, shutting down, connection killed. */
const SERVER_GONE = new Set([1040, 1053, 1927, 2006, 2013]);

interface MysqlError {
  readonly errno?: number;
  readonly code?: string;
  readonly sqlState?: string;
  readonly message?: string;
}

function failureOf(error: unknown): SqlFailure {
  const e = (error ?? {}) as MysqlError;
  const net = networkCode(error);
  if (net !== undefined) return { code: "SQL_UNREACHABLE", dbCode: net };
  if (typeof e.errno !== "number" || e.sqlState === undefined)
    return { code: "SQL_UNREACHABLE", dbCode: e.code ?? "connection lost" };
  const dbCode = e.code === undefined ? String(e.errno) : `${e.code} ${e.errno}`;
  if (LOGIN.has(e.errno)) return { code: "SQL_LOGIN_REFUSED", dbCode };
  if (TIMEOUT.has(e.errno)) return { code: "SQL_TIMEOUT", dbCode };
  if (SERVER_GONE.has(e.errno)) return { code: "SQL_UNREACHABLE", dbCode };
  // A syntax error says "... at line N" after quoting the query: only the number is kept.
  const line = e.errno === 1064 ? /at line (\d+)$/.exec(e.message ?? "")?.[1] : undefined;
  return { code: "SQL_QUERY_INVALID", dbCode, line: line === undefined ? undefined : Number(line) };
}

/** Values as text: numbers and big integers printed, binary decoded as UTF-8. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  return String(value);
}

export async function openMysqlCursor(query: SqlQuery): Promise<SqlCursor> {
  const fail = (error: unknown) => sqlError(query, failureOf(error), error);
  const core = mysql.createConnection({
    ...(query.url === undefined ? {} : { uri: query.url }),
    connectTimeout: query.connectTimeoutMs,
    // Dates, DECIMALs, BIGINTs and JSON as the server's text, not JavaScript values.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    jsonStrings: true,
    multipleStatements: false,
  });
  // A connection that fails mid-read also fails the running query, which reports it.
  core.on("error", () => undefined);
  const connection = core.promise();
  let columns: readonly string[] = [];
  let rows: AsyncIterator<unknown[]>;
  let stream: Readable;
  try {
    await connection.connect();
    const [version] = await connection.query<mysql.RowDataPacket[]>("SELECT VERSION() AS v");
    const mariadb = String(version[0]?.v).includes("MariaDB");
    await connection.execute(
      mariadb ? "SET SESSION max_statement_time = ?" : "SET SESSION max_execution_time = ?",
      [mariadb ? query.statementTimeoutMs / 1000 : query.statementTimeoutMs],
    );
    await connection.query("START TRANSACTION READ ONLY");
    const running = core.execute({ sql: query.text, values: [...query.params], rowsAsArray: true });
    running.on("fields", (fields: unknown) => {
      columns = (fields as { name: string }[]).map((field) => field.name);
    });
    stream = running.stream({ highWaterMark: 256 });
    rows = stream[Symbol.asyncIterator]();
  } catch (error) {
    core.destroy();
    throw fail(error);
  }
  let closed = false;
  return {
    get columns() {
      return columns;
    },
    async read(max: number): Promise<SqlRow[]> {
      const out: SqlRow[] = [];
      try {
        while (out.length < max) {
          const next = await rows.next();
          if (next.done) break;
          out.push(next.value.map(text));
        }
      } catch (error) {
        throw fail(error);
      }
      return out;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stream.destroy();
      // Closing the socket ends the transaction; nothing was written to keep.
      core.destroy();
    },
  };
}
