import { describe, expect, it } from "vitest";
import type { FieldType, ScalarType } from "../../src/schemas/field-types.ts";
import { schemaVersions } from "../../src/schemas/registry.ts";
import {
  shapeOf,
  showCount,
  showMember,
  showStored,
  showValue,
  type Verdict,
} from "../../src/validate/mask.ts";

describe("showValue: identifiers keep their masks", () => {
  it("shows only the last 4 digits of an NHS number, and the shape of anything else", () => {
    expect(showValue("nhs_number", "943 476 5918", "invalid")).toBe("******5918");
    expect(showValue("nhs_number", "01632 960354", "invalid")).toBe("99999 999999");
    expect(showValue("nhs_number", "Throckmorton", "invalid")).toBe("Aaaaaaaaaaaa");
  });
  it("shows only the outward code of a postcode, and the shape of anything else", () => {
    expect(showValue("postcode", "sw1a 1aa", "invalid")).toBe("SW1A ***");
    expect(showValue("postcode", "4929 8615 7701 5191", "invalid")).toBe("9999 9999 9999 9999");
  });
  it("shows only the year of a date of birth, in every form and every verdict", () => {
    expect(showValue("date_of_birth", "17/05/1960", "invalid")).toBe("1960");
    expect(showValue("date_of_birth", "1960-05-17", "member")).toBe("1960");
    expect(showStored("date_of_birth", "2027-03-04")).toBe("2027");
    expect(showValue("date_of_birth", "Wilhelmina", "invalid")).toBe("Aaaaaaaaaa");
  });
  it("never shows a pseudonym", () => {
    expect(showValue("hidden", "a".repeat(64), "member")).toBeNull();
  });
});

describe("showValue: only proven codes are shown, everything else as its shape", () => {
  it("shows a code-set value only when it is a member", () => {
    expect(showValue("code", "insured", "member")).toBe("INSURED");
    expect(showValue("code", "PRIVATE", "invalid")).toBe("AAAAAAA");
    expect(showValue("code", "BUPA", "well_formed")).toBe("AAAA");
  });
  it("shows a national format when well-formed, and a shape when not", () => {
    expect(showValue("format", "W37.12", "member")).toBe("W37.12");
    expect(showValue("format", "K35.1", "well_formed")).toBe("K35.1");
    expect(showValue("format", "hypertension", "invalid")).toBe("aaaaaaaaaaaa");
    expect(showValue("format", "Mrs O'Brien, 12 High St", "invalid")).toBe("(23 characters)");
  });
  it("shows words, upper-case or not, as shapes", () => {
    expect(showValue("format", "Featherstonehaugh", "invalid")).toBe("Aaaaaaaaaaaaaaaaa");
    expect(showValue("code", "THROCKMORTON", "invalid")).toBe("AAAAAAAAAAAA");
    expect(showValue("local_id", "forty two", "invalid")).toBe("aaaaa aaa");
    expect(shapeOf("Zénobie O'Neil")).toBe("Aaaaaaa A'Aaaa");
  });
  it("shows numbers only when short", () => {
    expect(showValue("number", "49", "well_formed")).toBe("49");
    expect(showValue("number", "07700900412", "well_formed")).toBe("99999999999");
    expect(showCount(125)).toBe("125");
  });
  it("shows a recent clinical date in full and an old one as its year", () => {
    const options = { recentFrom: "2024-01-01" };
    expect(showStored("date", "2026-10-05", options)).toBe("2026-10-05");
    expect(showStored("date", "1960-09-22", options)).toBe("1960");
    expect(showValue("date", "31/02/2026", "invalid", options)).toBe("99/99/9999");
  });
  it("shows another record's code only when it is a member of its set", () => {
    expect(showMember(["19", "79"], "19")).toBe("19");
    expect(showMember(["19", "79"], "Home")).toBe("Aaaa");
  });
});

// Values that identify a patient, as a corrupted extract puts them in the wrong column.
const planted = {
  name: ["Throckmorton", "THROCKMORTON", "Wilhelmina", "Nakamura-Lisle", "Zénobie"],
  phone: ["01632 960354", "07700900412", "+44 7700 900774"],
  email: ["aloysius.nakamuralisle485@example.invalid", "jo@ex.uk"],
  card: ["4929 8615 7701 5191", "4929861577015191"],
  mrn: ["MRN-P5E2M", "PTN-C1M3A"],
  nhs_number: ["3081408717", "308 140 8717"],
  postcode: ["DL21 9XR", "wf165ty"],
  date_of_birth: ["22/09/1960", "1956-11-11", "19601122"],
  free_text: ["Lives alone, key safe code given", "Wife & son visiting"],
} as const;

/** Every 5-character run of a value (the value itself when shorter). */
function runsOf(value: string): string[] {
  if (value.length <= 5) return [value];
  return Array.from({ length: value.length - 4 }, (_, i) => value.slice(i, i + 5));
}

/** What the field's own check makes of a value, as the record parser judges it. */
function verdictOf(type: ScalarType<string> | ScalarType<number>, raw: string): Verdict {
  const idFormat = /^(?:E[0-9]{4}-[0-9]{5})$/u;
  const parsed = type.compile({ dateFormat: "DD/MM/YYYY", idFormat })(raw);
  if (!parsed.ok) return "invalid";
  const lists: Record<string, ReadonlySet<string>> = { insurer: new Set(["BUPA", "AXAPPP"]) };
  const list = type.codeList === undefined ? undefined : lists[type.codeList];
  if (list !== undefined) return list.has(String(parsed.value)) ? "member" : "well_formed";
  return "member";
}

function scalarsOf(type: FieldType): (ScalarType<string> | ScalarType<number>)[] {
  if (type.kind === "scalar") return [type];
  if (type.kind === "list") return [type.item];
  return [];
}

/** The masks an identifier keeps in its own field (a value where it belongs). */
const ownMask: Record<string, keyof typeof planted> = {
  nhs_number: "nhs_number",
  postcode: "postcode",
  date_of_birth: "date_of_birth",
};

describe("every field of every dataset", () => {
  const fields = Object.values(schemaVersions).flatMap((datasets) =>
    Object.values(datasets).flatMap((dataset) =>
      Object.entries(dataset.fields).flatMap(([name, def]) =>
        scalarsOf(def.type).map((type) => ({ label: `${dataset.name}.${name}`, type })),
      ),
    ),
  );

  it.each(fields)(
    "$label never shows a planted value, whole or any 5 characters of it",
    ({ type }) => {
      for (const [kind, values] of Object.entries(planted)) {
        if (ownMask[type.shown] === kind) continue;
        for (const value of values) {
          const shown = showValue(type.shown, value, verdictOf(type, value), {
            recentFrom: "2024-01-01",
          });
          if (shown === null) continue;
          for (const run of runsOf(value))
            expect(shown.includes(run), `${value} -> ${shown}`).toBe(false);
        }
      }
    },
  );

  it("covers every field, and each dataset has code fields that show their codes", () => {
    expect(fields.length).toBeGreaterThan(50);
    const sex = fields.find((f) => f.label === "episodes.sex");
    expect(sex && showValue(sex.type.shown, "2", verdictOf(sex.type, "2"))).toBe("2");
  });
});
