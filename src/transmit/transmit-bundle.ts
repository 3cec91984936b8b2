// Sends one bundle through open -> upload -> commit (docs/api.md), resumable: the open call tells a
// rerun what the server already holds, so a crash at any point continues with the same
// Idempotency-Key and never creates a second submission.
import path from "node:path";
import { PhinError } from "../errors.ts";
import { crashPoint } from "../io/crash-point.ts";
import type { Manifest } from "../package/manifest.ts";
import type { ApiResponse, PhinApiClient } from "./phin-api-client.ts";
import { type RetryHooks, type RetryPolicy, withRetries } from "./retry-policy.ts";

export interface TransmitOptions {
  readonly client: PhinApiClient;
  readonly bundleDir: string;
  readonly manifest: Manifest;
  readonly manifestBytes: Buffer;
  readonly policy: RetryPolicy;
  readonly hooks: RetryHooks;
}

export interface TransmitResult {
  /** The signed receipt as PHIN sent it (unverified: the caller checks it). */
  readonly receipt: unknown;
  /** Files sent in this run (a resumed run sends only what was missing). */
  readonly uploaded: readonly string[];
  /** The server already knew this submission (a rerun after a crash). */
  readonly resumed: boolean;
}

function rejected(step: string, response: ApiResponse, hint?: string): PhinError {
  const code = typeof response.body.code === "string" ? ` ${response.body.code}` : "";
  const detail = typeof response.body.title === "string" ? `: ${response.body.title}` : "";
  const message = `${step}: PHIN answered HTTP ${response.status}${code}${detail}`;
  return new PhinError("REJECTED", message, {
    stage: "transmit",
    ...(hint === undefined ? {} : { hint }),
  });
}

const accepted = (response: ApiResponse) => response.status === 200 || response.status === 201;

const openHints: Record<string, string> = {
  ALREADY_SUBMITTED:
    "PHIN holds a submission for this period that the ledger does not: run `phin-submit receipts verify --remote`, then `phin-submit receipts recover`",
  KEY_REUSED:
    "PHIN holds different content under this submission id; report this, it should not happen",
};

function missingOf(body: Record<string, unknown>): string[] {
  return Array.isArray(body.missing_files)
    ? body.missing_files.filter((f): f is string => typeof f === "string")
    : [];
}

export async function transmitBundle(options: TransmitOptions): Promise<TransmitResult> {
  const { client, manifest, policy, hooks } = options;
  const id = manifest.submission_id;
  const send = (step: string, request: (attempt: number) => Promise<ApiResponse>) =>
    withRetries(step, request, policy, hooks);

  const opened = await send("open submission", (n) => client.open(options.manifestBytes, id, n));
  if (!accepted(opened)) {
    throw rejected("open submission", opened, openHints[String(opened.body.code)]);
  }
  if (opened.body.receipt !== undefined && opened.body.receipt !== null) {
    return { receipt: opened.body.receipt, uploaded: [], resumed: true };
  }

  const uploaded: string[] = [];
  const upload = async (names: readonly string[]) => {
    for (const name of names) {
      const file = manifest.files.find((f) => f.name === name);
      if (file === undefined) {
        const message = `PHIN asked for a file that is not in the bundle (${name})`;
        throw new PhinError("REJECTED", message, { stage: "transmit" });
      }
      const where = path.join(options.bundleDir, name);
      const response = await send(`upload ${name}`, (n) =>
        client.upload(id, name, where, file.sha256, n),
      );
      if (!accepted(response)) throw rejected(`upload ${name}`, response);
      uploaded.push(name);
      crashPoint(`transmit:after-upload:${name}`);
    }
  };
  crashPoint("transmit:after-open");
  await upload(missingOf(opened.body));

  let committed = await send("commit", (n) => client.commit(id, n));
  if (committed.status === 409 && committed.body.code === "FILES_MISSING") {
    // The server lost track of a file (or we were told too little): send what it names, once.
    await upload(missingOf(committed.body));
    committed = await send("commit", (n) => client.commit(id, n));
  }
  if (!accepted(committed)) throw rejected("commit", committed);
  crashPoint("transmit:after-commit");
  return { receipt: committed.body, uploaded, resumed: opened.status === 200 };
}
