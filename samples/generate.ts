// Writes the bundled sample extracts (--samples), one month in the MediPAS layout whose PROMs
// and events also follow the month before's episodes (--period YYYY-MM [--out DIR]), or large
// synthetic extracts for benchmarks (--rows N --seed S --out DIR [--format csv|xml]).
// Deterministic: the same arguments always give the same bytes. All data is synthetic.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ruleIds } from "../src/schemas/rule-catalogue.ts";
import { writeBenchExtracts } from "./generator/bench.ts";
import {
  carepointEpisode,
  carepointEvent,
  carepointFooter,
  carepointHeader,
  carepointProm,
} from "./generator/carepoint.ts";
import {
  medipasConsultants,
  medipasEpisodeHeader,
  medipasEpisodeLine,
  medipasEventHeader,
  medipasEventLine,
  medipasPromHeader,
  medipasPromLine,
} from "./generator/medipas.ts";
import { codesInUse, storedIcd10, storedOpcs4 } from "./generator/model.ts";
import { BUNDLED_MONTH, monthSample } from "./generator/month.ts";
import { allCommentTexts, allIncidentTexts, allReporters, piiOf } from "./generator/people.ts";
import { Rng } from "./generator/prng.ts";
import { carepointSample, medipasSample, type SampleSystem } from "./generator/samples.ts";
import { ExtractWriter } from "./generator/write.ts";

const here = import.meta.dirname;
const root = path.resolve(here, "..");

async function writeFile(
  file: string,
  encoding: "windows-1252" | "utf-8",
  parts: Iterable<string>,
): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const w = new ExtractWriter(file, encoding);
  for (const part of parts) await w.write(part);
  await w.close();
}

/** The second bundled month: its PROMs and events also follow 2026-10's episodes. */
const LATER_MONTH = "2026-11";

async function writeMedipas(
  s: SampleSystem,
  dir = path.join(here, "pas-csv/2026-10"),
  seed = 7,
): Promise<void> {
  const rng = new Rng(seed);
  await writeFile(path.join(dir, "episodes.csv"), "windows-1252", [
    medipasEpisodeHeader,
    ...s.episodes.map(medipasEpisodeLine),
  ]);
  await writeFile(path.join(dir, "proms.csv"), "windows-1252", [
    medipasPromHeader,
    ...s.proms.map(medipasPromLine),
  ]);
  await writeFile(path.join(dir, "adverse_events.csv"), "windows-1252", [
    medipasEventHeader,
    ...s.events.map((a) => medipasEventLine(a, rng.pick(allReporters))),
  ]);
}

async function writeCarepoint(s: SampleSystem): Promise<void> {
  const dir = path.join(here, "pas-xml/2026-10");
  const rng = new Rng(8);
  await writeFile(path.join(dir, "episodes.xml"), "utf-8", [
    carepointHeader("Episodes"),
    ...s.episodes.map((e, i) => carepointEpisode(e, i)),
    carepointFooter("Episodes"),
  ]);
  await writeFile(path.join(dir, "proms.xml"), "utf-8", [
    carepointHeader("Proms"),
    ...s.proms.map(carepointProm),
    carepointFooter("Proms"),
  ]);
  await writeFile(path.join(dir, "adverse_events.xml"), "utf-8", [
    carepointHeader("Incidents"),
    ...s.events.map((a) => carepointEvent(a, rng.pick(allReporters))),
    carepointFooter("Incidents"),
  ]);
}

/** Every rule of the catalogue must be raised by at least one of the two systems. */
function checkCoverage(systems: readonly SampleSystem[]): void {
  const raised = new Set<string>();
  for (const s of systems)
    for (const byRule of Object.values(s.expected.issues_by_rule))
      for (const rule of Object.keys(byRule)) raised.add(rule);
  const missing = ruleIds.filter((r) => !raised.has(r));
  if (missing.length > 0) throw new Error(`rules no sample raises: ${missing.join(", ")}`);
}

/** Legitimate output values (ids, codes, dates) a PII string must never equal or sit inside. */
function legitimateValues(s: SampleSystem): string[] {
  const out: string[] = [];
  for (const e of s.episodes) {
    out.push(e.episodeId, e.spellId, e.nhsNumber.replaceAll(" ", ""), e.postcode, e.dob);
    out.push(e.diagnosis, e.procedure, e.consultant, e.insurer, e.admission, e.discharge);
  }
  for (const r of s.proms) out.push(r.responseId, r.episodeId, r.group, r.instrument, r.score);
  for (const a of s.events) out.push(a.eventId, a.episodeId, a.type, a.transferTo, a.date);
  return out.filter((v) => v !== "");
}

