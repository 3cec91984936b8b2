import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { expandColumns, loadMapping } from "../../src/map/load-mapping.ts";
import { minimalProms } from "../helpers/mappings.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "phin-mapping-"));

function mappingFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

async function loadError(content: unknown): Promise<PhinError> {
  const file = mappingFile(`m-${Math.random().toString(36).slice(2)}.json`, content);
  const error = await loadMapping(file, "mappings/test.json").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhinError);
  return error as PhinError;
}

describe("loadMapping", () => {
  it("loads a valid mapping with defaults filled in", async () => {
    const mapping = await loadMapping(mappingFile("ok.json", minimalProms), "mappings/ok.json");
    expect(mapping.dataset.name).toBe("proms");
    expect(mapping.source).toMatchObject({
      format: "csv",
      delimiter: ",",
      encoding: "utf-8",
      header: true,
    });
    expect(mapping.rules.find((r) => r.field === "completed_date")).toMatchObject({
      dateFormat: "DD/MM/YYYY",
    });
  });

  it("refuses an unknown target field, naming the file and the field", async () => {
    const error = await loadError({
      ...minimalProms,
      fields: { ...minimalProms.fields, surname: { from: "Surname" } },
    });
    expect(error.code).toBe("MAPPING_INVALID");
    expect(error.file).toBe("mappings/test.json");
    expect(error.field).toBe("surname");
    expect(error.message).toContain('unknown target field "surname"');
  });

  it("refuses a missing mandatory field", async () => {
    const { stage: _stage, ...fields } = minimalProms.fields;
    const error = await loadError({ ...minimalProms, fields });
    expect(error.field).toBe("stage");
    expect(error.message).toContain('mandatory field "stage" is not mapped');
  });

  it("refuses provider_code, which comes from the configuration", async () => {
    const error = await loadError({
      ...minimalProms,
      fields: { ...minimalProms.fields, provider_code: { const: "X" } },
    });
    expect(error.field).toBe("provider_code");
  });

  it("refuses a bad rule shape with the path of the problem", async () => {
    const error = await loadError({
      ...minimalProms,
      fields: { ...minimalProms.fields, stage: { from: "A", const: "B" } },
    });
    expect(error.field).toBe("stage");
    expect(error.message).toContain("exactly one of `from` or `const`");
  });

  it("refuses an unsupported date format", async () => {
    const error = await loadError({ ...minimalProms, date_format: "DD/MMM/YY" });
    expect(error.field).toBe("date_format");
  });

  it("refuses an undeclared lookup and XML-only rules on a CSV source", async () => {
    expect(
      (
        await loadError({
          ...minimalProms,
          fields: { ...minimalProms.fields, stage: { from: "S", lookup: "nope" } },
        })
      ).field,
    ).toBe("stage");
  });

  it("refuses invalid JSON and unknown top-level keys", async () => {
    expect((await loadError("{ not json")).code).toBe("MAPPING_INVALID");
    const error = await loadError({ ...minimalProms, colour: "blue" });
    expect(error.message).toContain('unknown key "colour"');
  });

  it("reports a missing file as MAPPING_NOT_FOUND", async () => {
    const error = await loadMapping(path.join(dir, "absent.json"), "mappings/absent.json").catch(
      (e: unknown) => e,
    );
    expect((error as PhinError).code).toBe("MAPPING_NOT_FOUND");
  });

  it("expands column templates", () => {
    expect(expandColumns({ template: "Diag{n}", from: 2, to: 4 })).toEqual([
      "Diag2",
      "Diag3",
      "Diag4",
    ]);
    expect(expandColumns({ template: "P_{nn}", from: 9, to: 10 })).toEqual(["P_09", "P_10"]);
  });
});
