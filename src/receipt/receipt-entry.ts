// A receipt entry in the ledger is only a claim: anyone who can write the state directory can
// append one and recompute the hash chain. It is proof once PHIN's signature verifies with the
// configured key and the signed receipt matches what was sent. Every place that decides a
// submission was received checks it here first.
import { PhinError } from "../errors.ts";
import type { LedgerEntry } from "./ledger.ts";
import { $SignedReceipt, checkReceipt, type SignedReceipt } from "./receipt.ts";

/** What was sent, as the manifest says; absent when only the ledger knows (a recovered entry). */
export interface SentManifest {
  readonly manifestSha256: string;
  readonly files: readonly { name: string; bytes: number; sha256: string; records: number }[];
}

/** What the ledger's intent entry for a submission says was sent, if it has one. */
export function intentManifest(
  entries: readonly LedgerEntry[],
  submissionId: string,
): SentManifest | undefined {
  const intent = entries.find((e) => e.type === "intent" && e.submission_id === submissionId);
  if (intent === undefined || !Array.isArray(intent.files)) return undefined;
  return {
    manifestSha256: String(intent.manifest_sha256),
    files: intent.files as SentManifest["files"],
  };
}

/** Every reason the entry is not proof of receipt; empty when it is. */
export function receiptEntryProblems(
  entry: LedgerEntry,
  publicKeyPem: string,
  sent?: SentManifest,
): string[] {
  const parsed = $SignedReceipt.safeParse(entry.receipt);
  if (!parsed.success) return ["the stored receipt is not in the documented shape"];
  const problems = checkReceipt(parsed.data, publicKeyPem, {
    submissionId: entry.submission_id,
    providerCode: entry.provider_code,
    period: entry.period,
    manifestSha256: sent?.manifestSha256 ?? String(entry.manifest_sha256),
    files: sent?.files ?? parsed.data.receipt.files,
  });
  if (sent !== undefined && entry.manifest_sha256 !== sent.manifestSha256)
    problems.push("the entry's manifest digest differs from the manifest");
  return problems;
}

/** The entry's receipt when it is proof; a trust failure (exit 77) naming the entry when not. */
export function provenReceipt(
  entry: LedgerEntry,
  publicKeyPem: string,
  ledgerFile: string,
  sent?: SentManifest,
): SignedReceipt {
  const problems = receiptEntryProblems(entry, publicKeyPem, sent);
  if (problems.length === 0) return entry.receipt as SignedReceipt;
  const message = `ledger entry ${entry.seq} records a receipt for ${entry.submission_id}, but it is not proof of receipt: ${problems.join("; ")}`;
  return untrusted(message, ledgerFile, entry.seq);
}

function untrusted(message: string, file: string, line: number): never {
  throw new PhinError("RECEIPT_UNTRUSTED", message, {
    stage: "receipt",
    file,
    line,
    hint: "nothing was sent and the bundle is kept; run `phin-submit receipts verify --remote` to compare the ledger with PHIN",
  });
}
