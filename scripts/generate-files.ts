// Writes the generated JSON Schemas and catalogue docs (see generated-files.ts) into the repository.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateFiles } from "./generated-files.ts";

const root = path.resolve(import.meta.dirname, "..");
for (const [file, content] of Object.entries(generateFiles())) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
  console.log(`wrote ${file}`);
}
