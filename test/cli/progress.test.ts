import { describe, expect, it } from "vitest";
import { createProgressBar, formatProgress } from "../../src/cli/progress.ts";

describe("progress bar", () => {
  it("shows records, rate, share and ETA", () => {
    const line = formatProgress(
      { dataset: "episodes", records: 50_000, bytes: 25, totalBytes: 100 },
      1000,
    );
    expect(line).toContain("episodes");
    expect(line).toContain("25%");
    expect(line).toContain("50,000 records");
    expect(line).toContain("50,000/s");
    expect(line).toContain("ETA 3s");
  });

  it("redraws at most ten times a second and clears itself", () => {
    const out: string[] = [];
    let t = 0;
    const bar = createProgressBar({ write: (s) => out.push(s), now: () => t });
    for (let i = 1; i <= 50; i++) {
      t += 10;
      bar.update({ dataset: "episodes", records: i * 100, bytes: i, totalBytes: 1000 });
    }
    expect(out.length).toBeLessThanOrEqual(6);
    bar.done();
    expect(out.at(-1)).toBe("\r\u001b[K");
  });
});
