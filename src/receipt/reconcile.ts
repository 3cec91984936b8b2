// The ledger compared with PHIN's own list of submissions (GET /v1/submissions): receipts PHIN
// does not hold (a forged or foreign entry), and submissions PHIN holds whose receipt the ledger
// lacks (a lost tail, an emptied or deleted ledger), which `receipts recover` fetches, verifies
// and appends again.
import { PhinError } from "../errors.ts";
import type { ApiResponse, PhinApiClient } from "../transmit/phin-api-client.ts";
import { type RetryPolicy, withRetries } from "../transmit/retry-policy.ts";
import { entryHeader, type Ledger, type LedgerEntry } from "./ledger.ts";
import { checkReceipt, type SignedReceipt } from "./receipt.ts";

export interface RemoteSubmission {
  readonly submission_id: string;
  readonly state: string;
  readonly created_at: string;
}

export interface Reconciliation {
  /** Receipt entries for submissions PHIN does not list. */
  readonly unknownToPhin: readonly LedgerEntry[];
  /** Committed submissions PHIN lists whose receipt the ledger does not hold. */
  readonly missingFromLedger: readonly RemoteSubmission[];
}

function answered(what: string, response: ApiResponse): Record<string, unknown> {
  if (response.status === 200) return response.body;
  throw new PhinError("REJECTED", `${what}: PHIN answered HTTP ${response.status}`, {
    stage: "transmit",
  });
}

/** PHIN's submissions for the provider (one period, or all). */
export async function remoteSubmissions(
  client: PhinApiClient,
  policy: RetryPolicy,
  provider: string,
  period?: string,
): Promise<RemoteSubmission[]> {
  const response = await withRetries("list", (n) => client.list(provider, period, n), policy);
  const list = answered("list", response).submissions;
  if (!Array.isArray(list)) {
    throw new PhinError("REJECTED", "list: PHIN's answer holds no submissions list", {
      stage: "transmit",
    });
  }
  return list.filter(
    (s): s is RemoteSubmission =>
      s !== null && typeof s === "object" && typeof s.submission_id === "string",
  );
}

/** An open submission was never committed, so it has no receipt. */
const committed = (s: RemoteSubmission) => s.state !== "open";

export function reconcile(
  entries: readonly LedgerEntry[],
  remote: readonly RemoteSubmission[],
  period?: string,
): Reconciliation {
  const receipts = entries.filter(
    (e) => e.type === "receipt" && (period === undefined || e.period === period),
  );
  const held = new Set(remote.filter(committed).map((s) => s.submission_id));
  const recorded = new Set(receipts.map((e) => e.submission_id));
  return {
    unknownToPhin: receipts.filter((e) => !held.has(e.submission_id)),
    missingFromLedger: remote.filter((s) => committed(s) && !recorded.has(s.submission_id)),
  };
}

/** `submit --confirm`: PHIN's list for the period holds this submission, committed. */
export async function confirmHeld(
  client: PhinApiClient,
  policy: RetryPolicy,
  entry: { provider_code: string; period: string; submission_id: string; seq?: number },
): Promise<void> {
  const remote = await remoteSubmissions(client, policy, entry.provider_code, entry.period);
  const held = remote.find((s) => s.submission_id === entry.submission_id);
  if (held !== undefined && committed(held)) return;
  const which = entry.seq === undefined ? "the ledger" : `ledger entry ${entry.seq}`;
  const why = held === undefined ? "does not list it" : `lists it as ${held.state}`;
  throw new PhinError(
    "RECEIPT_UNCONFIRMED",
    `${which} records a receipt for ${entry.submission_id}, but PHIN ${why} for ${entry.period}`,
    {
      stage: "receipt",
      hint: "the period is not confirmed as sent: run `phin-submit receipts verify --remote` and report it",
    },
  );
}

export interface Recovered {
  readonly submissionId: string;
  readonly period: string;
  readonly seq: number;
}

/** Fetch each missing receipt from PHIN, verify it with the configured key and append it. */
export async function recoverReceipts(options: {
  readonly client: PhinApiClient;
  readonly policy: RetryPolicy;
  readonly ledger: Ledger;
  readonly missing: readonly RemoteSubmission[];
  readonly provider: string;
  readonly receiptPublicKey: string;
  readonly now: () => Date;
  readonly toolVersion: string;
}): Promise<Recovered[]> {
  const { client, policy, ledger, provider } = options;
  const recovered: Recovered[] = [];
  for (const s of options.missing) {
    const id = s.submission_id;
    const response = await withRetries("status", (n) => client.status(id, n), policy);
    const raw = answered(`status ${id}`, response).receipt as SignedReceipt | undefined;
    const body = raw?.receipt;
    const problems =
      body === undefined
        ? ["PHIN sent no receipt"]
        : checkReceipt(raw, options.receiptPublicKey, {
            submissionId: id,
            providerCode: provider,
            period: body.period,
            manifestSha256: body.manifest_sha256,
            files: body.files,
          });
    if (body === undefined || problems.length > 0) {
      throw new PhinError(
        "RECEIPT_INVALID",
        `PHIN's receipt for ${id} did not verify: ${problems.join("; ")}`,
        {
          stage: "receipt",
          hint: "nothing was added to the ledger for it; check transport.receipt_public_key_file",
        },
      );
    }
    const about = { provider_code: provider, period: body.period, submission_id: id };
    const entry = await ledger.append({
      ...entryHeader("receipt", options.now(), options.toolVersion, about),
      receipt: raw,
      manifest_sha256: body.manifest_sha256,
      recovered: true,
    });
    recovered.push({ submissionId: id, period: body.period, seq: entry.seq });
  }
  return recovered;
}
