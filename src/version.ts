// The tool's version, read once from package.json (it goes into manifests and reports).
import { readFileSync } from "node:fs";

export const toolVersion: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;
