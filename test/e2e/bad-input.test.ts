// Broken extracts and mappings: each gives a clear error naming the file and the line or field,
// the right non-zero exit code, and leaves no partial bundle behind.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfSamples, filesUnder, runCli, tempDir } from "../helpers/cli.ts";

const CSV_EPISODES = "samples/pas-csv/2026-10/episodes.csv";
const XML_EPISODES = "samples/pas-xml/2026-10/episodes.xml";

interface Case {
  name: string;
  config: "samples/phin.config.json" | "samples/phin-xml.config.json";
  corrupt: (root: string) => void;
  exit: number;
  /** Text the printed error must contain: file, and line or field. */
  mentions: RegExp[];
}

const edit = (
  root: string,
  file: string,
  change: (text: string) => string,
  encoding: BufferEncoding = "latin1",
) => {
  const full = path.join(root, file);
  writeFileSync(full, change(readFileSync(full, encoding)), encoding);
};

const lineCount = (root: string, file: string) =>
  readFileSync(path.join(root, file), "latin1").split("\n").length;

const cases: Case[] = [
  {
    name: "a CSV with an unclosed quote",
    config: "samples/phin.config.json",
    corrupt: (root) => edit(root, CSV_EPISODES, (t) => `${t.trimEnd()}\r\n"unclosed;field\r\n`),
    exit: 65,
    mentions: [/CSV_MALFORMED/, /pas-csv\/2026-10\/episodes\.csv/, /line|:\d+/],
  },
  {
    name: "a CSV with a ragged row",
    config: "samples/phin.config.json",
    corrupt: (root) => edit(root, CSV_EPISODES, (t) => `${t.trimEnd()}\r\na;b;c\r\n`),
    exit: 65,
    mentions: [/CSV_MALFORMED/, /episodes\.csv/, /:\d+/],
  },
  {
    name: "an empty file",
    config: "samples/phin.config.json",
    corrupt: (root) => writeFileSync(path.join(root, "samples/pas-csv/2026-10/proms.csv"), ""),
    exit: 65,
    mentions: [/SOURCE_EMPTY/, /proms\.csv/],
  },
  {
    name: "a header-only file",
    config: "samples/phin.config.json",
    corrupt: (root) =>
      edit(root, "samples/pas-csv/2026-10/adverse_events.csv", (t) => `${t.split("\n")[0]}\n`),
    exit: 65,
    mentions: [/SOURCE_HEADER_ONLY/, /adverse_events\.csv/],
  },
  {
    name: "an XML file with a DOCTYPE and an entity",
    config: "samples/phin-xml.config.json",
    corrupt: (root) =>
      edit(
        root,
        XML_EPISODES,
        (t) =>
          t.replace(
            /^(<\?xml[^>]*\?>\s*)?/,
            (decl) => `${decl}<!DOCTYPE x [<!ENTITY boom "boom">]>\n`,
          ),
        "utf8",
      ),
    exit: 65,
    mentions: [/XML_FORBIDDEN/, /episodes\.xml/, /:\d+/],
  },
  {
    name: "an XML file using an undeclared entity",
    config: "samples/phin-xml.config.json",
    corrupt: (root) =>
      edit(
        root,
        XML_EPISODES,
        (t) => t.replace("</Episode>", "<Note>&boom;</Note></Episode>"),
        "utf8",
      ),
    exit: 65,
    mentions: [/XML_MALFORMED/, /episodes\.xml/, /:\d+/],
  },
  {
    name: "an XML file broken near its end, after earlier datasets and records were written",
    config: "samples/phin-xml.config.json",
    corrupt: (root) =>
      edit(
        root,
        "samples/pas-xml/2026-10/proms.xml",
        (t) => {
          const last = t.lastIndexOf("</Response>");
          return `${t.slice(0, last)}<Note>&boom;</Note>${t.slice(last)}`;
        },
        "utf8",
      ),
    exit: 65,
    mentions: [/XML_MALFORMED/, /proms\.xml/, /:\d+/],
  },
  {
    name: "a file in the wrong encoding (windows-1252 bytes declared UTF-8)",
    config: "samples/phin.config.json",
    corrupt: (root) => {
      edit(
        root,
        "mappings/medipas/episodes.json",
        (t) => t.replace('"windows-1252"', '"utf-8"'),
        "utf8",
      );
      const lines = lineCount(root, CSV_EPISODES);
      expect(lines).toBeGreaterThan(2);
    },
    exit: 65,
    mentions: [/SOURCE_ENCODING/, /episodes\.csv/, /:\d+/],
  },
  {
    name: "a mapping with an unknown target field",
    config: "samples/phin.config.json",
    corrupt: (root) =>
      edit(
        root,
        "mappings/medipas/proms.json",
        (t) =>
          t.replace('"fields": {', '"fields": {\n    "patient_surname": { "from": "Surname" },'),
        "utf8",
      ),
    exit: 78,
    mentions: [/MAPPING_INVALID/, /mappings\/medipas\/proms\.json/, /patient_surname/],
  },
  {
    name: "insurer_code mapped without an insurer code list",
    config: "samples/phin.config.json",
    corrupt: (root) =>
      edit(
        root,
        "samples/phin.config.json",
        (t) => t.replace(/,\s*"insurer": "code-lists\/insurers\.txt"/, ""),
        "utf8",
      ),
    exit: 78,
    mentions: [/CONFIG_INVALID/, /insurer_code/, /code_lists\.insurer/],
  },
  {
    name: "an id format declared on a field that is not a local id",
    config: "samples/phin.config.json",
    corrupt: (root) =>
      edit(
        root,
        "mappings/medipas/proms.json",
        (t) => t.replace('"from": "Score"', '"from": "Score", "format": "[0-9]+"'),
        "utf8",
      ),
    exit: 78,
    mentions: [/MAPPING_INVALID/, /proms\.json/, /score/, /only to local ids/],
  },
  {
    name: "an id format that is not a regular expression",
    config: "samples/phin.config.json",
    corrupt: (root) =>
      edit(
        root,
        "mappings/medipas/proms.json",
        (t) => t.replace('"P?R[0-9-]{6,12}"', '"PR-([0-9]"'),
        "utf8",
      ),
    exit: 78,
    mentions: [/MAPPING_INVALID/, /proms\.json/, /response_id/, /not a valid regular expression/],
  },
];

describe("bad input", () => {
  it.each(cases)("$name: clear error, exit $exit, no partial bundle", (c) => {
    const root = copyOfSamples();
    c.corrupt(root);
    const stateDir = tempDir("bad");
    const run = runCli(
      ["validate", "--config", c.config, "--period", "2026-10"],
      { PHIN_STATE_DIR: stateDir },
      root,
    );
    expect(run.code).toBe(c.exit);
    const printed = run.stdout + run.stderr;
    for (const pattern of c.mentions) expect(printed).toMatch(pattern);
    expect(printed).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    const written = filesUnder(stateDir).map((f) => path.basename(f));
    expect(
      written.filter((f) =>
        /^(episodes|proms|adverse_events)\.(csv|csv\.kept|part\.xml)$|^submission\.xml$|^manifest\.json$/.test(
          f,
        ),
      ),
    ).toEqual([]);
    if (c.exit === 65) expect(written).toContain("report.json");
    expect(filesUnder(stateDir).some((f) => f.includes(`${path.sep}staging${path.sep}`))).toBe(
      false,
    );
  });
});
