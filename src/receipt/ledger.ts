// The submission ledger (state/ledger.jsonl): append-only JSON lines, each entry carrying the
// SHA-256 of the previous one, fsync'd before the call returns, its end anchored by the head file
// (ledger-head.ts). It records intents, verified receipts and status changes: who, when, what
// (ids, counts, digests), never a patient value. A torn last line (a crash mid-write) is moved
// to ledger.jsonl.torn, never just dropped; a complete last entry missing only its newline is kept.
import { createHash } from "node:crypto";
import { appendFile, readFile, truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import { crashPoint } from "../io/crash-point.ts";
import { checkAnchor, writeHead } from "./ledger-head.ts";

/** The ledger lives in the state dir, one per installation. */
export function ledgerPath(loaded: LoadedConfig): string {
  return path.join(loaded.resolve(loaded.config.state_dir), "ledger.jsonl");
}

export type EntryType = "intent" | "receipt" | "unconfirmed" | "status";

export interface LedgerEntryBody {
  readonly type: EntryType;
  readonly at: string;
  readonly actor: string;
  readonly tool_version: string;
  readonly provider_code: string;
  readonly period: string;
  readonly submission_id: string;
  readonly [key: string]: unknown;
}

/** The fields every entry starts with: what, when, who, which tool, which submission. */
export function entryHeader(
  type: EntryType,
  at: Date,
  toolVersion: string,
  about: { provider_code: string; period: string; submission_id: string },
): LedgerEntryBody {
  const { provider_code, period, submission_id } = about;
  const actor = `${os.userInfo().username}@${os.hostname()}`;
  return {
    type,
    at: at.toISOString(),
    actor,
    tool_version: toolVersion,
    provider_code,
    period,
    submission_id,
  };
}

export interface LedgerEntry extends LedgerEntryBody {
  readonly seq: number;
  readonly prev_hash: string;
  readonly hash: string;
}

const GENESIS = "0".repeat(64);

export function entryHash(entry: Omit<LedgerEntry, "hash">): string {
  return createHash("sha256")
    .update(canonicalize(entry) as string)
    .digest("hex");
}

export interface LedgerRead {
  readonly entries: LedgerEntry[];
  /** Byte length of the intact part; a torn tail starts here. */
  readonly intactBytes: number;
  /** A final line without its newline or not valid JSON: a write cut short by a crash. */
  readonly tornTail: boolean;
  /** The last entry is complete JSON but lacks its newline (kept; the newline is added on open). */
  readonly missingNewline: boolean;
  /** The whole file, for setting a torn tail aside. */
  readonly bytes: Buffer;
}

export async function readLedger(file: string): Promise<LedgerRead> {
  // A ledger not written yet reads as an empty one.
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return Buffer.alloc(0);
    throw error;
  });
  const entries: LedgerEntry[] = [];
  let offset = 0;
  const torn = (at: number) => ({
    entries,
    intactBytes: at,
    tornTail: true,
    missingNewline: false,
    bytes,
  });
  while (offset < bytes.length) {
    const found = bytes.indexOf(0x0a, offset);
    const newline = found === -1 ? bytes.length : found;
    const line = bytes.subarray(offset, newline).toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      // Only the last line can be torn; an unreadable line in the middle is tampering.
      if (newline + 1 >= bytes.length) return torn(offset);
      throw new PhinError(
        "LEDGER_INVALID",
        `the ledger's entry ${entries.length + 1} is not valid JSON`,
        { stage: "receipt", file, line: entries.length + 1 },
      );
    }
    // A truncated object never parses, so a last line that does is whole: only its newline is lost.
    if (parsed === null || typeof parsed !== "object") return torn(offset);
    entries.push(parsed as LedgerEntry);
    if (found === -1)
      return { entries, intactBytes: bytes.length, tornTail: false, missingNewline: true, bytes };
    offset = newline + 1;
  }
  return { entries, intactBytes: offset, tornTail: false, missingNewline: false, bytes };
}

export interface ChainProblem {
  readonly seq: number;
  readonly line: number;
  readonly problem: string;
}

/** Check every entry's hash and link; returns the problems found (empty when the chain holds). */
export function verifyChain(entries: readonly LedgerEntry[]): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = GENESIS;
  entries.forEach((entry, i) => {
    const { hash, ...rest } = entry;
    const found = (problem: string) => problems.push({ seq: entry.seq, line: i + 1, problem });
    if (entry.seq !== i + 1) found(`sequence number ${entry.seq}, expected ${i + 1}`);
    if (entry.prev_hash !== prev) found("does not link to the previous entry");
    if (entryHash(rest) !== hash) found("content does not match its hash (edited?)");
    prev = hash;
  });
  return problems;
}

