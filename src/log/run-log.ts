// Structured logs per run: JSON lines (pino) in <state>/runs/<run_id>.log, and on stderr with
// --verbose. Events carry the run id, stage, counts and durations, never record values; errors
// are logged through an allow-list, and redaction of secret-looking keys is the second line of
// defence, not the first.
import { mkdirSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { isPhinError } from "../errors.ts";
import { unusableDir } from "../io/private-dir.ts";

export type Log = pino.Logger;

const secretKeys = ["token", "authorization", "headers", "key", "secret", "password", "body"];
/** Keys never written, at the top of a log event or one level down. */
export const redactedPaths = secretKeys.flatMap((key) => [key, `*.${key}`]);

const loggedErrorKeys = ["code", "class", "stage", "file", "line", "field", "type", "errno"];

/**
 * An error as a log may hold it: code, class, stage, file, line and field; never a message (ours
 * may be long, a library's may quote data). Idempotent, so an error serialised by the caller and
 * then by pino's `err` serializer comes out the same.
 */
export function serialiseError(error: unknown): Record<string, unknown> {
  const picked = (source: Record<string, unknown>) =>
    Object.fromEntries(
      loggedErrorKeys
        .filter((k) => typeof source[k] === "string" || typeof source[k] === "number")
        .map((k) => [k, source[k]]),
    );
  if (isPhinError(error)) {
    const { code, stage, file, line, field } = error;
    return picked({ code, class: error.errorClass, stage, file, line, field });
  }
  if (error instanceof Error) {
    const errno = (error as NodeJS.ErrnoException).code;
    return picked({ code: "INTERNAL", class: "internal", type: error.name, errno });
  }
  if (error !== null && typeof error === "object") return picked(error as Record<string, unknown>);
  return { code: "INTERNAL", class: "internal", type: typeof error };
}

export const silentLog: Log = pino({ enabled: false });

export interface RunLogOptions {
  readonly stateDir: string;
  readonly runId: string;
  /** Also write every event to stderr. */
  readonly verbose: boolean;
  readonly stderr: (text: string) => void;
}

export function createRunLog(options: RunLogOptions) {
  // The first write into the state directory: a path that cannot hold it fails here, by name.
  const dir = path.join(options.stateDir, "runs");
  const file = path.join(dir, `${options.runId}.log`);
  let destination: ReturnType<typeof pino.destination>;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    destination = pino.destination({ dest: file, sync: true, mode: 0o600, mkdir: true });
  } catch (cause) {
    throw unusableDir(dir, cause);
  }
  const streams: pino.StreamEntry[] = [{ stream: destination }];
  if (options.verbose) streams.push({ stream: { write: options.stderr } });
  const log = pino(
    {
      base: { run_id: options.runId },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      serializers: { err: serialiseError, error: serialiseError },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  return { log, close: () => destination.flushSync() };
}
