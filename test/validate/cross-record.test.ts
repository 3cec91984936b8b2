import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { expect, it } from "vitest";
import { ScratchPartitions } from "../../src/io/scratch-partitions.ts";
import { CrossRecordKeys, NOT_WRITTEN } from "../../src/validate/cross-record.ts";
import { EpisodeIndex } from "../../src/validate/episode-index.ts";
import { keyHash, pseudonymWord } from "../../src/validate/link-facts.ts";

it("pseudonymWord reads the same 32 bits as parseInt over the hex, at 0 and 8", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (p) => {
      expect(pseudonymWord(p, 0)).toBe(Number.parseInt(p.slice(0, 8), 16) >>> 0);
      expect(pseudonymWord(p, 8)).toBe(Number.parseInt(p.slice(8, 16), 16) >>> 0);
    }),
  );
  expect(pseudonymWord(`${"f".repeat(16)}${"0".repeat(48)}`, 8)).toBe(0xffffffff);
});

// The scratch-file judge against a plain in-memory model of the same rules: ids and spells from
// small alphabets so duplicates, conflicts, out-of-scope copies and rejected rows all occur.
type Sighting =
  | { kind: "seen"; id: string; spell: string; pseudonym: string | null; rejected: boolean }
  | { kind: "out"; id: string };

const sighting = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("seen" as const),
      id: fc.constantFrom("E1", "E2", "E3", "E4", "E5", "E6", "É7", "E8"),
      spell: fc.constantFrom("S1", "S2", "S3", "S4"),
      pseudonym: fc.constantFrom(null, "a".repeat(64), "b".repeat(64), "c".repeat(64)),
      rejected: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("out" as const),
      id: fc.constantFrom("E1", "E2", "E9"),
    }),
  },
);

function model(sightings: readonly Sighting[]) {
  const seen = sightings.flatMap((s, i) => (s.kind === "seen" ? [{ ...s, line: i + 2 }] : []));
  const idCount = new Map<string, number>();
  const spellPatients = new Map<string, Set<string>>();
  for (const s of seen) {
    idCount.set(s.id, (idCount.get(s.id) ?? 0) + 1);
    const patients = spellPatients.get(s.spell) ?? new Set();
    if (s.pseudonym !== null) patients.add(s.pseudonym);
    spellPatients.set(s.spell, patients);
  }
  let written = 0;
  const rows = new Map<number, number>();
  for (const s of seen) rows.set(s.line, s.rejected ? NOT_WRITTEN : written++);
  const findings = seen.flatMap((s) => {
    const duplicate = (idCount.get(s.id) ?? 0) > 1;
    const spellConflict = (spellPatients.get(s.spell)?.size ?? 0) > 1;
    return duplicate || spellConflict
      ? [{ line: s.line, id: s.id, row: rows.get(s.line) as number, duplicate, spellConflict }]
      : [];
  });
  const status = new Map<string, string>();
  const prefix = new Map<string, string | null>();
  sightings.forEach((s) => {
    const next = s.kind === "out" ? "out_of_scope" : s.rejected ? "rejected" : "accepted";
    const existing = status.get(s.id);
    if (existing !== undefined && existing !== "out_of_scope" && next === "out_of_scope") return;
    status.set(s.id, next);
    prefix.set(s.id, s.kind === "seen" && s.pseudonym !== null ? s.pseudonym.slice(0, 16) : null);
  });
  for (const f of findings) if (f.row !== NOT_WRITTEN) status.set(f.id, "rejected");
  return { findings, status, prefix };
}

it("judges duplicates and spell conflicts, and indexes episodes, exactly as a plain model does", () => {
  fc.assert(
    // Index kept in memory (small) or read a bucket at a time (as for a backfill).
    fc.property(fc.array(sighting, { maxLength: 40 }), fc.boolean(), (sightings, onDisk) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "phin-model-"));
      const index = new EpisodeIndex(path.join(dir, "index"), undefined, onDisk ? 0 : 1 << 20);
      const keys = new CrossRecordKeys({ scratchDir: dir, name: "episodes", index });
      try {
        let written = 0;
        sightings.forEach((s, i) => {
          if (s.kind === "out") keys.outOfScope(s.id, i + 2);
          else
            keys.see(s.id, s.spell, s.pseudonym, i + 2, s.rejected ? NOT_WRITTEN : written++, {
              status: s.rejected ? "rejected" : "accepted",
              pseudonymPrefix: null,
              admissionDate: "2026-10-01",
              dischargeDate: null,
              primaryProcedureDate: "2026-10-02",
              dischargeMethod: "1",
              dischargeDestination: "19",
            });
        });
        const expected = model(sightings);
        expect([...keys.judge()]).toEqual(expected.findings);
        for (const id of ["E1", "E2", "E3", "E4", "E5", "E6", "É7", "E8", "E9", "E10"]) {
          expect(index.statusOf(id)).toBe(expected.status.get(id));
          const link = index.lookup(id);
          expect(link?.status).toBe(expected.status.get(id));
          if (link !== undefined && link.status !== "out_of_scope") {
            expect(link.pseudonymPrefix).toBe(expected.prefix.get(id));
            expect(link.admissionDate).toBe("2026-10-01");
            expect(link.dischargeDate).toBe(null);
            expect(link.dischargeDestination).toBe("19");
          }
        }
      } finally {
        keys.close();
        index.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 300 },
  );
});

