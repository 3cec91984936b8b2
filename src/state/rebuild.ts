// `phin-submit state rebuild`: the state store made again from what is kept. The ledger says
// which submissions PHIN accepted (a verified receipt); each one's link-keys file gives its
// episodes. The new store is written beside the old one and renamed over it,
// so a failed rebuild leaves the old store as it was.
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { PhinError } from "../errors.ts";
import { type LedgerEntry, readLedger, supersededIds, verifyChain } from "../receipt/ledger.ts";
import { intentManifest, provenReceipt } from "../receipt/receipt-entry.ts";
import { linkKeysPath, readLinkKeys } from "./link-keys.ts";
import { StateStore, stateDbPath } from "./state-store.ts";

export interface RebuildResult {
  readonly file: string;
  readonly submissions: number;
  readonly episodes: number;
  /** Receipted submissions whose link-keys file is gone: their episodes cannot be recovered. */
  readonly missing: readonly { readonly submissionId: string; readonly period: string }[];
}

interface Receipted {
  readonly submissionId: string;
  readonly providerCode: string;
  readonly period: string;
}

/**
 * Submissions with a receipt that is proof (a forged entry is a trust failure, 77: it must not
 * become a link target), and the ones a later receipted submission superseded.
 */
function receiptedSubmissions(
  entries: readonly LedgerEntry[],
  receiptPublicKey: string,
  ledgerFile: string,
) {
  const receipted = new Map<string, Receipted>();
  for (const e of entries) {
    if (e.type === "receipt") {
      const sent = intentManifest(entries, e.submission_id);
      provenReceipt(e, receiptPublicKey, ledgerFile, sent);
      const { submission_id: submissionId, provider_code: providerCode, period } = e;
      receipted.set(submissionId, { submissionId, providerCode, period });
    }
  }
  return { receipted: [...receipted.values()], superseded: supersededIds(entries) };
}

export async function rebuildStateStore(
  stateDir: string,
  receiptPublicKey: string,
): Promise<RebuildResult> {
  const ledgerFile = path.join(stateDir, "ledger.jsonl");
  const { entries } = await readLedger(ledgerFile);
  const problem = verifyChain(entries)[0];
  if (problem !== undefined) {
    throw new PhinError("LEDGER_INVALID", `the ledger does not verify at entry ${problem.seq}`, {
      stage: "receipt",
      file: ledgerFile,
      line: problem.line,
      hint: "run `phin-submit receipts verify`; the store is rebuilt only from a ledger that verifies",
    });
  }
  const { receipted, superseded } = receiptedSubmissions(entries, receiptPublicKey, ledgerFile);
  const file = stateDbPath(stateDir);
  const fresh = `${file}.rebuild-${process.pid}`;
  await removeDb(fresh);
  const store = await StateStore.open(fresh);
  const missing: { submissionId: string; period: string }[] = [];
  let episodes = 0;
  try {
    for (const r of receipted) {
      const keysFile = linkKeysPath(stateDir, r);
      if (!existsSync(keysFile)) {
        missing.push({ submissionId: r.submissionId, period: r.period });
        continue;
      }
      const keys = await readLinkKeys(keysFile);
      if (keys.submission.submissionId !== r.submissionId) {
        throw new PhinError("STATE_STORE_INVALID", "a link-keys file names another submission", {
          stage: "receipt",
          file: keysFile,
          hint: "the file was moved or edited; restore the state directory from backup",
        });
      }
      const status = superseded.has(r.submissionId) ? "superseded" : "accepted";
      episodes += store.recordSubmission({ ...keys.submission, status }, keys.episodes);
    }
  } catch (error) {
    store.close();
    await removeDb(fresh);
    throw error;
  }
  store.close();
  await rm(`${file}-wal`, { force: true });
  await rm(`${file}-shm`, { force: true });
  await rename(fresh, file);
  return { file, submissions: receipted.length - missing.length, episodes, missing };
}

async function removeDb(file: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) await rm(`${file}${suffix}`, { force: true });
}
