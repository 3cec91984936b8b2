// Record digests and the change summary built from them: which records and fields changed,
// from keyed digests kept in the state store, never a value.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { DatasetDef } from "../../src/schemas/dataset.ts";
import { changeSummary } from "../../src/state/change-summary.ts";
import { bundleDigests, digestKey, digestRecord } from "../../src/state/record-digests.ts";
import { StateStore } from "../../src/state/state-store.ts";
import { tempDir } from "../helpers/cli.ts";

const dataset = {
  name: "proms",
  idField: "prom_id",
  columns: ["prom_id", "date_of_birth", "score"],
} as unknown as DatasetDef;
const key = Buffer.from("0123456789abcdef".repeat(3));

function bundle(rows: string[][]): string {
  const dir = tempDir("digests");
  const text = [dataset.columns, ...rows].map((r) => `${r.join(",")}\r\n`).join("");
  writeFileSync(path.join(dir, "proms.csv"), text);
  return dir;
}

const sent = [
  ["P1", "1961-03-14", "40"],
  ["P2", "1970-01-02", "35"],
  ["P3", "1980-05-06", "20"],
];

describe("record digests", () => {
  it("are keyed: the same value under another key gives another digest", () => {
    const cells = ["P1", "1961-03-14", "40"];
    const a = digestRecord(digestKey(key), dataset.columns, cells, 0);
    const b = digestRecord(digestKey(Buffer.from("x".repeat(48))), dataset.columns, cells, 0);
    expect(a.key).toBe("P1");
    expect(a.fields[1]).not.toBe(b.fields[1]);
    expect(a.digest).not.toBe(b.digest);
  });

  it("name the records added, removed and changed and the fields that changed", async () => {
    const before = await bundleDigests(bundle(sent), "csv", [dataset], key);
    const now = [
      ["P1", "1961-03-15", "41"],
      ["P3", "1980-05-06", "20"],
      ["P4", "1990-01-01", "10"],
    ];
    const after = await bundleDigests(bundle(now), "csv", [dataset], key);
    const summary = changeSummary(after ?? [], before ?? []);
    expect(summary.identical).toBe(false);
    expect(summary.datasets).toEqual([
      {
        dataset: "proms",
        added: ["P4"],
        removed: ["P2"],
        changed: ["P1"],
        fields: { date_of_birth: 1, score: 1 },
      },
    ]);
    expect(changeSummary(before ?? [], before ?? []).identical).toBe(true);
  });

  it("are kept in the state store without a value", async () => {
    const digests = (await bundleDigests(bundle(sent), "csv", [dataset], key)) ?? [];
    const file = path.join(tempDir("digest-store"), "state.db");
    const store = await StateStore.open(file);
    const sub = {
      submissionId: "NQX-2026-10-a",
      providerCode: "NQX",
      period: "2026-10",
      status: "accepted" as const,
      pseudonymKeyId: "k1",
      receivedAt: "2026-11-02T10:00:00Z",
    };
    store.recordSubmission(sub, [], digests);
    expect(store.digestsOf(sub.submissionId)).toEqual(digests);
    expect(store.digestsOf("NQX-2026-10-none")).toBeNull();
    store.recordSubmission(sub, [], digests); // a rerun replaces its copy
    expect(store.digestsOf(sub.submissionId)?.[0]?.records).toHaveLength(3);
    store.close();
    const wal = `${file}-wal`;
    const bytes = [file, wal]
      .filter(existsSync)
      .map((f) => readFileSync(f, "latin1"))
      .join("");
    for (const value of ["1961-03-14", "1970-01-02", "1980-05-06"])
      expect(bytes).not.toContain(value);
  });
});
