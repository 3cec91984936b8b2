import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { entryHash, Ledger, readLedger, verifyChain } from "../../src/receipt/ledger.ts";
import { headPath } from "../../src/receipt/ledger-head.ts";
import { reconcile } from "../../src/receipt/reconcile.ts";
import { verifyLedgerFile } from "../../src/receipt/verify-ledger.ts";
import { tempDir } from "../helpers/cli.ts";

const body = (n: number) => ({
  type: "intent" as const,
  at: `2026-11-0${n}T00:00:00Z`,
  actor: "test@host",
  tool_version: "0.1.0",
  provider_code: "NQX",
  period: "2026-10",
  submission_id: `NQX-2026-10-${n}`,
});

async function ledgerOf(n: number): Promise<string> {
  const file = path.join(tempDir("ledger"), "ledger.jsonl");
  const ledger = await Ledger.open(file);
  for (let i = 1; i <= n; i++) await ledger.append(body(i));
  return file;
}

const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);
const problemsOf = async (file: string) =>
  (await verifyLedgerFile(file, undefined)).problems.map((p) => p.problem);

describe("ledger", () => {
  it("chains entries by hash and verifies", async () => {
    const file = await ledgerOf(2);
    const read = await readLedger(file);
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(read.entries[1]?.prev_hash).toBe(read.entries[0]?.hash);
    expect(verifyChain(read.entries)).toEqual([]);
  });

  it("sets a torn last line aside in ledger.jsonl.torn, keeping earlier entries valid", async () => {
    const file = await ledgerOf(1);
    appendFileSync(file, '{"seq":2,"type":"rece');
    const read = await readLedger(file);
    expect(read.tornTail).toBe(true);
    expect(read.entries).toHaveLength(1);
    expect(await problemsOf(file)).toEqual([]);
    const reopened = await Ledger.open(file);
    expect(reopened.repairedTornTail).toBe(true);
    expect(readFileSync(`${file}.torn`, "utf8")).toBe('{"seq":2,"type":"rece');
    await reopened.append(body(2));
    expect(verifyChain((await readLedger(file)).entries)).toEqual([]);
  });

  it("keeps a complete last entry that only lacks its newline", async () => {
    const file = await ledgerOf(2);
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n$/, ""));
    expect((await readLedger(file)).entries).toHaveLength(2);
    const reopened = await Ledger.open(file);
    expect(reopened.entries).toHaveLength(2);
    await reopened.append(body(3));
    expect(lines(file)).toHaveLength(3);
    expect(verifyChain((await readLedger(file)).entries)).toEqual([]);
  });

  it("names the entry whose bytes were edited, and refuses to append to a broken chain", async () => {
    const file = await ledgerOf(3);
    writeFileSync(file, readFileSync(file, "utf8").replace("NQX-2026-10-2", "NQX-2026-10-X"));
    const problems = verifyChain((await readLedger(file)).entries);
    expect(problems.map((p) => p.seq)).toContain(2);
    await expect(Ledger.open(file)).rejects.toThrow(/entry 2/);
  });

  it("an entry re-hashed after its link was changed still fails: it no longer links", async () => {
    const file = await ledgerOf(3);
    const entries = (await readLedger(file)).entries;
    const { hash: _, ...second } = { ...entries[1], prev_hash: "f".repeat(64) } as NonNullable<
      (typeof entries)[1]
    >;
    const relinked = { ...second, hash: entryHash(second) };
    const text = [entries[0], relinked, entries[2]].map((e) => JSON.stringify(e)).join("\n");
    writeFileSync(file, `${text}\n`);
    const problems = verifyChain((await readLedger(file)).entries);
    expect(problems).toContainEqual({
      seq: 2,
      line: 2,
      problem: "does not link to the previous entry",
    });
  });

  it("writes the head after each append: the last entry's count and hash", async () => {
    const file = await ledgerOf(2);
    const head = JSON.parse(readFileSync(headPath(file), "utf8"));
    const last = (await readLedger(file)).entries.at(-1);
    expect(head).toMatchObject({ entries: 2, hash: last?.hash });
  });
});

