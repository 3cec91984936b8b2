// Data in the wrong columns, as a real export often is: names, phones, emails, card numbers,
// MRNs, NHS numbers, postcodes and dates of birth planted in other fields, and free text in code
// fields, of otherwise valid sample records. Run through `validate` and `submit` to the sandbox:
// no planted value, whole or any 5 characters of it, may appear in any byte written or printed
// (reports, logs, ledger, bundle, what the sandbox received), and no corrupted record is sent.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, filesUnder, readJson, repoRoot, runCli, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

type Dataset = "episodes" | "proms" | "adverse_events";

// None of these is in the samples. Digits are chosen so no 5-digit run is a sample id number.
const planted = {
  name: "Featherstonehaugh",
  upperName: "QUILLWORTHY",
  forename: "Ottoline",
  phone: "07788 415263",
  phoneDigits: "07788415263",
  email: "ottolineq@zyxmail.test",
  card: "4539 6041 2287 3316",
  cardDigits: "4539604122873316",
  mrn: "MRN-Z9Q8X",
  nhsNumber: "9434765919",
  postcode: "YO62 5JB",
  dateOfBirth: "14/02/1951",
  freeText: "Anxious; daughter Philippa phoned",
} as const;
type Kind = keyof typeof planted;

/** Which value goes into which source column of which dataset (never a value's own column). */
const cases: readonly { dataset: Dataset; column: string; kind: Kind }[] = [
  { dataset: "episodes", column: "EpisodeNo", kind: "mrn" },
  { dataset: "episodes", column: "EpisodeNo", kind: "cardDigits" },
  { dataset: "episodes", column: "SpellNo", kind: "name" },
  { dataset: "episodes", column: "SpellNo", kind: "nhsNumber" },
  { dataset: "episodes", column: "NHSNo", kind: "phone" },
  { dataset: "episodes", column: "NHSNo", kind: "cardDigits" },
  { dataset: "episodes", column: "NHSStatus", kind: "forename" },
  { dataset: "episodes", column: "DOB", kind: "phone" },
  { dataset: "episodes", column: "Sex", kind: "upperName" },
  { dataset: "episodes", column: "PostCode", kind: "email" },
  { dataset: "episodes", column: "PostCode", kind: "mrn" },
  { dataset: "episodes", column: "Ethnic", kind: "freeText" },
  { dataset: "episodes", column: "InsurerCode", kind: "upperName" },
  { dataset: "episodes", column: "InsurerCode", kind: "forename" },
  { dataset: "episodes", column: "AdmitDate", kind: "card" },
  { dataset: "episodes", column: "AdmitMethod", kind: "nhsNumber" },
  { dataset: "episodes", column: "DischDate", kind: "dateOfBirth" },
  { dataset: "episodes", column: "DischDest", kind: "name" },
  { dataset: "episodes", column: "Cons", kind: "name" },
  { dataset: "episodes", column: "Specialty", kind: "phoneDigits" },
  { dataset: "episodes", column: "Diag1", kind: "freeText" },
  { dataset: "episodes", column: "Diag2", kind: "postcode" },
  { dataset: "episodes", column: "Proc1", kind: "upperName" },
  { dataset: "episodes", column: "Proc1Date", kind: "dateOfBirth" },
  { dataset: "episodes", column: "Site", kind: "postcode" },
  { dataset: "proms", column: "ResponseRef", kind: "phoneDigits" },
  { dataset: "proms", column: "ResponseRef", kind: "email" },
  { dataset: "proms", column: "Score", kind: "phoneDigits" },
  { dataset: "proms", column: "Score", kind: "cardDigits" },
  { dataset: "proms", column: "CompletedOn", kind: "dateOfBirth" },
  { dataset: "proms", column: "Phase", kind: "freeText" },
  { dataset: "proms", column: "EQ5DProfile", kind: "nhsNumber" },
  { dataset: "adverse_events", column: "IncidentRef", kind: "name" },
  { dataset: "adverse_events", column: "IncidentRef", kind: "mrn" },
  { dataset: "adverse_events", column: "TransferTo", kind: "upperName" },
  { dataset: "adverse_events", column: "TransferTo", kind: "postcode" },
  { dataset: "adverse_events", column: "IncidentType", kind: "freeText" },
  { dataset: "adverse_events", column: "Harm", kind: "card" },
  { dataset: "adverse_events", column: "IncidentDate", kind: "dateOfBirth" },
];

const idColumn: Record<Dataset, { source: string; bundle: string }> = {
  episodes: { source: "EpisodeNo", bundle: "episode_id" },
  proms: { source: "ResponseRef", bundle: "response_id" },
  adverse_events: { source: "IncidentRef", bundle: "event_id" },
};

