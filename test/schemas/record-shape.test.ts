import { describe, expect, it } from "vitest";
import { recordShape } from "../../src/schemas/record-shape.ts";

describe("recordShape", () => {
  const shape = recordShape(["episode_id", "site_code", "age_at_admission"]);

  it("reads a record's values in key order, undefined for a missing key, ignoring extras", () => {
    expect(shape.read({ site_code: "NQX01", extra: 1, episode_id: "E1" })).toEqual([
      "E1",
      "NQX01",
      undefined,
    ]);
  });

  it("builds a record holding exactly the keys, in order", () => {
    const record = shape.build(["E1", null, 45]);
    expect(Object.keys(record)).toEqual(["episode_id", "site_code", "age_at_admission"]);
    expect(record).toEqual({ episode_id: "E1", site_code: null, age_at_admission: 45 });
    expect(shape.read(record)).toEqual(["E1", null, 45]);
  });

  it("says whether a record holds every key", () => {
    expect(shape.hasAll({ episode_id: 1, site_code: 2, age_at_admission: undefined, x: 3 })).toBe(
      true,
    );
    expect(shape.hasAll({ episode_id: 1, site_code: 2 })).toBe(false);
    expect(recordShape([]).hasAll({})).toBe(true);
  });

  it("refuses a key that is not a plain identifier, so no name becomes generated code", () => {
    expect(() => recordShape(["a", "b]; process.exit(1); //"])).toThrow(/not a field name/);
    expect(() => recordShape(['a"'])).toThrow(/not a field name/);
    expect(() => recordShape([""])).toThrow(/not a field name/);
  });
});
