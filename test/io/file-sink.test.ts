import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
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
    for (let i = 0; i < 300_000; i++) await sink.writeLines([`row ${i}`], "\n");
    for (let i = 0; i < 300_000; i++) expected.push(`row ${i}\n`);
    const done = await sink.close();
    const content = readFileSync(file);
    expect(content.toString("utf8")).toBe(expected.join(""));
    expect(done.bytes).toBe(content.length);
    expect(done.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("keeps a buffer untouched until the kernel has taken it, however slow the writes", async () => {
    // A named pipe drained slowly makes each 1 MiB write take a while, so the sink fills its
    // other buffer while a write is in flight; reusing a buffer too early would garble output.
    const fifo = path.join(dir, "slow.fifo");
    execFileSync("mkfifo", [fifo]);
    const received: Buffer[] = [];
    const drained = new Promise<void>((resolve, reject) => {
      const reader = createReadStream(fifo, { highWaterMark: 1 << 16 });
      reader.on("data", (chunk) => {
        received.push(chunk as Buffer);
        reader.pause();
        setTimeout(() => reader.resume(), 2);
      });
      reader.on("end", resolve);
      reader.on("error", reject);
    });
    const sink = await FileSink.create(fifo, { digest: false });
    const expected: string[] = [];
    for (let i = 0; i < 40; i++) {
      const rows = Array.from({ length: 5_000 }, (_, j) => `row ${i}/${j} ${"x".repeat(j % 50)}`);
      await sink.writeLines(rows, "\n");
      expected.push(...rows.map((r) => `${r}\n`));
    }
    await sink.close({ sync: false });
    await drained;
    expect(Buffer.concat(received).toString("utf8")).toBe(expected.join(""));
  });

  it("syncs in the background while a long file is written, and its bytes stay whole", async () => {
    const file = path.join(dir, "long.txt");
    const sink = await FileSink.create(file);
    const row = `${"0123456789".repeat(10)}\n`;
    const rows = Array.from({ length: 1000 }, () => row);
    // 150 MB: two background syncs at least, each overlapping further writes.
    for (let i = 0; i < 1500; i++) await sink.writeLines(rows, "");
    const done = await sink.close();
    const digest = createHash("sha256");
    for await (const chunk of createReadStream(file)) digest.update(chunk as Buffer);
    expect(done.bytes).toBe(1500 * 1000 * row.length);
    expect(statSync(file).size).toBe(done.bytes);
    expect(done.sha256).toBe(digest.digest("hex"));
  });

  it("fails the close when a background sync failed, as a failed final sync would", async () => {
    // fdatasync on a named pipe fails (EINVAL): the background sync after 64 MiB hits that, and
    // the kernel would report a real write-back error to that one sync only, so close must.
    const writeThrough = async (close: { sync?: boolean }) => {
      const fifo = path.join(dir, `sync-${close.sync === true}.fifo`);
      execFileSync("mkfifo", [fifo]);
      let received = 0;
      const drained = new Promise<void>((resolve, reject) => {
        const reader = createReadStream(fifo);
        reader.on("data", (chunk) => {
          received += chunk.length;
        });
        reader.on("end", resolve);
        reader.on("error", reject);
      });
      const sink = await FileSink.create(fifo, { digest: false });
      const block = Buffer.alloc(1 << 20, 0x61);
      for (let i = 0; i < 80; i++) await sink.writeBytes(block);
      const closed = sink.close(close);
      const outcome = await closed.then(
        () => "closed",
        (error: NodeJS.ErrnoException) => `${error.syscall} ${error.code}`,
      );
      if (outcome !== "closed") await sink.abort();
      await drained;
      return { outcome, received };
    };
    // The background fdatasync's error, not the final fsync's.
    expect(await writeThrough({ sync: true })).toEqual({
      outcome: "fdatasync EINVAL",
      received: 80 << 20,
    });
    // A file closed without a sync (about to be deleted or replaced) does not care.
    expect(await writeThrough({ sync: false })).toEqual({
      outcome: "closed",
      received: 80 << 20,
    });
  });

  it("takes lines out in place, and what is written afterwards follows them", async () => {
    // Random lines (some longer than the 1 MiB read buffer, multibyte text, CRLF ends), random
    // lines dropped after a header, more written afterwards, possibly twice: the file, its size
    // and its digest must be what writing only the kept lines would give.
    let run = 0;
    const line = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.string({ unit: fc.constantFrom("a", "é", "€", "😀", ",", "\r") }),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 200_000, max: 700_000 }).map((n) => "é".repeat(n)),
      },
    );
    const part = fc
      .array(line, { maxLength: 60 })
      .chain((lines) =>
        fc.tuple(
          fc.constant(lines),
          fc.uniqueArray(fc.nat(Math.max(0, lines.length - 1)), { maxLength: lines.length }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.string(),
        fc.array(part, { minLength: 1, maxLength: 3 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        async (header, parts, end, digest) => {
          const file = path.join(dir, `drop-${run++}.txt`);
          const sink = await FileSink.create(file, { digest });
          await sink.write(`${header}\n`);
          let expected = `${header}\n`;
          for (const [lines, dropped] of parts) {
            const from = sink.size;
            await sink.writeLines(lines, end);
            const drop = new Set(dropped);
            const kept = lines.filter((_, i) => !drop.has(i));
            expect(await sink.dropLines(from, drop)).toBe(kept.length);
            expect(sink.size).toBe(Buffer.byteLength(expected + kept.map((l) => l + end).join("")));
            expected += kept.map((l) => l + end).join("");
            await sink.write("after\n");
            expected += "after\n";
          }
          const done = await sink.close();
          const content = readFileSync(file);
          expect(content.toString("utf8")).toBe(expected);
          expect(done.bytes).toBe(content.length);
          expect(done.sha256).toBe(
            digest ? createHash("sha256").update(content).digest("hex") : "",
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("cuts back to an earlier size, and goes on writing from there", async () => {
    const file = path.join(dir, "truncate.txt");
    const sink = await FileSink.create(file);
    await sink.write("keep\n");
    const at = sink.size;
    await sink.writeLines(
      Array.from({ length: 50_000 }, (_, i) => `gone ${i}`),
      "\n",
    );
    await sink.truncate(at);
    await sink.write("then\n");
    const done = await sink.close();
    expect(readFileSync(file, "utf8")).toBe("keep\nthen\n");
    expect(done.sha256).toBe(createHash("sha256").update("keep\nthen\n").digest("hex"));
    await expect((await FileSink.create(path.join(dir, "t2.txt"))).truncate(1)).rejects.toThrow(
      RangeError,
    );
  });

  it("a scratch file can skip the digest", async () => {
    const sink = await FileSink.create(path.join(dir, "scratch.txt"), { digest: false });
    await sink.write("x");
    expect(await sink.close()).toEqual({ bytes: 1, sha256: "" });
  });
});