it("the episode index answers for 300,000 episodes across every partition and bucket", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-index-"));
  const index = new EpisodeIndex(path.join(dir, "index"));
  const keys = new CrossRecordKeys({ scratchDir: dir, name: "episodes", index });
  try {
    const link = {
      status: "accepted" as const,
      pseudonymPrefix: null,
      admissionDate: "2026-10-01",
      dischargeDate: "2026-10-03",
      primaryProcedureDate: null,
      dischargeMethod: null,
      dischargeDestination: "19",
    };
    for (let i = 0; i < 300_000; i++)
      if (i % 3 === 0) keys.outOfScope(`EP${i}`, i + 2);
      else keys.see(`EP${i}`, undefined, "d".repeat(64), i + 2, i, link);
    expect([...keys.judge()]).toEqual([]);
    for (let i = 0; i < 300_000; i += 997)
      expect(index.statusOf(`EP${i}`)).toBe(i % 3 === 0 ? "out_of_scope" : "accepted");
    expect(index.lookup("EP299999")).toEqual({ ...link, pseudonymPrefix: "d".repeat(16) });
    expect(index.lookup("EP300000")).toBeUndefined();
    expect(index.bytes).toBeLessThan(2 * 300_000); // the bucket directory: flat memory
  } finally {
    keys.close();
    index.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it("two ids with the same 32-bit hash stay two keys: judged and indexed by their bytes", () => {
  // Keys are grouped by their stored keyHash, then compared byte for byte: find a real collision.
  const byHash = new Map<number, string>();
  let pair: [string, string] | undefined;
  for (let i = 0; pair === undefined; i++) {
    const id = `EP${i}`;
    const other = byHash.get(keyHash(id));
    if (other !== undefined) pair = [other, id];
    else byHash.set(keyHash(id), id);
  }
  const [a, b] = pair;
  expect(a).not.toBe(b);
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-collide-"));
  const index = new EpisodeIndex(path.join(dir, "index"));
  const keys = new CrossRecordKeys({ scratchDir: dir, name: "episodes", index });
  try {
    const link = {
      status: "accepted" as const,
      pseudonymPrefix: null,
      admissionDate: null,
      dischargeDate: null,
      primaryProcedureDate: null,
      dischargeMethod: null,
      dischargeDestination: null,
    };
    keys.see(a, `S-${a}`, "a".repeat(64), 2, 0, link);
    keys.see(b, `S-${b}`, "b".repeat(64), 3, 1, link);
    keys.see(b, `S-${b}`, "b".repeat(64), 4, 2, link);
    keys.outOfScope("EP-out", 5);
    const findings = [...keys.judge()];
    expect(findings.map((f) => [f.line, f.id, f.duplicate])).toEqual([
      [3, b, true],
      [4, b, true],
    ]);
    expect(index.statusOf(a)).toBe("accepted");
    expect(index.lookup(a)?.pseudonymPrefix).toBe("a".repeat(16));
    expect(index.statusOf(b)).toBe("rejected");
    expect(index.lookup(b)?.pseudonymPrefix).toBe("b".repeat(16));
  } finally {
    keys.close();
    index.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it("scratch partitions return each partition's entries in writing order, across flushes", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-scratch-"));
  const scratch = new ScratchPartitions(path.join(dir, "s"), 4, 64);
  try {
    expect(readdirSync(dir)).toEqual([]); // unlinked at once
    const written: string[][] = [[], [], [], []];
    for (let i = 0; i < 100; i++) {
      const p = (i * 7) % 4;
      const text = `entry-${i}`;
      const at = scratch.begin(p, text.length);
      scratch.end(at + scratch.buffer.write(text, at, "latin1"));
      (written[p] as string[]).push(text);
    }
    scratch.end(scratch.begin(1, 200) + 200); // an entry larger than the stage buffer
    (written[1] as string[]).push("");
    for (let p = 0; p < 4; p++) {
      const text = scratch.read(p).toString("latin1");
      expect(text.startsWith((written[p] as string[]).join(""))).toBe(true);
      expect(text.length).toBe((written[p] as string[]).join("").length + (p === 1 ? 200 : 0));
    }
  } finally {
    scratch.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it("every record under one id (a constant column mapped as the id): all findings, in line order", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-skew-"));
  const keys = new CrossRecordKeys({ scratchDir: dir, name: "proms" });
  try {
    for (let i = 0; i < 50_000; i++)
      keys.see("SAME", undefined, null, i + 2, i % 2 === 0 ? i / 2 : NOT_WRITTEN);
    const found = [...keys.judge()];
    expect(found).toHaveLength(50_000);
    expect(found.every((f, i) => f.line === i + 2 && f.duplicate && f.id === "SAME")).toBe(true);
    expect(found.filter((f) => f.row !== NOT_WRITTEN).map((f) => f.row)).toEqual(
      Array.from({ length: 25_000 }, (_, i) => i),
    );
  } finally {
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