/** Bundle columns that hold each record's own identifiers: where those belong. */
const identifying = new Set(["nhs_number", "postcode", "date_of_birth", "patient_pseudonym"]);

/** Every 5-character run of a value, and the value itself. */
function runsOf(value: string): string[] {
  const runs = [value];
  for (let i = 0; i + 5 <= value.length; i++) runs.push(value.slice(i, i + 5));
  return runs;
}

/** Each planted value as written and, for the date of birth, in the stored form too. */
const searched = Object.values(planted).flatMap((v) =>
  v === planted.dateOfBirth ? [v, "1951-02-14"] : [v],
);

/** Hashes, pseudonyms, ids and signatures: long hex or base64 runs the tool makes itself. */
const toolTokens = /[0-9a-f]{16,}|[A-Za-z0-9+/=_-]{40,}/g;

/** The strings a JSON document holds (keys and values): its numbers are the tool's counts. */
function jsonStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) jsonStrings(v, out);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      jsonStrings(v, out);
    }
  return out;
}

/** What a file or printed text says, as the scan reads it. */
function scannable(name: string, text: string): string {
  let kept: string;
  const trimmed = text.trim();
  if (name.endsWith(".jsonl") || name.endsWith(".log")) {
    kept = trimmed
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => {
        try {
          return jsonStrings(JSON.parse(l)).join("\n");
        } catch {
          return l;
        }
      })
      .join("\n");
  } else if (name.endsWith(".json") || trimmed.startsWith("{")) {
    try {
      kept = jsonStrings(JSON.parse(trimmed)).join("\n");
    } catch {
      kept = text;
    }
  } else if (/(episodes|proms|adverse_events)\.csv$/.test(name)) {
    // A bundle file: every column except the record's own identifiers.
    const rows: Record<string, string>[] = parse(text, { columns: true });
    kept = rows
      .map((r) =>
        Object.entries(r)
          .filter(([column]) => !identifying.has(column))
          .map(([, cell]) => cell)
          .join("\n"),
      )
      .join("\n");
  } else {
    kept = text;
  }
  return kept.replace(toolTokens, " ");
}

function leaksIn(where: string, text: string): string[] {
  const found: string[] = [];
  const readable = scannable(where, text);
  for (const value of searched)
    for (const run of runsOf(value))
      if (readable.includes(run)) found.push(`"${run}" (of ${value}) in ${where}`);
  return found;
}

interface Corpus {
  readonly dir: string;
  /** Dataset -> ids of the records that were corrupted. */
  readonly corrupted: Record<Dataset, string[]>;
}

function readCsv(file: string, delimiter: string): Record<string, string>[] {
  return parse(readFileSync(file, "latin1"), { columns: true, delimiter, relax_quotes: true });
}

/** A copy of the CSV sample with each case planted in its own, otherwise valid record. */
function buildCorpus(valid: Record<Dataset, Set<string>>): Corpus {
  const dir = tempDir("corpus");
  cpSync(path.join(repoRoot, "samples"), path.join(dir, "samples"), { recursive: true });
  cpSync(path.join(repoRoot, "mappings"), path.join(dir, "mappings"), { recursive: true });
  const corrupted: Record<Dataset, string[]> = { episodes: [], proms: [], adverse_events: [] };
  for (const dataset of ["episodes", "proms", "adverse_events"] as const) {
    const mapping = readJson<{ source: { delimiter?: string } }>(
      path.join(repoRoot, "mappings/medipas", `${dataset}.json`),
    );
    const delimiter = mapping.source.delimiter ?? ",";
    const file = path.join(dir, "samples/pas-csv/2026-10", `${dataset}.csv`);
    const rows = readCsv(file, delimiter);
    const id = idColumn[dataset].source;
    // Records nothing else links to, so a corrupted one rejects only itself.
    const linked = new Set(
      dataset === "episodes"
        ? ["proms", "adverse_events"].flatMap((d) =>
            readCsv(path.join(dir, "samples/pas-csv/2026-10", `${d}.csv`), ",").map(
              (r) => r.EpisodeNo,
            ),
          )
        : [],
    );
    const candidates = rows.filter(
      (r) => valid[dataset].has(r[id] as string) && !linked.has(r[id]),
    );
    const mine = cases.filter((c) => c.dataset === dataset);
    if (candidates.length < mine.length) throw new Error(`too few valid ${dataset} to corrupt`);
    mine.forEach((c, i) => {
      const row = candidates[i * 3] ?? (candidates[i] as Record<string, string>);
      if (!(c.column in row)) throw new Error(`${dataset} has no column ${c.column}`);
      corrupted[dataset].push(row[id] as string);
      row[c.column] = planted[c.kind];
    });
    const header = Object.keys(rows[0] as object);
    writeFileSync(
      file,
      stringify(rows, {
        header: true,
        columns: header,
        delimiter,
        record_delimiter: "\r\n",
        quoted_match: /[\r\n]/,
      }),
      "latin1",
    );
  }
  return { dir, corrupted };
}

