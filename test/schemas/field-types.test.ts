import fc from "fast-check";
import { expect, it } from "vitest";
import {
  codeSet,
  date,
  notPlain,
  opcs4,
  pseudonym,
  type ScalarType,
} from "../../src/schemas/field-types.ts";
import { CURRENT_SCHEMA_VERSION, schemaVersions } from "../../src/schemas/registry.ts";
import * as codes from "../../src/schemas/v1/code-sets.ts";

it("the pseudonym field type accepts exactly 64 lowercase hex characters", () => {
  const parse = pseudonym.compile({ dateFormat: "ISO" });
  fc.assert(
    fc.property(fc.string({ maxLength: 70 }), (s) => {
      expect(parse(s).ok).toBe(/^[0-9a-f]{64}$/.test(s));
    }),
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (s) => {
      expect(parse(s).ok).toBe(true);
    }),
  );
  expect(parse(`${"a".repeat(63)}g`).ok).toBe(false);
  expect(parse("A".repeat(64)).ok).toBe(false);
  expect(parse("a".repeat(65)).ok).toBe(false);
});

it("a code-set field type matches exactly the values that upper-case to a code", () => {
  // Short ASCII values take a numeric path; everything else, Unicode included ("ı" upper-cases
  // to "I"), must answer as upper-casing and looking up would.
  const sets = (Object.values(codes) as unknown[]).filter(
    (set): set is readonly string[] =>
      Array.isArray(set) && set.every((v) => typeof v === "string"),
  );
  const pieces = fc.constantFrom(..."0123456789aAbBiIxXzZ ıß\u0000é-", "ins", "ured", "SE", "lf");
  for (const values of [...sets, ["01", "A", "I", "99", "OTHER", "Ab"]]) {
    const parse = codeSet(values, "test").compile({ dateFormat: "ISO" });
    const oracle = (raw: string) => values.includes(raw.toUpperCase());
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...values),
          fc.constantFrom(...values).map((v) => v.toLowerCase()),
          fc.array(pieces, { maxLength: 3 }).map((a) => a.join("")),
          fc.string({ maxLength: 3 }),
        ),
        (raw) => {
          const result = parse(raw);
          expect(result.ok).toBe(oracle(raw));
          if (result.ok) expect(result.value).toBe(raw.toUpperCase());
        },
      ),
      { numRuns: 500 },
    );
  }
});

it("a plain field type stores nothing a CSV cell would need quoted or XML text escaped", () => {
  // Every scalar type of the current datasets that claims to be plain, list items included, and
  // the procedure code and date types the record parser uses. Fuzzed around valid values of
  // every kind, with the characters that matter inserted anywhere.
  const types = new Set<ScalarType<string> | ScalarType<number>>([opcs4("secondary"), date()]);
  for (const dataset of Object.values(schemaVersions[CURRENT_SCHEMA_VERSION] ?? {}))
    for (const def of Object.values(dataset.fields)) {
      if (def.type.kind === "scalar") types.add(def.type);
      if (def.type.kind === "list") types.add(def.type.item);
    }
  const plain = [...types].filter((type) => type.plain === true);
  expect(plain.length).toBeGreaterThan(10);
  const samples = [
    "2026-10-03",
    "2026-10-03T10:00:00+01:00",
    "03/10/2026",
    "8297436993",
    "829 743 6993",
    "BD2 8GX",
    "bd28gx",
    "J34.2",
    "m01.1-d",
    "E03.6",
    "w37.12",
    "C3579024",
    "D9999998",
    "5e8263aba238e746c9eb3a2fda2d11eb585fa436292626e1c4b78c1361d0bc0d",
    "01",
    "insured",
    "-0.5",
    "12",
    ...(Object.values(codes) as unknown[]).flatMap((set) =>
      Array.isArray(set) ? set.filter((v): v is string => typeof v === "string") : [],
    ),
  ];
  const special = fc.constantFrom(...'",\r\n&<> .-:');
  /** `values` with one of the characters that matter inserted anywhere, or random text. */
  const around = (values: readonly string[]) =>
    fc.oneof(
      fc
        .tuple(fc.constantFrom(...values), fc.nat(70), special)
        .map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1))),
      fc.string({ unit: fc.oneof(special, fc.constantFrom(..."0123456789AXCDEJ")), maxLength: 12 }),
    );
  for (const type of plain) {
    const parse = (type as ScalarType<string>).compile({ dateFormat: "ISO" });
    const format = type.format as (value: unknown) => string;
    const isPlain = (value: string) => {
      const result = parse(value);
      if (result.ok) expect(format(result.value)).not.toMatch(notPlain);
    };
    // The samples this type stores, then variations of them.
    const valid = samples.filter((value) => parse(value).ok);
    valid.forEach(isPlain);
    if (valid.length > 0) fc.assert(fc.property(around(valid), isPlain), { numRuns: 300 });
    // Numbers, derived ones included (never parsed from a source), by their format alone.
    else if (type.numeric === true)
      fc.assert(
        fc.property(fc.double(), (n) => {
          expect(format(n)).not.toMatch(notPlain);
        }),
      );
    else expect.unreachable(`no sample is a valid ${type.description}`);
  }
});
