import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TextFile, writeFileAtomic, writeTextFile } from "../../src/io/text-file.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "phin-textfile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("TextFile", () => {
  it("writes mode 0600 whatever the umask, with the size and SHA-256 of the bytes", async () => {
    const before = process.umask(0);
    try {
      const text = ["héllo\n", "x".repeat(1 << 20), "", "€\n"];
      const written = await writeTextFile(path.join(dir, "a.txt"), text);
      const bytes = readFileSync(path.join(dir, "a.txt"));
      expect(bytes.toString("utf8")).toBe(text.join(""));
      expect(written).toEqual({
        bytes: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
      expect(statSync(path.join(dir, "a.txt")).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(before);
    }
  });

  it("abort removes the file", async () => {
    const file = new TextFile(path.join(dir, "b.txt"));
    await file.write("patient-level");
    await file.abort();
    expect(readdirSync(dir)).not.toContain("b.txt");
  });

  it("a failing source of chunks leaves no file behind", async () => {
    async function* chunks() {
      yield "part";
      throw new Error("source failed");
    }
    await expect(writeTextFile(path.join(dir, "c.txt"), chunks())).rejects.toThrow("source failed");
    expect(readdirSync(dir)).not.toContain("c.txt");
  });

  it("a file that cannot be created is an error, not a hang", async () => {
    await expect(writeTextFile(path.join(dir, "no-such-dir", "d.txt"), ["x"])).rejects.toThrow();
  });

  it("writeFileAtomic replaces a file whole and leaves no temp file", async () => {
    const file = path.join(dir, "e.json");
    writeFileSync(file, "old");
    await writeFileAtomic(file, "new");
    expect(readFileSync(file, "utf8")).toBe("new");
    expect(readdirSync(dir).filter((f) => f.startsWith("e.json"))).toEqual(["e.json"]);
  });
});
