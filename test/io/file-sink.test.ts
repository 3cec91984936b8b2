import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FileSink } from "../../src/io/file-sink.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "phin-sink-"));

describe("FileSink", () => {
  it("writes text, lines and bytes of any size in order, with the digest of exactly those bytes", async () => {
    const file = path.join(dir, "mixed.txt");
    const sink = await FileSink.create(file);
    const huge = "é".repeat(1_500_000); // more than the buffer, and two bytes per character
    const expected: string[] = [];
    await sink.write("head\n");
    expected.push("head\n");
    const lines = ["a", huge, "b", "x".repeat(400_000), "£"];
    await sink.writeLines(lines, "\r\n");
    expected.push(...lines.map((l) => `${l}\r\n`));
    await sink.writeBytes(Buffer.from("raw\n"));
    await sink.writeBytes(Buffer.alloc(2_000_000, 0x7a));
    expected.push("raw\n", "z".repeat(2_000_000));
    for (let i = 0; i < 50_000; i++) await sink.writeLines([`row ${i}`], "\n");
    for (let i = 0; i < 50_000; i++) expected.push(`row ${i}\n`);
    const done = await sink.close();
    const content = readFileSync(file);
    expect(content.toString("utf8")).toBe(expected.join(""));
    expect(done.bytes).toBe(content.length);
    expect(done.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("a scratch file can skip the digest", async () => {
    const sink = await FileSink.create(path.join(dir, "scratch.txt"), { digest: false });
    await sink.write("x");
    expect(await sink.close()).toEqual({ bytes: 1, sha256: "" });
  });
});