export class Ledger {
  readonly file: string;
  #entries: LedgerEntry[];
  /** Set when a torn tail was found (and set aside) when the ledger was opened. */
  readonly repairedTornTail: boolean;

  private constructor(file: string, entries: LedgerEntry[], repaired: boolean) {
    this.file = file;
    this.#entries = entries;
    this.repairedTornTail = repaired;
  }

  /**
   * Open for appending: verifies the chain and the anchored end, sets a torn tail left by a crash
   * aside. `recovering`: a lost end is expected (receipts recover), a broken chain never is.
   */
  static async open(file: string, { recovering = false } = {}): Promise<Ledger> {
    const read = await readLedger(file);
    const first = verifyChain(read.entries)[0];
    if (first !== undefined) {
      const message = `the ledger does not verify at entry ${first.seq}: ${first.problem}`;
      throw ledgerInvalid(file, message, first.line);
    }
    const anchor = await checkAnchor(file, read.entries);
    const lost = anchor.problems[0];
    if (lost !== undefined && !recovering) throw ledgerInvalid(file, lost);
    if (read.tornTail) {
      await appendFile(`${file}.torn`, read.bytes.subarray(read.intactBytes), {
        mode: 0o600,
        flush: true,
      });
      await truncate(file, read.intactBytes);
    }
    if (read.missingNewline) await appendFile(file, "\n", { mode: 0o600, flush: true });
    // Recovering: the head keeps recording the lost end until what PHIN holds is restored.
    if (anchor.headBehindByOne && !recovering) await writeHead(file, read.entries.at(-1));
    return new Ledger(file, read.entries, read.tornTail);
  }

  get entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  async append(body: LedgerEntryBody): Promise<LedgerEntry> {
    const last = this.#entries.at(-1);
    const unsigned = { ...body, seq: (last?.seq ?? 0) + 1, prev_hash: last?.hash ?? GENESIS };
    const entry = { ...unsigned, hash: entryHash(unsigned) } as LedgerEntry;
    crashPoint(`ledger:before-append:${body.type}`);
    await appendFile(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600, flush: true });
    crashPoint(`ledger:after-append:${body.type}`);
    this.#entries = [...this.#entries, entry];
    await writeHead(this.file, entry);
    crashPoint(`ledger:after-head:${body.type}`);
    return entry;
  }

  /** Anchor the head at the last entry (receipts recover, once PHIN's list was compared). */
  async reanchor(): Promise<void> {
    await writeHead(this.file, this.#entries.at(-1));
  }

  /** The receipt entry for a submission id, if any (check it: receipt-entry.ts). */
  receiptFor(submissionId: string): LedgerEntry | undefined {
    return this.#entries.find((e) => e.type === "receipt" && e.submission_id === submissionId);
  }

  hasIntent(submissionId: string): boolean {
    return this.#entries.some((e) => e.type === "intent" && e.submission_id === submissionId);
  }

  latestSubmission(): string | undefined {
    return this.#entries.findLast((e) => e.type === "intent" || e.type === "receipt")
      ?.submission_id;
  }

  lastStatus(submissionId: string): string | undefined {
    return this.#entries.findLast((e) => e.type === "status" && e.submission_id === submissionId)
      ?.state as string | undefined;
  }
}

/** Submissions replaced by a later one that PHIN accepted (its intent names them in `supersedes`). */
export function supersededIds(entries: readonly LedgerEntry[]): Set<string> {
  const receipted = new Set(
    entries.flatMap((e) => (e.type === "receipt" ? [e.submission_id] : [])),
  );
  return new Set(
    entries.flatMap((e) =>
      e.type === "intent" && typeof e.supersedes === "string" && receipted.has(e.submission_id)
        ? [e.supersedes]
        : [],
    ),
  );
}

function ledgerInvalid(file: string, message: string, line?: number): PhinError {
  return new PhinError("LEDGER_INVALID", message, {
    stage: "receipt",
    file,
    ...(line === undefined ? {} : { line }),
    hint: "run `phin-submit receipts verify --remote`; `phin-submit receipts recover` restores receipts PHIN holds; never edit the ledger by hand",
  });
}
