import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { AcceptedRows } from "../../src/package/accepted-rows.ts";
import { type BundleFormat, rowFormatter } from "../../src/package/bundle-rows.ts";
import { writeCsvBundle, writeXmlBundle } from "../../src/package/bundle-writer.ts";
import type { DatasetDef } from "../../src/schemas/dataset.ts";
import type { ParsedRecord } from "../../src/validate/compile-record-parser.ts";
import { v1 } from "../helpers/records.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Records accepted by a pass, a batch of `batch` at a time, as their staging file. */
async function accepted(dataset: DatasetDef, format: BundleFormat, records: ParsedRecord[]) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-bundle-"));
  dirs.push(dir);
  const rows = new AcceptedRows(
    path.join(dir, `.${dataset.name}.accepted`),
    rowFormatter(dataset, format),
  );
  for (const [i, r] of records.entries()) {
    expect(rows.add(r)).toBe(i);
    if (i % 256 === 255) await rows.flush();
  }
  await rows.close();
  return { dir, file: rows.path };
}

const prom = (id: string, extra: ParsedRecord = {}): ParsedRecord => ({
  provider_code: "NQX",
  response_id: id,
  stage: "PRE",
  score: 7,
  ...extra,
});
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("the bundle is written from the accepted rows", () => {
  it("CSV: header, then every accepted row but the rejected ones, in order", async () => {
    // Over 64 KiB of rows: the staging file is read back in several chunks.
    const records = Array.from({ length: 5000 }, (_, i) => prom(`R${i}`));
    const { dir, file } = await accepted(v1.proms, "csv", records);
    const rejected = new Set([0, 1, 2500, 4999]);
    const [written] = await writeCsvBundle(dir, [
      { dataset: v1.proms, acceptedFile: file, rejected },
    ]);
    const bytes = readFileSync(path.join(dir, "proms.csv"));
    const rows = parse(bytes) as string[][];
    expect(rows[0]).toEqual([...v1.proms.columns]);
    expect(rows.slice(1).map((r) => r[v1.proms.columns.indexOf("response_id")])).toEqual(
      records.map((r) => r.response_id).filter((_, i) => !rejected.has(i)),
    );
    expect(bytes.toString("utf8").split("\r\n")[1]).toBe("NQX,,R2,,,,,PRE,,7,");
    expect(written).toEqual({
      name: "proms.csv",
      bytes: bytes.length,
      sha256: sha(bytes),
      records: 4996,
    });
    expect(readdirSync(dir).sort()).toEqual([".proms.accepted", "proms.csv"]);
  });

  it("a value that would need CSV quoting or break a line fails the run, never shifts a column", () => {
    for (const bad of ["a,b", 'say "no"', "two\nlines", "cr\rhere"])
      expect(() => rowFormatter(v1.proms, "csv")(prom(bad))).toThrow(PhinError);
    for (const bad of ["two\nlines", "cr\rhere"])
      expect(() => rowFormatter(v1.proms, "xml")(prom(bad))).toThrow(PhinError);
    expect(rowFormatter(v1.proms, "xml")(prom("a<b"))).toContain(
      "<response_id>a&lt;b</response_id>",
    );
  });

  it("XML: one element per line per record, escaped, lists and procedures nested", async () => {
    const episodes = await accepted(v1.episodes, "xml", [
      {
        episode_id: "a<b&c>",
        age_at_admission: 42,
        secondary_diagnoses: ["I10X", "E119"],
        secondary_procedures: [{ code: "Y802", date: "2026-10-02" }],
      },
    ]);
    const proms = await accepted(v1.proms, "xml", [prom("R1", { score: 0.5 }), prom("R2")]);
    const events = await accepted(v1.adverse_events, "xml", [{ event_id: "AE1" }]);
    const [written] = await writeXmlBundle(
      episodes.dir,
      { providerCode: "NQX", period: "2026-10", schemaVersion: 1 },
      [
        { dataset: v1.episodes, acceptedFile: episodes.file, rejected: new Set() },
        { dataset: v1.proms, acceptedFile: proms.file, rejected: new Set([1]) },
        { dataset: v1.adverse_events, acceptedFile: events.file, rejected: new Set([0]) },
      ],
    );
    const bytes = readFileSync(path.join(episodes.dir, "submission.xml"));
    expect(bytes.toString("utf8")).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<PhinSubmission schemaVersion="1" provider="NQX" period="2026-10">',
        "<Episodes>",
        "<Episode><episode_id>a&lt;b&amp;c&gt;</episode_id><age_at_admission>42</age_at_admission><secondary_diagnoses><code>I10X</code><code>E119</code></secondary_diagnoses><secondary_procedures><procedure><code>Y802</code><date>2026-10-02</date></procedure></secondary_procedures></Episode>",
        "</Episodes>",
        "<Proms>",
        "<Prom><provider_code>NQX</provider_code><response_id>R1</response_id><stage>PRE</stage><score>0.5</score></Prom>",
        "</Proms>",
        "<AdverseEvents>",
        "</AdverseEvents>",
        "</PhinSubmission>",
        "",
      ].join("\n"),
    );
    expect(written).toEqual({
      name: "submission.xml",
      bytes: bytes.length,
      sha256: sha(bytes),
      records: 2,
    });
  });
});
