import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { expandColumns, loadMapping } from "../../src/map/load-mapping.ts";
import { minimalProms } from "../helpers/mappings.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "phin-mapping-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it("refuses unknown top-level keys", async () => {
    const error = await loadError({ ...minimalProms, colour: "blue" });
    expect(error.message).toContain('unknown key "colour"');
  });

  it("reads a file that starts with a byte order mark", async () => {
    const file = mappingFile("bom.json", `\uFEFF${JSON.stringify(minimalProms)}`);
    expect((await loadMapping(file, "mappings/bom.json")).dataset.name).toBe("proms");
  });
});

describe("mapping errors are worded like config errors", () => {
  it("a JSON syntax error names the line and column and never quotes the file", async () => {
    const error = await loadError('{\n  "mapping_version": 1,\n  "dataset": s3cr3t\n}\n');
    expect(error.code).toBe("MAPPING_INVALID");
    expect(error.line).toBe(3);
    expect(error.message).toBe("mappings/test.json:3:14 is not valid JSON: unexpected character");
  });

  it("a wrong type says what was expected, a missing key says required", async () => {
    const { dataset: _, ...rest } = minimalProms;
    const error = await loadError({ ...rest, date_format: 5 });
    expect(error.message).toContain("date_format: expected a string, got a number");
    expect(error.message).toContain("dataset: required");
    const inRule = await loadError({
      ...minimalProms,
      fields: { ...minimalProms.fields, stage: { from: 5 } },
    });
    expect(inRule.message).toContain("fields.stage.from: expected a string, got a number");
  });

  it("an unknown key gets the closest known one, at the top level and in a rule", async () => {
    const top = await loadError({ ...minimalProms, date_fromat: "ISO" });
    expect(top.message).toContain('unknown key "date_fromat" (did you mean "date_format"?)');
    const inRule = await loadError({
      ...minimalProms,
      fields: { ...minimalProms.fields, stage: { form: "Stage" } },
    });
    expect(inRule.field).toBe("stage");
    expect(inRule.message).toContain('fields.stage: unknown key "form" (did you mean "from"?)');
  });

  it("an unknown target field close to a known one gets a suggestion", async () => {
    const { score, ...fields } = minimalProms.fields;
    const error = await loadError({ ...minimalProms, fields: { ...fields, scor: score } });
    expect(error.field).toBe("scor");
    expect(error.message).toContain(
      'unknown target field "scor" for dataset proms (did you mean "score"?)',
    );
  });
});

describe("loadMapping files", () => {
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
