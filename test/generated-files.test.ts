// The checked-in JSON Schemas and catalogue docs must equal what the code generates today.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateFiles } from "../scripts/generated-files.ts";

const root = path.resolve(import.meta.dirname, "..");

describe("generated files are up to date (run `npm run gen:schemas` when this fails)", () => {
  for (const [file, content] of Object.entries(generateFiles())) {
    it(file, () => {
      expect(readFileSync(path.join(root, file), "utf8")).toBe(content);
    });
  }
});
