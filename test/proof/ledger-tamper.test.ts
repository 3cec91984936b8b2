// Ledger tamper matrix: a real ledger (a submit to the sandbox, then `status`), tampered with
// one way per case, each copy checked by `receipts verify` as a child process: every tampering
// is reported with its own message and a non-zero exit. An untouched copy verifies (exit 0).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryHash, type LedgerEntry } from "../../src/receipt/ledger.ts";
import { tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";
import { limit, runBounded } from "./bounded.ts";

type Lines = string[];
interface Tamper {
  readonly name: string;
  /** Changes the ledger's lines and/or the files in the copied state folder. */
  readonly tamper: (lines: Lines, dir: string) => Lines | undefined;
  readonly reported: RegExp;
}

const parse = (line: string) => JSON.parse(line) as LedgerEntry;
const head = (dir: string) => path.join(dir, "ledger.head.json");

/** Re-links and re-hashes the entries (a forger who knows the keyless chain), head included. */
function rechain(entries: Record<string, unknown>[], dir: string): Lines {
  let prev = "0".repeat(64);
  const out = entries.map((e, i) => {
    const { hash: _, ...rest } = { ...e, seq: i + 1, prev_hash: prev } as Record<string, unknown>;
    const hash = entryHash(rest as Omit<LedgerEntry, "hash">);
    prev = hash;
    return { ...rest, hash };
  });
  const last = out.at(-1);
  const anchor = { entries: out.length, hash: last?.hash ?? "", at: "2026-11-02T00:00:00Z" };
  writeFileSync(head(dir), `${JSON.stringify(anchor)}\n`);
  return out.map((e) => JSON.stringify(e));
}

const edit = (line: string, change: (e: Record<string, unknown>) => void) => {
  const e = parse(line) as unknown as Record<string, unknown>;
  change(e);
  return JSON.stringify(e);
};
const withReceiptId = (signed: unknown, id: string) => {
  const s = signed as { receipt: Record<string, unknown> };
  return { ...s, receipt: { ...s.receipt, receipt_id: id } };
};
const receiptIndex = (lines: Lines) => lines.findIndex((l) => parse(l).type === "receipt");

const cases: readonly Tamper[] = [
  {
    name: "edit a field of an entry",
    tamper: (l) => [edit(l[0] as string, (e) => (e.actor = "someone@else")), ...l.slice(1)],
    reported: /content does not match its hash/,
  },
  {
    name: "edit the receipt id inside the receipt, chain and head recomputed",
    tamper: (l, dir) =>
      rechain(
        l.map((x, i) =>
          i === receiptIndex(l)
            ? { ...parse(x), receipt: withReceiptId(parse(x).receipt, "R-FORGED") }
            : parse(x),
        ) as unknown as Record<string, unknown>[],
        dir,
      ),
    reported: /receipt: .*signature/i,
  },
  {
    name: "forge an unsigned receipt entry, chain and head recomputed",
    tamper: (l, dir) => {
      const real = parse(l[receiptIndex(l)] as string) as unknown as Record<string, unknown>;
      const { receipt } = real.receipt as { receipt: unknown };
      const forged = { ...real, receipt: { receipt } }; // no signature
      return rechain([...l.map(parse), forged] as unknown as Record<string, unknown>[], dir);
    },
    reported: /receipt: the stored receipt is not in the documented shape/,
  },
  {
    name: "change the manifest digest of the receipt entry, chain and head recomputed",
    tamper: (l, dir) =>
      rechain(
        l.map((x, i) =>
          i === receiptIndex(l) ? { ...parse(x), manifest_sha256: "f".repeat(64) } : parse(x),
        ) as unknown as Record<string, unknown>[],
        dir,
      ),
    reported: /receipt: the entry's manifest digest differs from the manifest/,
  },
  {
    name: "delete a middle entry",
    tamper: (l) => [l[0] as string, ...l.slice(2)],
    reported: /entry 3 \(line 2\): sequence number 3, expected 2/,
  },
  {
    name: "delete the last entry",
    tamper: (l) => l.slice(0, -1),
    reported: /last 1 entry is missing/,
  },
  {
    name: "delete the last two entries",
    tamper: (l) => l.slice(0, -2),
    reported: /last 2 entries are missing/,
  },
  {
    name: "reorder two entries",
    tamper: (l) => [l[1] as string, l[0] as string, ...l.slice(2)],
    reported: /sequence number 2, expected 1/,
  },
  {
    name: "duplicate an entry",
    tamper: (l) => [l[0] as string, ...l],
    reported: /sequence number 1, expected 2/,
  },
  {
    name: "truncate inside the last line",
    // A torn last line reads as a lost last entry (its bytes are set aside, never trusted).
    tamper: (l) => [...l.slice(0, -1), (l.at(-1) as string).slice(0, 40)],
    reported: /last 1 entry is missing: it ends at entry 2, its head records 3/,
  },
  {
    name: "truncate to an empty file",
    tamper: () => [],
    reported: /the ledger is empty, but its head records/,
  },
  {
    name: "delete the ledger file",
    tamper: (_l, dir) => {
      rmSync(path.join(dir, "ledger.jsonl"));
      return undefined;
    },
    reported: /the ledger file is missing/,
  },
  {
    name: "delete the head file",
    tamper: (l, dir) => {
      rmSync(head(dir));
      return l;
    },
    reported: /head file ledger\.head\.json is missing/,
  },
  {
    name: "overwrite the head file with garbage",
    tamper: (l, dir) => {
      writeFileSync(head(dir), "{not a head");
      return l;
    },
    reported: /head file ledger\.head\.json is not readable/,
  },
  {
    name: "rewrite the whole chain with other content, head kept",
    tamper: (l, dir) => {
      const kept = readFileSync(head(dir));
      const out = rechain(
        l.map((x) => ({ ...parse(x), actor: "rewriter@host" })) as unknown as Record<
          string,
          unknown
        >[],
        dir,
      );
      writeFileSync(head(dir), kept);
      return out;
    },
    reported: /is not the entry the head records \(the ledger was rewritten\)/,
  },
  {
    name: "append two entries behind the head's back",
    tamper: (l) => {
      const rest = l.map(parse) as unknown as Record<string, unknown>[];
      const out = rechain([...rest, rest[0], rest[0]] as Record<string, unknown>[], tempDir("h"));
      return out;
    },
    reported: /not anchored by the head/,
  },
  {
    name: "break a link, entry re-hashed",
    tamper: (l) => {
      const e = { ...parse(l[1] as string), prev_hash: "a".repeat(64) };
      const { hash: _, ...rest } = e;
      return [l[0] as string, JSON.stringify({ ...rest, hash: entryHash(rest) }), ...l.slice(2)];
    },
    reported: /does not link to the previous entry/,
  },
  {
    name: "a line that is not JSON in the middle",
    tamper: (l) => [l[0] as string, "{garbage", ...l.slice(1)],
    reported: /the ledger's entry 2 is not valid JSON/,
  },
];

let env: SubmitEnv;
let original: Lines;
beforeAll(async () => {
  env = await submitEnv();
  expect((await env.submit()).code).toBe(0);
  expect((await env.cli(["status", "--config", env.configFile])).code).toBe(0);
  original = readFileSync(path.join(env.stateDir, "ledger.jsonl"), "utf8").trim().split("\n");
  expect(original.length).toBeGreaterThanOrEqual(3);
}, 60_000);
afterAll(() => env.close());

const slot = limit(2);
function verifyCopy(t: Pick<Tamper, "tamper">) {
  const dir = tempDir("tamper");
  mkdirSync(dir, { recursive: true });
  for (const f of ["ledger.jsonl", "ledger.head.json"])
    copyFileSync(path.join(env.stateDir, f), path.join(dir, f));
  const lines = t.tamper([...original], dir);
  if (lines !== undefined)
    writeFileSync(path.join(dir, "ledger.jsonl"), lines.map((x) => `${x}\n`).join(""));
  return slot(() =>
    runBounded(["receipts", "verify", "--config", env.configFile, "--state-dir", dir]),
  );
}

describe("ledger tamper matrix: receipts verify", () => {
  it("has at least 15 kinds of tampering, each expecting its own message", () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(new Set(cases.map((c) => c.reported.source)).size).toBe(cases.length);
  });

  it("an untouched copy verifies", async () => {
    const run = await verifyCopy({ tamper: (l) => l });
    expect(run.stdout).toMatch(/ledger OK/);
    expect(run.code).toBe(0);
  });

  it.concurrent.each(cases)("$name: reported, non-zero exit", async (t) => {
    const run = await verifyCopy(t);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBe(70);
    expect(run.stdout + run.stderr).toMatch(t.reported);
  });
});
