// The ledger's anchored end: `ledger.head.json` holds the count and hash of the last entry,
// replaced atomically after every append. The hash chain shows an edited or reordered entry;
// only the head shows entries missing at the end, an emptied ledger or a deleted one. (Anyone
// who can write the state directory can rewrite both: PHIN's list is the check beyond that,
// `receipts verify --remote`.)
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../io/text-file.ts";
import type { LedgerEntry } from "./ledger.ts";

const $LedgerHead = z.strictObject({
  entries: z.number().int().min(0),
  hash: z.string(),
  at: z.string(),
});
export type LedgerHead = z.infer<typeof $LedgerHead>;

export function headPath(ledgerFile: string): string {
  return path.join(path.dirname(ledgerFile), "ledger.head.json");
}

/** The head, undefined when there is none; "unreadable" when it is not a head record. */
export async function readHead(ledgerFile: string): Promise<LedgerHead | undefined | "unreadable"> {
  const text = await readFile(headPath(ledgerFile), "utf8").catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    },
  );
  if (text === undefined) return undefined;
  try {
    const parsed = $LedgerHead.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : "unreadable";
  } catch {
    return "unreadable";
  }
}

export async function writeHead(ledgerFile: string, last: LedgerEntry | undefined): Promise<void> {
  const head: LedgerHead = {
    entries: last?.seq ?? 0,
    hash: last?.hash ?? "",
    at: new Date().toISOString(),
  };
  await writeFileAtomic(headPath(ledgerFile), `${JSON.stringify(head)}\n`);
}

export interface AnchorCheck {
  /** What is wrong with the ledger's end, each in its own words; empty when it holds. */
  readonly problems: readonly string[];
  /** One entry past the head: the append was done, the head not yet (a crash); repairable. */
  readonly headBehindByOne: boolean;
}

/** Compare the ledger's entries with its head. */
export async function checkAnchor(
  ledgerFile: string,
  entries: readonly LedgerEntry[],
): Promise<AnchorCheck> {
  const head = await readHead(ledgerFile);
  const headName = path.basename(headPath(ledgerFile));
  const fine = { problems: [], headBehindByOne: false };
  if (head === "unreadable")
    return { problems: [`the head file ${headName} is not readable`], headBehindByOne: false };
  if (head === undefined) {
    if (entries.length === 0) return fine;
    // A crash between the very first append and the first head write: like any head behind by one.
    if (entries.length === 1) return { problems: [], headBehindByOne: true };
    const problem = `the head file ${headName} is missing: the ledger's end cannot be checked`;
    return { problems: [problem], headBehindByOne: false };
  }
  const n = head.entries;
  const problems: string[] = [];
  const size = await stat(ledgerFile).then(
    (s) => s.size,
    () => undefined,
  );
  if (n > 0 && size === undefined) {
    problems.push(`the ledger file is missing, but its head records ${n} entries`);
  } else if (n > 0 && size === 0) {
    problems.push(`the ledger is empty, but its head records ${n} entries`);
  } else if (entries.length < n) {
    const lost = n - entries.length;
    problems.push(
      `the ledger's last ${lost} ${lost === 1 ? "entry is" : "entries are"} missing: it ends at entry ${entries.length}, its head records ${n}`,
    );
  } else if (n > 0 && entries[n - 1]?.hash !== head.hash) {
    problems.push(`entry ${n} is not the entry the head records (the ledger was rewritten)`);
  } else if (entries.length > n + 1) {
    const from = n + 2;
    const which =
      from === entries.length ? `entry ${from} is` : `entries ${from} to ${entries.length} are`;
    problems.push(`${which} not anchored by the head (appended by something else?)`);
  }
  return { problems, headBehindByOne: problems.length === 0 && entries.length === n + 1 };
}
