// `receipts verify`: the whole ledger checked end to end, the hash chain and every stored
// receipt's signature, with each problem naming the entry it is in.
import { PhinError } from "../errors.ts";
import { type ChainProblem, type LedgerRead, readLedger, verifyChain } from "./ledger.ts";
import { $SignedReceipt, checkReceipt } from "./receipt.ts";

export interface LedgerReport {
  readonly entries: number;
  readonly receipts: number;
  readonly tornTail: boolean;
  readonly problems: readonly ChainProblem[];
}

export async function verifyLedgerFile(
  file: string,
  receiptPublicKey: string | undefined,
): Promise<LedgerReport> {
  let read: LedgerRead;
  try {
    read = await readLedger(file);
  } catch (error) {
    if (error instanceof PhinError) {
      return {
        entries: 0,
        receipts: 0,
        tornTail: false,
        problems: [{ seq: error.line ?? 0, line: error.line ?? 0, problem: error.message }],
      };
    }
    throw error;
  }
  const problems = [...verifyChain(read.entries)];
  let receipts = 0;
  for (const [i, entry] of read.entries.entries()) {
    if (entry.type !== "receipt") continue;
    receipts++;
    if (receiptPublicKey === undefined) continue;
    const found = (problem: string) => problems.push({ seq: entry.seq, line: i + 1, problem });
    const parsed = $SignedReceipt.safeParse(entry.receipt);
    if (!parsed.success) {
      found("the stored receipt is not in the documented shape");
      continue;
    }
    const expected = {
      submissionId: entry.submission_id,
      providerCode: entry.provider_code,
      period: entry.period,
      manifestSha256: String(entry.manifest_sha256),
      files: parsed.data.receipt.files,
    };
    for (const problem of checkReceipt(parsed.data, receiptPublicKey, expected))
      found(`receipt: ${problem}`);
  }
  return { entries: read.entries.length, receipts, tornTail: read.tornTail, problems };
}