function bundleIds(outDir: string, dataset: Dataset): string[] {
  const rows: Record<string, string>[] = parse(
    readFileSync(path.join(outDir, `${dataset}.csv`), "utf8"),
    { columns: true },
  );
  return rows.map((r) => r[idColumn[dataset].bundle] as string);
}

describe("a corruption corpus through validate and submit", () => {
  let corpus: Corpus;
  let env: SubmitEnv;
  let validated: CliRun;
  let submitted: CliRun;
  let validateState: string;

  beforeAll(async () => {
    // Which sample records are valid: the corpus corrupts only those.
    const baseState = tempDir("corpus-base");
    const base = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10", "--json"],
      { PHIN_STATE_DIR: baseState },
    );
    const baseOut = (JSON.parse(base.stdout) as { out_dir: string }).out_dir;
    const valid = {
      episodes: new Set(bundleIds(baseOut, "episodes")),
      proms: new Set(bundleIds(baseOut, "proms")),
      adverse_events: new Set(bundleIds(baseOut, "adverse_events")),
    };
    corpus = buildCorpus(valid);
    const samples = path.join(corpus.dir, "samples");
    const configFile = path.join(samples, "corpus.config.json");
    const config = readJson<Record<string, unknown>>(path.join(samples, "phin.config.json"));
    // The threshold lifted, so the month is ready and the bundle is written and sent.
    const lifted = { ...config, thresholds: { max_rejected_share: 1 } };
    writeFileSync(configFile, JSON.stringify(lifted));
    validateState = tempDir("corpus-validate");
    validated = runCli(["validate", "--config", configFile, "--period", "2026-10", "--json"], {
      PHIN_STATE_DIR: validateState,
    });
    env = await submitEnv({
      config: (c) => ({
        ...c,
        thresholds: { max_rejected_share: 1 },
        datasets: Object.fromEntries(
          (["episodes", "proms", "adverse_events"] as const).map((d) => [
            d,
            {
              mapping: path.join(repoRoot, "mappings/medipas", `${d}.json`),
              source: { path: path.join(samples, "pas-csv/{period}", `${d}.csv`) },
            },
          ]),
        ),
      }),
    });
    submitted = await env.submit({}, ["--json"]);
  }, 180_000);

  afterAll(async () => {
    await env?.close();
  });

  it("has at least 30 cases, of every kind of planted value", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(Object.keys(planted)));
  });

  it("validates and submits (the threshold lifted), rejecting every corrupted record", () => {
    expect(validated.code, validated.stderr).toBe(0);
    expect(submitted.code, submitted.stderr).toBe(0);
    const outDir = (JSON.parse(validated.stdout) as { out_dir: string }).out_dir;
    for (const dataset of ["episodes", "proms", "adverse_events"] as const) {
      const sent = new Set(bundleIds(outDir, dataset));
      expect(sent.size).toBeGreaterThan(100);
      const reached = corpus.corrupted[dataset].filter((id) => sent.has(id));
      expect({ dataset, reached }).toEqual({ dataset, reached: [] });
    }
  });

  it("no planted value, whole or any 5 characters of it, is written, printed or sent", () => {
    const leaks: string[] = [
      ...leaksIn("validate stdout", validated.stdout),
      ...leaksIn("validate stderr", validated.stderr),
      ...leaksIn("submit stdout", submitted.stdout),
      ...leaksIn("submit stderr", submitted.stderr),
    ];
    const files = [
      ...filesUnder(validateState),
      ...filesUnder(env.stateDir),
      ...filesUnder(path.join(env.dir, "sandbox")),
    ];
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const text of [bytes.toString("utf8"), bytes.toString("latin1")])
        leaks.push(...leaksIn(file, text));
    }
    expect([...new Set(leaks)]).toEqual([]);
  });

  it("reports each planted value as its shape", () => {
    const outDir = (JSON.parse(validated.stdout) as { out_dir: string }).out_dir;
    const issues = readFileSync(path.join(outDir, "issues.csv"), "utf8");
    expect(issues).toContain("ID_LOOKS_LIKE_WORD");
    expect(issues).toContain(",Aaaaaaaaaaaaaaaaa,"); // the surname in a code field
    expect(issues).toContain("AAAAAAAAAAA"); // the upper-case surname
  });
});
