import fc from "fast-check";
import { expect, it } from "vitest";
import { CrossRecordRules } from "../../src/validate/cross-record.ts";
import { EpisodeIndex, outOfScopeLink, patientKey } from "../../src/validate/episode-links.ts";

// The rules across records and the episode index, driven the way the episodes pass drives them,
// against a plain model of the rules: ids and spells from small alphabets so duplicates,
// conflicts, out-of-scope copies and rejected records all occur.
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
  const seen = sightings.flatMap((s, i) => (s.kind === "seen" ? [{ ...s, seq: i }] : []));
  const idCount = new Map<string, number>();
  const spellPatients = new Map<string, Set<string>>();
  for (const s of seen) {
    idCount.set(s.id, (idCount.get(s.id) ?? 0) + 1);
    const patients = spellPatients.get(s.spell) ?? new Set();
    if (s.pseudonym !== null) patients.add(s.pseudonym);
    spellPatients.set(s.spell, patients);
  }
  let rows = 0;
  const rowOf = new Map(seen.map((s) => [s.seq, s.rejected ? null : rows++]));
  const findings = seen.flatMap((s) => {
    const duplicate = (idCount.get(s.id) ?? 0) > 1;
    const spellConflict = (spellPatients.get(s.spell)?.size ?? 0) > 1;
    return duplicate || spellConflict
      ? [{ line: s.seq + 2, id: s.id, row: rowOf.get(s.seq) ?? null, duplicate, spellConflict }]
      : [];
  });
  const status = new Map<string, string>();
  const pseudonym = new Map<string, string | null>();
  for (const s of sightings) {
    const next = s.kind === "out" ? "out_of_scope" : s.rejected ? "rejected" : "accepted";
    const existing = status.get(s.id);
    if (existing !== undefined && existing !== "out_of_scope" && next === "out_of_scope") continue;
    status.set(s.id, next);
    pseudonym.set(s.id, s.kind === "seen" ? s.pseudonym : null);
  }
  for (const f of findings) if (f.row !== null) status.set(f.id, "rejected");
  return { findings, status, pseudonym };
}

it("judges duplicates and spell conflicts, and indexes episodes, exactly as a plain model does", () => {
  fc.assert(
    fc.property(fc.array(sighting, { maxLength: 40 }), (sightings) => {
      const rules = new CrossRecordRules();
      const index = new EpisodeIndex();
      let rows = 0;
      sightings.forEach((s, seq) => {
        if (s.kind === "out") {
          index.add(s.id, outOfScopeLink);
          return;
        }
        const { id, spell, pseudonym } = s;
        const patient = pseudonym === null ? null : patientKey(pseudonym);
        rules.see({ line: seq + 2, id, row: s.rejected ? null : rows++, spell, patient });
        index.add(id, {
          ...outOfScopeLink,
          status: s.rejected ? "rejected" : "accepted",
          patient,
          admissionDate: "2026-10-01",
        });
      });
      const findings = rules.judge();
      for (const f of findings) if (f.row !== null) index.reject(f.id);
      const expected = model(sightings);
      expect(findings).toEqual(expected.findings);
      for (const id of ["E1", "E2", "E3", "E4", "E5", "E6", "É7", "E8", "E9", "E10"]) {
        const link = index.lookup(id);
        expect(link?.status).toBe(expected.status.get(id));
        if (link !== undefined && link.status !== "out_of_scope") {
          const pseudonym = expected.pseudonym.get(id);
          expect(link.patient).toBe(pseudonym ? patientKey(pseudonym) : null);
          expect(link.admissionDate).toBe("2026-10-01");
        }
      }
    }),
    { numRuns: 300 },
  );
});

it("every record under one id (a constant column mapped as the id): all findings, in order", () => {
  const rules = new CrossRecordRules();
  for (let i = 0; i < 50_000; i++)
    rules.see({ line: i + 2, id: "SAME", row: i % 2 === 0 ? i / 2 : null });
  const found = rules.judge();
  expect(found).toHaveLength(50_000);
  expect(found.every((f, i) => f.line === i + 2 && f.duplicate && f.id === "SAME")).toBe(true);
  expect(found.flatMap((f) => (f.row === null ? [] : [f.row]))).toEqual(
    Array.from({ length: 25_000 }, (_, i) => i),
  );
});

it("the index answers from earlier months when this one lacks the episode", () => {
  const prior = { ...outOfScopeLink, status: "accepted" as const, patient: 1 };
  const index = new EpisodeIndex({ get: (id) => (id === "OLD-1" ? prior : undefined) });
  index.add("NEW-1", { ...prior, patient: 2 });
  expect(index.lookup("OLD-1")).toBe(prior);
  expect(index.lookup("NEW-1")?.patient).toBe(2);
  expect(index.lookup("NONE")).toBeUndefined();
});

it("patientKey tells pseudonyms apart by their first 52 bits", () => {
  expect(patientKey("0".repeat(64))).toBe(0);
  expect(patientKey(`${"f".repeat(13)}${"0".repeat(51)}`)).toBe(2 ** 52 - 1);
  expect(patientKey("a".repeat(64))).not.toBe(patientKey("b".repeat(64)));
  expect(patientKey(`${"a".repeat(12)}b${"a".repeat(51)}`)).not.toBe(patientKey("a".repeat(64)));
});
