// `receipts verify`: the whole ledger checked end to end: the hash chain, its anchored end (the
// head file), and every stored receipt's signature and digests (against the submission's intent
// entry when the ledger has one), each problem naming the entry it is in (entry 0: the file).
import { PhinError } from "../errors.ts";
import { type ChainProblem, type LedgerRead, readLedger, verifyChain } from "./ledger.ts";
import { checkAnchor } from "./ledger-head.ts";
import { intentManifest, receiptEntryProblems } from "./receipt-entry.ts";

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
  for (const problem of (await checkAnchor(file, read.entries)).problems)
    problems.push({ seq: 0, line: 0, problem });
  let receipts = 0;
  for (const [i, entry] of read.entries.entries()) {
    if (entry.type !== "receipt") continue;
    receipts++;
    if (receiptPublicKey === undefined) continue;
    const sent = intentManifest(read.entries, entry.submission_id);
    for (const problem of receiptEntryProblems(entry, receiptPublicKey, sent))
      problems.push({ seq: entry.seq, line: i + 1, problem: `receipt: ${problem}` });
  }
  return { entries: read.entries.length, receipts, tornTail: read.tornTail, problems };
}
