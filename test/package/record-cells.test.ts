import { describe, expect, it } from "vitest";
import { compileFromCells, compileToRow } from "../../src/package/record-cells.ts";
import { defineDataset } from "../../src/schemas/dataset.ts";
import { list, pattern } from "../../src/schemas/field-types.ts";
import { v1 } from "../helpers/records.ts";

const stored = {
  provider_code: "NQX",
  site_code: "NQX01",
  episode_id: "E1",
  spell_id: "S1",
  patient_pseudonym: "a".repeat(64),
  admission_date: "2026-10-01",
  secondary_diagnoses: ["I10", "E11.9"],
  secondary_procedures: [{ code: "Y80.2", date: "2026-10-02" }],
};

describe("a stored record as a bundle row", () => {
  it("has one cell per column, lists padded to their maximum, and reads back the same", () => {
    const row = compileToRow(v1.episodes)(stored);
    const cells = row.split(",");
    expect(cells).toHaveLength(v1.episodes.columns.length);
    const back = compileFromCells(v1.episodes)(cells);
    for (const [field, value] of Object.entries(stored)) expect(back[field]).toEqual(value);
  });

  it("blank lists are all empty cells", () => {
    const row = compileToRow(v1.episodes)({ episode_id: "E2" });
    expect(row.split(",")).toHaveLength(v1.episodes.columns.length);
    expect(row.replaceAll(",", "")).toBe("E2");
  });

  it("refuses a value that would need CSV quoting rather than shift a column", () => {
    // Values of plain types (codes, dates, numbers) are not checked again: their field types
    // guarantee it (test/schemas/field-types.test.ts). Every other value is.
    const toRow = compileToRow(v1.episodes);
    const notes = defineDataset({
      name: "proms",
      version: 1,
      idField: "id",
      fields: {
        id: { status: "M", type: pattern(/^.+$/s, "anything") },
        notes: { status: "O", type: list(pattern(/^.+$/s, "anything"), 3, "note") },
      },
    });
    const notesRow = compileToRow(notes);
    expect(notesRow({ id: "1", notes: ["a", "b"] })).toBe("1,a,b,");
    for (const bad of ["a,b", 'say "no"', "two\nlines", "cr\r"]) {
      expect(() => toRow({ ...stored, spell_id: bad })).toThrow(/needs CSV quoting/);
      expect(() =>
        toRow({ ...stored, secondary_procedures: [{ code: "Y80.2", date: bad }] }),
      ).toThrow(/needs CSV quoting/);
      expect(() => notesRow({ id: bad })).toThrow(/needs CSV quoting/);
      expect(() => notesRow({ id: "1", notes: ["a", bad] })).toThrow(/needs CSV quoting/);
    }
  });
});
