// Optimisations must not change a byte of what is written: the bundle files and issues.csv of
// both samples equal the golden copies made by the unoptimised pipeline (scripts/golden.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { goldenCases, goldenDir, goldenRun } from "../scripts/golden.ts";

describe("golden outputs", () => {
  for (const c of goldenCases) {
    it(`${c.name}: ${c.files.join(", ")} are byte-identical to test/golden/${c.name}`, async () => {
      const out = await goldenRun(c);
      for (const name of c.files) {
        const golden = readFileSync(path.join(goldenDir, c.name, name));
        expect({ name, same: Buffer.compare(out[name] as Buffer, golden) === 0 }).toEqual({
          name,
          same: true,
        });
      }
    });
  }
});
