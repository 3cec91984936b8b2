import { describe, expect, it } from "vitest";
import { cellsOf, fromCells } from "../../src/package/record-cells.ts";
import { v1 } from "../helpers/records.ts";

const stored = {
  provider_code: "NQX",
  site_code: "NQX01",
  episode_id: "E1",
  spell_id: "S1",
  patient_pseudonym: "a".repeat(64),
  admission_date: "2026-10-01",
  age_at_admission: 42,
  secondary_diagnoses: ["I10X", "E119"],
  secondary_procedures: [{ code: "Y802", date: "2026-10-02" }],
};

describe("a stored record as the cells of its bundle row", () => {
  it("has one cell per column, lists padded to their maximum, and reads back the same", () => {
    const cells = cellsOf(v1.episodes)(stored);
    expect(cells).toHaveLength(v1.episodes.columns.length);
    expect(cells[v1.episodes.columns.indexOf("secondary_diagnosis_02")]).toBe("E119");
    expect(cells[v1.episodes.columns.indexOf("secondary_procedure_date_01")]).toBe("2026-10-02");
    expect(cells[v1.episodes.columns.indexOf("age_at_admission")]).toBe("42");
    const back = fromCells(v1.episodes, cells);
    for (const [field, value] of Object.entries(stored)) expect(back[field]).toEqual(value);
  });

  it("blank fields and lists are empty cells", () => {
    const cells = cellsOf(v1.episodes)({ episode_id: "E2" });
    expect(cells).toHaveLength(v1.episodes.columns.length);
    expect(cells.join("")).toBe("E2");
  });
});
