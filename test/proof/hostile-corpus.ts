// The hostile input corpus: each case builds one bad input (a config, a period, a path, a CSV or
// XML extract, a mapping) in its own folder. Every one must end with a coded error and the
// documented exit code (test/proof/hostile-input.test.ts).
import { chmodSync, readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../helpers/cli.ts";

// biome-ignore lint/suspicious/noExplicitAny: cases edit config and mapping JSON freely
export type Loose = Record<string, any>;

export interface CaseContext {
  readonly dir: string;
  /** The config as JSON (absolute paths), changed in place by the case. */
  readonly config: Loose;
  /** Write a file in the case's folder; returns its absolute path. */
  write(name: string, content: string | Buffer): string;
  /** The command line after `phin-submit` (default: validate this config for 2026-10). */
  args?: string[];
}

export interface HostileCase {
  readonly group: "config" | "period" | "path" | "csv" | "xml" | "mapping";
  readonly name: string;
  readonly exit: 64 | 65 | 78;
  /** Runs against the XML sample config instead of the CSV one. */
  readonly xml?: boolean;
  readonly build: (ctx: CaseContext) => void;
}

const sample = (rel: string) => path.join(repoRoot, "samples", rel);
const text = (rel: string, encoding: BufferEncoding = "latin1") =>
  readFileSync(sample(rel), encoding);
const EPISODES_CSV = "pas-csv/2026-10/episodes.csv";
const EPISODES_XML = "pas-xml/2026-10/episodes.xml";
const csvHead = () => lines(text(EPISODES_CSV))[0] ?? "";

/** Replace the episodes extract (CSV config) with these bytes. */
const episodesCsv =
  (content: (original: string) => string | Buffer) =>
  ({ config, write }: CaseContext) => {
    const out = content(text(EPISODES_CSV));
    config.datasets.episodes.source.path =
      typeof out === "string"
        ? write("episodes.csv", Buffer.from(out, "latin1"))
        : write("episodes.csv", out);
  };
const episodesXml =
  (content: (original: string) => string | Buffer) =>
  ({ config, write }: CaseContext) => {
    config.datasets.episodes.source.path = write(
      "episodes.xml",
      content(text(EPISODES_XML, "utf8")),
    );
  };
/** Replace the episodes mapping with this JSON (or raw text). */
const episodesMapping =
  (change: (mapping: Loose) => unknown) =>
  ({ config, write }: CaseContext) => {
    const original: string = config.datasets.episodes.mapping;
    const mapping = JSON.parse(readFileSync(original, "utf8"));
    // Lookups are relative to the mapping's folder: the copy points at the originals.
    for (const lookup of Object.values(mapping.lookups ?? {}) as { file: string }[])
      lookup.file = path.resolve(path.dirname(original), lookup.file);
    const out = change(mapping) ?? mapping;
    const body = typeof out === "string" ? out : JSON.stringify(out);
    config.datasets.episodes.mapping = write("episodes.mapping.json", body);
  };
const configText = (body: string) => (ctx: CaseContext) => {
  ctx.args = ["validate", "--config", ctx.write("raw.config.json", body), "--period", "2026-10"];
};
const period =
  (p: string, command = "validate") =>
  (ctx: CaseContext) => {
    ctx.args = [command, "--config", path.join(ctx.dir, "phin.config.json"), "--period", p];
  };
const setConfig = (change: (c: Loose, ctx: CaseContext) => void) => (ctx: CaseContext) =>
  change(ctx.config, ctx);

const lines = (t: string) => t.split(/\r?\n/);
/** `validate` of the case's config for 2026-10, with extra arguments. */
const validateWith = (x: CaseContext, ...extra: string[]) => [
  "validate",
  "--config",
  path.join(x.dir, "phin.config.json"),
  "--period",
  "2026-10",
  ...extra,
];
const eol = "\r\n";

export const hostileCases: readonly HostileCase[] = [
  // Configs: exit 78, naming the file and the field.
  ...(
    [
      ["not JSON", "{ provider_code: NQX"],
      ["empty file", ""],
      ["a JSON array", "[]"],
      ["JSON null", "null"],
      ["a JSON string", '"phin"'],
      ["deeply nested JSON", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
      ["binary bytes", "\u0000\u0001\u00ff\u00fe"],
      ["a UTF-16 file", "\ufeff{\u0000}\u0000"],
      ["trailing comma", '{"provider_code": "NQX",}'],
    ] as const
  ).map(([name, body]) => ({
    group: "config" as const,
    name: `config: ${name}`,
    exit: 78 as const,
    build: configText(body),
  })),
  ...(
    [
      ["provider_code missing", (c) => delete c.provider_code],
      ["provider_code a number", (c) => (c.provider_code = 42)],
      ["provider_code with a path", (c) => (c.provider_code = "../../etc")],
      ["sites a string", (c) => (c.sites = "NQX01")],
      ["sites empty", (c) => (c.sites = [])],
      ["max_rejected_share a string", (c) => (c.thresholds.max_rejected_share = "5%")],
      ["max_rejected_share negative", (c) => (c.thresholds.max_rejected_share = -1)],
      ["max_rejected_share above 1", (c) => (c.thresholds.max_rejected_share = 50)],
      ["unknown top-level key", (c) => (c.provider_cod = "NQX")],
      ["output format unknown", (c) => (c.output.format = "pdf")],
      ["datasets empty", (c) => (c.datasets = {})],
      ["an unknown dataset", (c) => (c.datasets.outpatients = c.datasets.proms)],
      [
        "key file missing",
        (c, x) => (c.pseudonymisation.key_file = path.join(x.dir, "absent.key")),
      ],
      ["key file a folder", (c, x) => (c.pseudonymisation.key_file = x.dir)],
      ["key file empty", (c, x) => (c.pseudonymisation.key_file = x.write("empty.key", ""))],
      [
        "key file world-readable",
        (c, x) => {
          const key = x.write("shared.key", readFileSync(c.pseudonymisation.key_file));
          chmodSync(key, 0o644);
          c.pseudonymisation.key_file = key;
          c.pseudonymisation.allow_shared_key_file = false;
        },
      ],
      ["/etc/passwd as the ICD-10 list", (c) => (c.code_lists.icd10 = "/etc/passwd")],
      ["code list missing", (c, x) => (c.code_lists.opcs4 = path.join(x.dir, "nope.txt"))],
      ["code list a folder", (c, x) => (c.code_lists.insurer = x.dir)],
      ["state_dir a file", (c, x) => (c.state_dir = x.write("state-file", "x"))],
      ["state_dir under a file", (c, x) => (c.state_dir = path.join(x.write("f", "x"), "state"))],
      ["state_dir a number", (c) => (c.state_dir = 7)],
      [
        "mapping path missing",
        (c, x) => (c.datasets.episodes.mapping = path.join(x.dir, "no.json")),
      ],
      ["mapping a folder", (c, x) => (c.datasets.episodes.mapping = x.dir)],
      ["source path missing key", (c) => delete c.datasets.proms.source.path],
      ["source a number", (c) => (c.datasets.proms.source = 3)],
    ] as [string, (c: Loose, ctx: CaseContext) => unknown][]
  ).map(([name, change]) => ({
    group: "config" as const,
    name: `config: ${name}`,
    exit: 78 as const,
    build: setConfig((c, ctx) => void change(c, ctx)),
  })),
  // Periods: usage errors, exit 64.
  ...[
    "2026-13",
    "2026-00",
    "26-10",
    "2026-1",
    "",
    "2026-10-01",
    "２０２６-10",
    "../../etc/passwd",
    "2026-10\n",
    "-1",
    "0000-01",
    "2026-1O",
    "9".repeat(5000),
    "previous-1",
    "NEXT",
    "2026/10",
  ].map((p) => ({
    group: "period" as const,
    name: `period: ${JSON.stringify(p).slice(0, 30)}`,
    exit: 64 as const,
    build: period(p),
  })),
  {
    group: "period",
    name: "period: submit of a month not ended",
    exit: 64,
    build: period("2999-12", "submit"),
  },
  // Paths given on the command line.
  ...(
    [
      [
        "--config missing",
        (x) => ["validate", "--config", path.join(x.dir, "absent.json"), "--period", "2026-10"],
        78,
      ],
      ["--config a folder", (x) => ["validate", "--config", x.dir, "--period", "2026-10"], 78],
      [
        "--config /dev/null",
        () => ["validate", "--config", "/dev/null", "--period", "2026-10"],
        78,
      ],
      ["--state-dir a file", (x) => validateWith(x, "--state-dir", x.write("sd", "x")), 78],
      [
        "--state-dir under a file",
        (x) => validateWith(x, "--state-dir", path.join(x.write("sf", "x"), "s")),
        78,
      ],
      ["unknown option", (x) => validateWith(x, "--exfiltrate"), 64],
      ["unknown command", () => ["upload-everything"], 64],
      [
        "--period missing",
        (x) => ["validate", "--config", path.join(x.dir, "phin.config.json")],
        64,
      ],
    ] as [string, (ctx: CaseContext) => string[], 64 | 78][]
  ).map(([name, args, exit]) => ({
    group: "path" as const,
    name: `path: ${name}`,
    exit,
    build: (ctx: CaseContext) => {
      ctx.args = args(ctx);
    },
  })),
  ...(
    [
      [
        "source missing",
        (c, x) => (c.datasets.episodes.source.path = path.join(x.dir, "gone.csv")),
      ],
      ["source a folder", (c, x) => (c.datasets.episodes.source.path = x.dir)],
      ["source /dev/null", (c) => (c.datasets.episodes.source.path = "/dev/null")],
    ] as [string, (c: Loose, ctx: CaseContext) => unknown][]
  ).map(([name, change]) => ({
    group: "path" as const,
    name: `path: ${name}`,
    exit: 65 as const,
    build: setConfig((c, ctx) => void change(c, ctx)),
  })),
  // CSV extracts: file-level errors, exit 65 with a report, no bundle.
  ...(
    [
      ["unclosed quote", (t) => `${t.trimEnd()}${eol}"unclosed;field${eol}`],
      ["ragged row", (t) => `${t.trimEnd()}${eol}a;b;c${eol}`],
      ["empty", () => ""],
      ["header only", (t) => `${lines(t)[0]}${eol}`],
      ["only newlines", () => "\r\n\r\n\r\n"],
      ["binary garbage", () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256))],
      ["NUL bytes in a row", (t) => t.replace(";M;", ";M\u0000\u0000;")],
      [
        "UTF-16LE with BOM",
        (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, "utf16le")]),
      ],
      ["a header column missing", (t) => t.replace("EpisodeNo;", "")],
      ["a header renamed", (t) => t.replace(";DOB;", ";D0B;")],
      ["a duplicate header column", (t) => t.replace("EpisodeNo;SpellNo;", "EpisodeNo;EpisodeNo;")],
      ["commas instead of semicolons", (t) => t.replaceAll(";", ",")],
      ["one 8 MB field", (t) => `${t.trimEnd()}${eol}${"x".repeat(8_000_000)}${eol}`],
      ["200 000 empty columns in a row", (t) => `${t.trimEnd()}${eol}${";".repeat(200_000)}${eol}`],
      ["a quote opened on the last byte", (t) => `${t.trimEnd()}${eol}"`],
      ["text after a closing quote", (t) => t.replace(";Crumblethorpe;", ';"Crumb"lethorpe;')],
      ["every row rejected (dates swapped to text)", (t) => t.replace(/\d\d\/\d\d\/2026/g, "soon")],
      ["most rows with a bad NHS number", (t) => t.replace(/;\d{10};/g, ";1234567890;")],
      [
        "the header repeated as 100 rows",
        (t) => `${t.trimEnd()}${eol}${`${lines(t)[0]}${eol}`.repeat(100)}`,
      ],
      [
        "a row of only the delimiter count minus one",
        (t) => `${t.trimEnd()}${eol}${";".repeat(csvHead().split(";").length - 2)}${eol}`,
      ],
      [
        "a lone CR line end inside a quoted field then a ragged row",
        (t) => `${t.trimEnd()}${eol}"a\rb";x${eol}`,
      ],
      ["truncated mid-row", (t) => t.slice(0, Math.floor(t.length / 2))],
    ] as [string, (t: string) => string | Buffer][]
  ).map(([name, change]) => ({
    group: "csv" as const,
    name: `csv: ${name}`,
    exit: 65 as const,
    build: episodesCsv(change),
  })),
  // XML extracts: exit 65.
  ...(
    [
      [
        "a DOCTYPE with an entity",
        (t) => t.replace("?>", '?>\n<!DOCTYPE x [<!ENTITY boom "boom">]>'),
      ],
      [
        "billion laughs",
        (t) =>
          t
            .replace(
              "?>",
              `?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join("")}]>`,
            )
            .replace("<Site>", "<Site>&j;"),
      ],
      [
        "an external entity",
        (t) =>
          t
            .replace("?>", '?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')
            .replace("<Site>", "<Site>&e;"),
      ],
      ["an undeclared entity", (t) => t.replace("</Episode>", "<Note>&boom;</Note></Episode>")],
      ["truncated", (t) => t.slice(0, Math.floor(t.length / 2))],
      ["not XML at all", () => text(EPISODES_CSV)],
      ["empty", () => ""],
      [
        "100 000 nested elements",
        (t) => t.replace("<Site>", `${"<a>".repeat(100_000)}${"</a>".repeat(100_000)}<Site>`),
      ],
      ["mismatched closing tag", (t) => t.replace("</Site>", "</Sight>")],
      ["a NUL character reference", (t) => t.replace("<Site>", "<Site>&#0;")],
      ["an unterminated CDATA", (t) => t.replace("<Site>", "<Site><![CDATA[")],
      ["two root elements", (t) => `${t}\n<CarePointExport/>`],
      ["declared UTF-16, bytes UTF-8", (t) => t.replace('encoding="UTF-8"', 'encoding="UTF-16"')],
      [
        "a processing instruction bomb",
        (t) => t.replace("<Site>", `${"<?pi x?>".repeat(50_000)}<Site>`),
      ],
    ] as [string, (t: string) => string | Buffer][]
  ).map(([name, change]) => ({
    group: "xml" as const,
    name: `xml: ${name}`,
    exit: 65 as const,
    xml: true,
    build: episodesXml(change),
  })),
  // Mappings: exit 78.
  ...(
    [
      ["not JSON", () => "{ fields: "],
      ["empty", () => ""],
      ["an array", () => []],
      ["the wrong dataset", (m) => ({ ...m, dataset: "proms" })],
      ["an unknown dataset", (m) => ({ ...m, dataset: "outpatients" })],
      ["delimiter a number", (m) => ({ ...m, source: { ...m.source, delimiter: 44 } })],
      ["delimiter two characters", (m) => ({ ...m, source: { ...m.source, delimiter: ";;" } })],
      ["an unknown encoding", (m) => ({ ...m, source: { ...m.source, encoding: "klingon" } })],
      ["an unknown format", (m) => ({ ...m, source: { ...m.source, format: "xlsx" } })],
      [
        "an unknown field",
        (m) => ({ ...m, fields: { ...m.fields, favourite_colour: { from: "Site" } } }),
      ],
      [
        "fields missing",
        (m) => {
          delete m.fields;
          return m;
        },
      ],
      ["mapping_version 99", (m) => ({ ...m, mapping_version: 99 })],
      ["an unknown date format", (m) => ({ ...m, date_format: "YYYY-DD-MM-HH" })],
      [
        "a lookup file missing",
        (m) => ({
          ...m,
          lookups: {
            consultants: { ...m.lookups.consultants, file: "/nonexistent/consultants.csv" },
          },
        }),
      ],
    ] as [string, (m: Loose) => unknown][]
  ).map(([name, change]) => ({
    group: "mapping" as const,
    name: `mapping: ${name}`,
    exit: 78 as const,
    build: episodesMapping(change),
  })),
];