describe("the anchored end", () => {
  it("a deleted last entry is a lost tail, in verify and when opened for appending", async () => {
    const file = await ledgerOf(3);
    writeFileSync(file, `${lines(file).slice(0, 2).join("\n")}\n`);
    expect(await problemsOf(file)).toEqual([
      "the ledger's last 1 entry is missing: it ends at entry 2, its head records 3",
    ]);
    await expect(Ledger.open(file)).rejects.toThrow(/last 1 entry is missing/);
  });

  it("an emptied ledger and a deleted one each have their own message", async () => {
    const emptied = await ledgerOf(2);
    writeFileSync(emptied, "");
    expect(await problemsOf(emptied)).toEqual([
      "the ledger is empty, but its head records 2 entries",
    ]);
    const deleted = await ledgerOf(2);
    rmSync(deleted);
    expect(await problemsOf(deleted)).toEqual([
      "the ledger file is missing, but its head records 2 entries",
    ]);
    await expect(Ledger.open(deleted)).rejects.toThrow(/missing/);
  });

  it("a rewritten ledger and a missing head are reported", async () => {
    const rewritten = await ledgerOf(2);
    const other = await Ledger.open(path.join(tempDir("ledger"), "ledger.jsonl"));
    await other.append(body(5));
    await other.append(body(6));
    writeFileSync(rewritten, readFileSync(other.file, "utf8"));
    expect(await problemsOf(rewritten)).toEqual([
      "entry 2 is not the entry the head records (the ledger was rewritten)",
    ]);
    const extended = await ledgerOf(2);
    const head = readFileSync(headPath(extended));
    await (await Ledger.open(extended)).append(body(3));
    await (await Ledger.open(extended)).append(body(4));
    writeFileSync(headPath(extended), head);
    expect(await problemsOf(extended)).toEqual([
      "entry 4 is not anchored by the head (appended by something else?)",
    ]);
    const headless = await ledgerOf(2);
    rmSync(headPath(headless));
    expect(await problemsOf(headless)).toEqual([
      "the head file ledger.head.json is missing: the ledger's end cannot be checked",
    ]);
  });

  it("one entry past the head (a crash between append and head) is repaired on open", async () => {
    const file = await ledgerOf(2);
    const head = readFileSync(headPath(file));
    await (await Ledger.open(file)).append(body(3));
    writeFileSync(headPath(file), head);
    expect(await problemsOf(file)).toEqual([]);
    await Ledger.open(file);
    expect(JSON.parse(readFileSync(headPath(file), "utf8")).entries).toBe(3);
  });

  it("opened for recovery, a lost end is accepted and only re-anchored on request", async () => {
    const file = await ledgerOf(3);
    writeFileSync(file, "");
    const ledger = await Ledger.open(file, { recovering: true });
    expect(JSON.parse(readFileSync(headPath(file), "utf8")).entries).toBe(3);
    await ledger.reanchor();
    expect(await problemsOf(file)).toEqual([]);
  });
});

describe("reconcile", () => {
  it("tells receipts PHIN does not hold from submissions the ledger lacks", async () => {
    const file = await ledgerOf(0);
    const ledger = await Ledger.open(file);
    await ledger.append({ ...body(1), type: "receipt" });
    await ledger.append({ ...body(2), type: "receipt" });
    const remote = [
      { submission_id: "NQX-2026-10-1", state: "accepted", created_at: "x" },
      { submission_id: "NQX-2026-10-3", state: "received", created_at: "x" },
      { submission_id: "NQX-2026-10-4", state: "open", created_at: "x" },
    ];
    const r = reconcile(ledger.entries, remote);
    expect(r.unknownToPhin.map((e) => e.submission_id)).toEqual(["NQX-2026-10-2"]);
    expect(r.missingFromLedger.map((s) => s.submission_id)).toEqual(["NQX-2026-10-3"]);
  });
});