function checkPii(pii: readonly string[], systems: readonly SampleSystem[]): void {
  const short = pii.filter((v) => v.length < 6);
  if (short.length > 0) throw new Error(`PII values shorter than 6 characters: ${short.length}`);
  const legit = systems.flatMap(legitimateValues).join("\n");
  const clash = pii.filter((v) => legit.includes(v));
  if (clash.length > 0) throw new Error(`PII values inside legitimate output: ${clash.length}`);
}

/** The windows-1252 episode file must really exercise the encoding and the quoting. */
function checkCsvBytes(): void {
  const bytes = readFileSync(path.join(here, "pas-csv/2026-10/episodes.csv"));
  for (const [name, byte] of [
    ["é", 0xe9],
    ["ö", 0xf6],
    ["ñ", 0xf1],
    ["£", 0xa3],
  ] as const) {
    if (!bytes.includes(byte)) throw new Error(`episodes.csv has no ${name}`);
  }
  const text = bytes.toString("latin1");
  if (!/"[^"\r\n]*;[^"\r\n]*"/.test(text)) throw new Error("no quoted field with a ';'");
  if (!/"[^"]*\n[^"]*"/.test(text)) throw new Error("no quoted field with a line break");
}

/** The text of every extract as a reader sees it, to keep only PII that was really written. */
function plantedText(): string {
  const parts: string[] = [];
  for (const d of ["episodes", "proms", "adverse_events"]) {
    // The sample text only uses characters whose latin1 and windows-1252 bytes agree.
    parts.push(readFileSync(path.join(here, `pas-csv/2026-10/${d}.csv`), "latin1"));
    parts.push(readFileSync(path.join(here, `pas-csv/${LATER_MONTH}/${d}.csv`), "latin1"));
    parts.push(
      readFileSync(path.join(here, `pas-xml/2026-10/${d}.xml`), "utf8")
        .replaceAll("&lt;", "<")
        .replaceAll("&gt;", ">")
        .replaceAll("&quot;", '"')
        .replaceAll("&amp;", "&"),
    );
  }
  return parts.join("\n");
}

function writeCodeLists(): void {
  const dir = path.join(here, "code-lists");
  mkdirSync(dir, { recursive: true });
  const list = (title: string, codes: string[]) =>
    `${title}\n# A provider loads its own licensed copy; this holds only the codes the samples use.\n${[...new Set(codes)].sort().join("\n")}\n`;
  writeFileSync(
    path.join(dir, "icd10.txt"),
    list(
      "# Sample ICD-10 list (stored form: no dot, 3-character codes padded with X).",
      codesInUse.icd10.map(storedIcd10),
    ),
  );
  writeFileSync(
    path.join(dir, "opcs4.txt"),
    list(
      "# Sample OPCS-4.10 list (stored form: 4 characters, no dot).",
      codesInUse.opcs4.map(storedOpcs4),
    ),
  );
}

/** A markdown table with padded columns, as the repository's formatter (Biome) writes it. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...rows.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |\n`;
  return line(header) + line(widths.map((w) => "-".repeat(w))) + rows.map(line).join("");
}

const README_START = "<!-- scenarios:start (written by generate.ts --samples) -->";
const README_END = "<!-- scenarios:end -->";

/** The scenario tables of both systems, as markdown, between the README's markers. */
function writeReadmeTables(systems: readonly SampleSystem[]): void {
  const file = path.join(here, "README.md");
  const readme = readFileSync(file, "utf8");
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start === -1 || end === -1) throw new Error("samples/README.md lacks the scenario markers");
  const sections = systems.map((s) => {
    const rows = s.table.map((r) => [
      r.dataset,
      r.what.replaceAll("|", "\\|").replaceAll("<", "&lt;"),
      String(r.times),
      r.outOfScope
        ? "out of scope"
        : r.expect.length === 0
          ? "none (accepted)"
          : r.expect.map((x) => `\`${x}\``).join(" + "),
    ]);
    const c = s.expected.datasets;
    const totals = (["episodes", "proms", "adverse_events"] as const)
      .map(
        (d) =>
          `${d} ${c[d].read} read, ${c[d].valid} valid, ${c[d].rejected} rejected, ${c[d].out_of_scope} out of scope`,
      )
      .join("; ");
    return `### ${s.name}: ${s.expected.verdict}\n\n${totals}.\n\n${markdownTable(["dataset", "scenario", "records", "issues per record"], rows)}`;
  });
  const next = `${readme.slice(0, start + README_START.length)}\n\n${sections.join("\n")}\n${readme.slice(end)}`;
  writeFileSync(file, next);
}

