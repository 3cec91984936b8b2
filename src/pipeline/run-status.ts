// `status [ID]`: PHIN's processing outcome for a submission (default: the latest in the
// ledger), recorded in the ledger when it changed.
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import type { Log } from "../log/run-log.ts";
import { entryHeader, Ledger, ledgerPath } from "../receipt/ledger.ts";
import { intentManifest, provenReceipt } from "../receipt/receipt-entry.ts";
import { loadTransport, startRetryPolicy } from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import { type OnWait, withRetries } from "../transmit/retry-policy.ts";

export interface StatusOptions {
  readonly loaded: LoadedConfig;
  readonly submissionId?: string | undefined;
  readonly now: () => Date;
  readonly toolVersion: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: Log;
  /** Told of each network wait over 2 s. */
  readonly onWait?: OnWait | undefined;
}

export interface StatusResult {
  readonly submissionId: string;
  readonly state: string;
  readonly feedback: unknown;
  readonly changed: boolean;
}

export async function runStatus(options: StatusOptions): Promise<StatusResult> {
  const transport = await loadTransport(options.loaded, options.env);
  const ledger = await Ledger.open(ledgerPath(options.loaded));
  const id = options.submissionId ?? ledger.latestSubmission();
  if (id === undefined) {
    throw new PhinError("NOT_FOUND", "the ledger holds no submission yet", {
      stage: "cli",
      hint: "run `phin-submit submit` first, or pass a submission id",
    });
  }
  // A receipt the ledger holds must be proof before PHIN is even asked.
  const receipt = ledger.receiptFor(id);
  if (receipt !== undefined) {
    const sent = intentManifest(ledger.entries, id);
    provenReceipt(receipt, transport.receiptPublicKey, ledger.file, sent);
  }
  const client = new PhinApiClient(transport.secrets, transport.timeouts, options.onWait);
  const policy = startRetryPolicy(transport);
  const response = await withRetries("status", (n) => client.status(id, n), policy, {
    onWait: options.onWait,
  }).finally(() => client.close());
  if (response.status === 404 && receipt !== undefined) {
    const message = `ledger entry ${receipt.seq} records a receipt for ${id}, but PHIN knows no such submission`;
    throw new PhinError("RECEIPT_UNCONFIRMED", message, {
      stage: "receipt",
      file: ledger.file,
      line: receipt.seq,
      hint: "run `phin-submit receipts verify --remote` to compare the ledger with PHIN",
    });
  }
  if (response.status === 404) {
    throw new PhinError("NOT_FOUND", `PHIN knows no submission ${id}`, { stage: "transmit" });
  }
  if (response.status >= 400) {
    throw new PhinError("REJECTED", `status: PHIN answered HTTP ${response.status}`, {
      stage: "transmit",
    });
  }
  const state = String(response.body.state ?? "unknown");
  const feedback = response.body.feedback ?? null;
  options.log?.info(
    { stage: "transmit", event: "status", submission_id: id, state },
    `status ${state}`,
  );
  const changed = ledger.lastStatus(id) !== state;
  const known = ledger.entries.find((e) => e.submission_id === id);
  if (changed && known !== undefined) {
    const entry = entryHeader("status", options.now(), options.toolVersion, known);
    await ledger.append({ ...entry, state, feedback });
  }
  return { submissionId: id, state, feedback, changed };
}
