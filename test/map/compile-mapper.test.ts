import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileMapper } from "../../src/map/compile-mapper.ts";
import { loadMapping } from "../../src/map/load-mapping.ts";
import { openSourceFor } from "../../src/pipeline/open-source.ts";
import { minimalProms } from "../helpers/mappings.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "phin-mapper-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("compileMapper", () => {
  it("trims ASCII and Unicode spaces, leaves other values as they are, and blanks become null", async () => {
    const mappingFile = path.join(dir, "proms.json");
    writeFileSync(mappingFile, JSON.stringify(minimalProms));
    const mapping = await loadMapping(mappingFile, "proms.json");
    const file = path.join(dir, "proms.csv");
    writeFileSync(
      file,
      [
        "Id,Ep,Mrn,Group,Instr,Stage,Done,Score",
        // NBSP, line separator, BOM-as-space, tab, plain spaces, a value with inner spaces.
        "\u00a0R1\u00a0,E1\u2028,\ufeffM1,\tHIP\t,  OHS,PRE ,2026-10-01,a b",
        "R2,,   ,x,y,z,w,\u3000",
      ].join("\n"),
    );
    const source = await openSourceFor(mapping, {
      kind: "file",
      absolute: file,
      display: "proms.csv",
    });
    const mapper = compileMapper(mapping, source);
    source.restrictTo(mapper.readPaths);
    const mapped = [];
    for await (const batch of source.batches())
      for (const row of batch.rows) mapped.push(mapper.map(row));
    expect(mapped[0]?.fields).toMatchObject({
      site_code: "NQX01",
      response_id: "R1",
      episode_id: "E1",
      procedure_group: "HIP",
      instrument: "OHS",
      stage: "PRE",
      completed_date: "2026-10-01",
      score: "a b",
    });
    expect(mapped[0]?.localPatientId).toBe("M1");
    expect(mapped[1]?.fields).toMatchObject({ episode_id: null, score: null });
    expect(mapped[1]?.localPatientId).toBeNull();
  });
});