/** One month in the MediPAS layout under `out/<period>/`, and its expectations beside it. */
async function writeMonth(s: SampleSystem, out: string): Promise<void> {
  const period = s.expected.period;
  await writeMedipas(s, path.join(out, period), Number(period.replace("-", "")));
  writeFileSync(
    path.join(out, `expected-${period}.json`),
    `${JSON.stringify(s.expected, null, 2)}\n`,
  );
}

function summaryOf(s: SampleSystem): string {
  return `${s.name}: ${s.expected.verdict}; ${Object.entries(s.expected.datasets)
    .map(
      ([d, c]) =>
        `${d} ${c.read} read / ${c.valid} valid / ${c.rejected} rejected / ${c.out_of_scope} out of scope`,
    )
    .join("; ")}`;
}

async function writeSamples(): Promise<void> {
  const medipas = medipasSample();
  const carepoint = carepointSample();
  const later = monthSample(LATER_MONTH);
  checkCoverage([medipas, carepoint, later]);
  await writeMedipas(medipas);
  await writeCarepoint(carepoint);
  await writeMonth(later, path.join(here, "pas-csv"));
  checkCsvBytes();
  writeFileSync(
    path.join(here, "pas-csv/expected.json"),
    `${JSON.stringify(medipas.expected, null, 2)}\n`,
  );
  writeFileSync(
    path.join(here, "pas-xml/expected.json"),
    `${JSON.stringify(carepoint.expected, null, 2)}\n`,
  );
  const pii = piiOf(
    [...medipas.people, ...carepoint.people, ...later.people],
    [...allIncidentTexts, ...allCommentTexts, ...allReporters],
  );
  checkPii(pii, [medipas, carepoint, later]);
  const planted = plantedText();
  writeFileSync(
    path.join(here, "pii-values.json"),
    `${JSON.stringify(
      pii.filter((v) => planted.includes(v)),
      null,
      2,
    )}\n`,
  );
  writeCodeLists();
  mkdirSync(path.join(root, "mappings/medipas/lookups"), { recursive: true });
  writeFileSync(
    path.join(root, "mappings/medipas/lookups/consultants.csv"),
    `local_id,gmc_code\n${Object.entries(medipasConsultants)
      .map(([k, v]) => `${k},${v}`)
      .join("\n")}\n`,
  );
  writeReadmeTables([medipas, carepoint, later]);
  console.log(summaryOf(medipas));
  console.log(summaryOf(carepoint));
  console.log(summaryOf(later));
}

const { values } = parseArgs({
  options: {
    samples: { type: "boolean" },
    period: { type: "string" },
    rows: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    format: { type: "string", default: "csv" },
  },
});

const rows = Number(values.rows);
if (values.samples) {
  await writeSamples();
} else if (values.period !== undefined && values.rows === undefined) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period) || values.period < BUNDLED_MONTH) {
    console.error(`--period must be YYYY-MM, ${BUNDLED_MONTH} or later`);
    process.exitCode = 64;
  } else {
    const out = path.resolve(values.out ?? path.join(here, "pas-csv"));
    const sample = monthSample(values.period);
    if (values.period === BUNDLED_MONTH) await writeMedipas(sample, path.join(out, BUNDLED_MONTH));
    else await writeMonth(sample, out);
    console.log(`wrote ${path.join(out, values.period)}: ${summaryOf(sample)}`);
  }
} else if (
  values.rows !== undefined &&
  values.out !== undefined &&
  Number.isInteger(rows) &&
  rows > 0 &&
  (values.format === "csv" || values.format === "xml")
) {
  const started = performance.now();
  const written = await writeBenchExtracts({
    rows,
    seed: Number(values.seed),
    out: path.resolve(values.out),
    format: values.format,
  });
  console.log(
    `wrote ${written.episodes} episodes, ${written.proms} PROMs, ${written.events} events (${values.format}) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  console.error(
    "usage: node samples/generate.ts --samples | --period YYYY-MM [--out DIR] | --rows N [--seed S] --out DIR [--format csv|xml]",
  );
  process.exitCode = 64;
}
