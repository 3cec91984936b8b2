import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Ledger, readLedger, verifyChain } from "../../src/receipt/ledger.ts";
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

describe("ledger", () => {
  it("chains entries by hash and verifies", async () => {
    const file = path.join(tempDir("ledger"), "ledger.jsonl");
    const ledger = await Ledger.open(file);
    await ledger.append(body(1));
    await ledger.append(body(2));
    const read = await readLedger(file);
    expect(read.entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(read.entries[1]?.prev_hash).toBe(read.entries[0]?.hash);
    expect(verifyChain(read.entries)).toEqual([]);
  });

  it("detects and cuts a torn last line, keeping earlier entries valid", async () => {
    const file = path.join(tempDir("ledger"), "ledger.jsonl");
    const ledger = await Ledger.open(file);
    await ledger.append(body(1));
    appendFileSync(file, '{"seq":2,"type":"rece');
    const read = await readLedger(file);
    expect(read.tornTail).toBe(true);
    expect(read.entries).toHaveLength(1);
    const reopened = await Ledger.open(file);
    expect(reopened.repairedTornTail).toBe(true);
    await reopened.append(body(2));
    expect(verifyChain((await readLedger(file)).entries)).toEqual([]);
  });

  it("names the entry whose bytes were edited, and refuses to append to a broken chain", async () => {
    const file = path.join(tempDir("ledger"), "ledger.jsonl");
    const ledger = await Ledger.open(file);
    await ledger.append(body(1));
    await ledger.append(body(2));
    await ledger.append(body(3));
    writeFileSync(file, readFileSync(file, "utf8").replace("NQX-2026-10-2", "NQX-2026-10-X"));
    const problems = verifyChain((await readLedger(file)).entries);
    expect(problems.map((p) => p.seq)).toContain(2);
    await expect(Ledger.open(file)).rejects.toThrow(/entry 2/);
  });
});
