// The repository stands alone: every markdown link, and every `*.md` file named in the docs,
// code, schemas and samples, resolves to a file in the repository (relative to the naming file
// or to the root), so nothing points at a document that is not shipped with it.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const scanned = [
  "README.md",
  "config.schema.json",
  "bin",
  "docs",
  "mappings",
  "samples",
  "schemas",
  "scripts",
  "src",
  "test",
];
const textFile = /\.(md|ts|js|json)$/;
const self = path.relative(root, import.meta.filename);

/** Repository-relative text files under `entries`, skipping dependencies and dot folders. */
function filesUnder(base: string, entries: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(base, rel);
    if (!existsSync(abs)) return;
    const dirents = readdirSync(abs, { withFileTypes: true });
    for (const d of dirents) {
      const child = path.join(rel, d.name);
      if (d.isDirectory()) {
        if (d.name !== "node_modules" && !d.name.startsWith(".")) walk(child);
      } else if (textFile.test(d.name)) out.push(child);
    }
  };
  for (const entry of entries) {
    if (textFile.test(entry) && existsSync(path.join(base, entry))) out.push(entry);
    else walk(entry);
  }
  return out;
}

const markdownLink = /\[[^\]]*\]\(([^)\s]+)[^)]*\)/g;
const url = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;
const mdMention = /(?:\.{0,2}\/)?(?:[\w-]+\/)*[\w.-]*[\w-]\.md\b/g;

/** Each reference in `files` (repository-relative) that names no file under `base`. */
function brokenReferences(base: string, files: readonly string[]): string[] {
  const inRepo = (rel: string) => {
    const abs = path.resolve(base, rel);
    return abs.startsWith(base + path.sep) && existsSync(abs);
  };
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(base, file), "utf8");
    const dir = path.dirname(file);
    if (file.endsWith(".md")) {
      for (const [, target = ""] of text.matchAll(markdownLink)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) continue;
        const p = decodeURI(target.split("#")[0] ?? "");
        if (!inRepo(p.startsWith("/") ? p.slice(1) : path.join(dir, p)))
          problems.push(`${file}: link ${target}`);
      }
    }
    // The doc generators in scripts/ hold text that is written into docs/.
    const bases = file.startsWith(`scripts${path.sep}`) ? [dir, "", "docs"] : [dir, ""];
    for (const [mention] of text.replace(url, "").matchAll(mdMention)) {
      const p = mention.startsWith("/") ? mention.slice(1) : mention;
      if (!bases.some((b) => inRepo(path.join(b, p)))) problems.push(`${file}: ${mention}`);
    }
  }
  return problems;
}

describe("references to documents", () => {
  it("every markdown link and *.md mention in the repository resolves to a file in it", () => {
    const files = filesUnder(root, scanned).filter((f) => f !== self);
    expect(files.length).toBeGreaterThan(100);
    expect(brokenReferences(root, files)).toEqual([]);
  });

  it("catches a dead link, an outside document and a missing mention; accepts good ones", () => {
    const base = mkdtempSync(path.join(os.tmpdir(), "phin-docs-"));
    try {
      mkdirSync(path.join(base, "docs"));
      mkdirSync(path.join(base, "src"));
      writeFileSync(path.join(base, "docs", "ok.md"), "# ok\nsee [readme](../README.md#start)\n");
      writeFileSync(
        path.join(base, "README.md"),
        "[ok](docs/ok.md) [web](https://example.org/x.md) [gone](docs/gone.md) (api.md)\n",
      );
      writeFileSync(
        path.join(base, "src", "a.ts"),
        "// see docs/ok.md and ok.md, not /work/shared/spec/datasets.md\n",
      );
      expect(
        brokenReferences(base, filesUnder(base, ["README.md", "docs", "src"])).toSorted(),
      ).toEqual(
        [
          "README.md: api.md",
          "README.md: docs/gone.md",
          "README.md: link docs/gone.md",
          "src/a.ts: ok.md",
          "src/a.ts: /work/shared/spec/datasets.md",
        ].toSorted(),
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
