import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCsvBundleWriter, createXmlBundleWriter } from "../../src/package/bundle-writer.ts";
import { v1 } from "../helpers/records.ts";

// 40,000 lines of ~120 bytes: several read chunks, so dropped rows fall on chunk edges too.
const lines = Array.from({ length: 40_000 }, (_, i) => `row-${i},${"x".repeat(110 + (i % 7))}`);
const drop = new Set([0, 1, 8_736, 8_737, 17_475, 39_999]);
const kept = lines.filter((_, i) => !drop.has(i));

const xmlWriter = (dir: string) =>
  createXmlBundleWriter(dir, { providerCode: "NQX", period: "2026-10", schemaVersion: 1 });

describe("bundle writers leave out rows rejected at the end", () => {
  it("CSV: the file is rewritten without exactly those rows, header kept", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "phin-bundle-"));
    const writer = createCsvBundleWriter(dir);
    await writer.startDataset(v1.proms);
    for (let i = 0; i < lines.length; i += 1000) await writer.writeRows(lines.slice(i, i + 1000));
    await writer.endDataset(drop);
    const [file] = await writer.finish();
    const text = readFileSync(path.join(dir, "proms.csv"), "utf8");
    expect(text).toBe(`${v1.proms.columns.join(",")}\r\n${kept.join("\r\n")}\r\n`);
    expect(file?.records).toBe(kept.length);
    expect(file?.bytes).toBe(Buffer.byteLength(text));
    expect(file?.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    expect(readdirSync(dir)).toEqual(["proms.csv"]);
  });

  it("CSV: without drops the file is written once, as is", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "phin-bundle-"));
    const writer = createCsvBundleWriter(dir);
    await writer.startDataset(v1.proms);
    await writer.writeRows(lines);
    await writer.endDataset(new Set());
    expect((await writer.finish())[0]?.records).toBe(lines.length);
    expect(readFileSync(path.join(dir, "proms.csv"), "utf8")).toBe(
      `${v1.proms.columns.join(",")}\r\n${lines.join("\r\n")}\r\n`,
    );
  });

  it("XML: each dataset is written in place, without the dropped rows", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "phin-bundle-"));
    const writer = xmlWriter(dir);
    await writer.startDataset(v1.episodes);
    for (let i = 0; i < lines.length; i += 1000) await writer.writeRows(lines.slice(i, i + 1000));
    await writer.endDataset(drop);
    await writer.startDataset(v1.proms);
    await writer.writeRows(["<Prom>1</Prom>", "<Prom>2</Prom>"]);
    // A dataset that could not be read to its end leaves nothing behind.
    await writer.abortDataset();
    await writer.startDataset(v1.proms);
    await writer.writeRows(["<Prom>1</Prom>"]);
    await writer.endDataset(new Set());
    await writer.startDataset(v1.adverse_events);
    await writer.endDataset(new Set());
    const [file] = await writer.finish();
    const bytes = readFileSync(path.join(dir, "submission.xml"));
    expect(bytes.toString("utf8")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<PhinSubmission schemaVersion="1" provider="NQX" period="2026-10">\n<Episodes>\n${kept.join("\n")}\n</Episodes>\n<Proms>\n<Prom>1</Prom>\n</Proms>\n<AdverseEvents>\n</AdverseEvents>\n</PhinSubmission>\n`,
    );
    expect(file?.records).toBe(kept.length + 1);
    expect(file?.bytes).toBe(bytes.length);
    expect(file?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(readdirSync(dir)).toEqual(["submission.xml"]);
  });

  it("XML: values are escaped unless their type is plain", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "phin-bundle-"));
    const writer = xmlWriter(dir);
    const toLine = await writer.startDataset(v1.proms);
    // episode_id is a pattern type (not plain); stage a code set and score a number (plain).
    expect(toLine({ response_id: "R1", episode_id: "a<b&c>", stage: "PRE", score: 0.5 })).toBe(
      "<Prom><response_id>R1</response_id><episode_id>a&lt;b&amp;c&gt;</episode_id><stage>PRE</stage><score>0.5</score></Prom>",
    );
    await writer.abort();
  });
});
