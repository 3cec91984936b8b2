// `npm run bench [-- --rows N] [-- --json]`: the performance benchmark (docs/performance.md).
// Generates deterministic synthetic extracts with the samples generator, then measures the
// reference (csv-parse in object mode merely parsing the episodes file) and the whole month's
// `validate` as a child process (wall time, CPU time and peak RSS from GNU time), for the CSV
// layout and, unless --no-xml, the XML one; each against the floor the project keeps. Each
// validate run is paired with a reference run just before it, each in a fresh process, so the
// ratio compares the two at the same moment on a machine whose speed drifts.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as csvParse } from "csv-parse";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    json: { type: "boolean", default: false },
    "no-xml": { type: "boolean", default: false },
    dir: { type: "string", default: path.join(os.tmpdir(), "phin-bench") },
    repeat: { type: "string", default: "1" },
    // Internal: the reference measurement in a child process (prints its seconds).
    reference: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(`usage: npm run bench [-- options]   (docs/performance.md)
  --rows N        episodes in the month (default 100000; with ~0.4 N PROMs, ~0.1 N events)
  --json          one JSON object on stdout instead of the table
  --no-xml        skip the XML layout
  --dir DIR       where generated extracts are cached (default $TMPDIR/phin-bench)
  --repeat N      N pairs of (reference, validate) runs; the medians are reported (default 1)
`);
  process.exit(0);
}
if (values.reference !== undefined) {
  process.stdout.write(`${await csvParseSeconds(values.reference)}\n`);
  process.exit(0);
}
const rows = Number(values.rows);
const repeat = Number(values.repeat);
if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(repeat) || repeat < 1) {
  process.stderr.write("bench: --rows and --repeat take whole numbers >= 1\n");
  process.exit(2);
}
const log = (s: string) => {
  if (!values.json) process.stderr.write(`${s}\n`);
};
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

/** The floor (docs/performance.md): what every change must keep. */
const floor = { ratioFullToParse: 0.8, rssMb100k: 300, rssMb1m: 600, xmlRecordsPerS: 10_000 };

function dataset(format: "csv" | "xml"): string {
  const dir = path.join(values.dir, `${format}-${rows}`);
  if (!existsSync(path.join(dir, "phin.config.json"))) {
    log(`generating ${rows.toLocaleString("en-GB")} ${format} episodes in ${dir} ...`);
    const args = ["--rows", String(rows), "--seed", "1", "--out", dir, "--format", format];
    const run = spawnSync(process.execPath, [path.join(root, "samples/generate.ts"), ...args], {
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (run.status !== 0) throw new Error("generation failed");
  }
  return dir;
}

async function csvParseSeconds(file: string): Promise<number> {
  const started = performance.now();
  const parser = createReadStream(file).pipe(
    csvParse({ columns: true, delimiter: ";", encoding: "latin1" }),
  );
  for await (const _record of parser);
  return (performance.now() - started) / 1000;
}

interface TimedRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** One `validate` of the month in `dir` as the installed command runs it, under GNU time. */
function timedValidate(dir: string): TimedRun {
  const started = performance.now();
  const run = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%M %U %S",
      process.execPath,
      path.join(root, "bin/phin-submit.js"),
      "validate",
      "--config",
      path.join(dir, "phin.config.json"),
      "--period",
      "2026-10",
      "--quiet",
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  const seconds = (performance.now() - started) / 1000;
  // 0 (ready) and 65 (blocked) are verdicts; anything else means the run broke.
  if (run.status !== 0 && run.status !== 65)
    throw new Error(`validate of ${dir} exited ${run.status}: ${run.stderr.slice(-500)}`);
  const [kb, user, sys] = (run.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return {
    seconds,
    cpuSeconds: round((user ?? 0) + (sys ?? 0), 2),
    peakRssMb: Math.round((kb ?? 0) / 1024),
  };
}

/** The reference in a fresh process, as validate runs in one. */
function referenceSeconds(file: string): number {
  const run = spawnSync(process.execPath, [import.meta.filename, "--reference", file], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`the reference run failed: ${run.stderr.slice(-500)}`);
  return Number(run.stdout);
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[(values.length - 1) >> 1] as number;

/** `repeat` validate runs, each just after a reference run when `referenceFile` is given. */
function validateRuns(dir: string, referenceFile?: string) {
  const pairs = Array.from({ length: repeat }, () => {
    const reference = referenceFile === undefined ? Number.NaN : referenceSeconds(referenceFile);
    return { reference, run: timedValidate(dir) };
  });
  const runs = pairs.map((p) => p.run);
  const medianRun = [...runs].sort((a, b) => a.seconds - b.seconds)[(repeat - 1) >> 1] as TimedRun;
  return {
    ...medianRun,
    runsSeconds: runs.map((r) => round(r.seconds, 2)),
    referenceSeconds: median(pairs.map((p) => p.reference)),
    ratios: pairs.map((p) => round(p.reference / p.run.seconds, 2)),
  };
}

const csvDir = dataset("csv");
const episodesFile = path.join(csvDir, "2026-10/episodes.csv");
log(`measuring ${rows.toLocaleString("en-GB")} episodes ...`);
const full = validateRuns(csvDir, episodesFile);
const xml = values["no-xml"] ? undefined : validateRuns(dataset("xml"));
const parseSeconds = full.referenceSeconds;
const ratio = median(full.ratios);
const rssFloor = rows <= 100_000 ? floor.rssMb100k : floor.rssMb1m;
const xmlRate = xml === undefined ? null : round(rows / xml.seconds);

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  episodes: rows,
  episodes_file_mb: round(statSync(episodesFile).size / 1e6),
  repeat,
  csv_parse_objects_seconds: round(parseSeconds, 2),
  csv_parse_objects_rows_per_s: round(rows / parseSeconds),
  full_seconds: round(full.seconds, 2),
  full_runs_seconds: full.runsSeconds,
  ratios_full_to_parse: full.ratios,
  full_cpu_seconds: full.cpuSeconds,
  full_episodes_per_s: round(rows / full.seconds),
  ratio_full_to_parse: ratio,
  peak_rss_mb: full.peakRssMb,
  xml_seconds: xml === undefined ? null : round(xml.seconds, 2),
  xml_records_per_s: xmlRate,
  xml_peak_rss_mb: xml?.peakRssMb ?? null,
  floor: {
    ratio_full_to_parse: { min: floor.ratioFullToParse, ok: ratio >= floor.ratioFullToParse },
    peak_rss_mb: { max: rssFloor, ok: full.peakRssMb <= rssFloor },
    xml_records_per_s: {
      min: floor.xmlRecordsPerS,
      ok: xmlRate === null ? null : xmlRate >= floor.xmlRecordsPerS,
    },
  },
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const line = (label: string, value: string) => console.log(`${label.padEnd(46)} ${value}`);
  const mark = (ok: boolean | null) =>
    ok === null ? "" : ok ? "  (floor: ok)" : "  (BELOW FLOOR)";
  console.log(`\nphin-submit benchmark, ${result.date}, node ${result.node}, ${result.cpus} CPUs`);
  line("episodes (+ ~0.4 N PROMs, ~0.1 N events)", rows.toLocaleString("en-GB"));
  line("episodes.csv", `${result.episodes_file_mb} MB`);
  line(
    `csv-parse object mode, parse only${repeat > 1 ? ", median" : ""}`,
    `${result.csv_parse_objects_seconds} s`,
  );
  line(
    "validate, whole month (child process)",
    `${result.full_seconds} s, ${result.full_episodes_per_s.toLocaleString("en-GB")} episodes/s, CPU ${result.full_cpu_seconds} s`,
  );
  if (repeat > 1) {
    line(`  median of ${repeat} runs (wall s)`, result.full_runs_seconds.join(", "));
    line("  ratio of each pair", full.ratios.join(", "));
  }
  line(
    `  ratio csv-parse time / validate time${repeat > 1 ? ", median" : ""}`,
    `${ratio} (min ${floor.ratioFullToParse})${mark(result.floor.ratio_full_to_parse.ok)}`,
  );
  line(
    "  peak RSS",
    `${result.peak_rss_mb} MB (max ${rssFloor})${mark(result.floor.peak_rss_mb.ok)}`,
  );
  if (xml !== undefined)
    line(
      "XML layout, whole month",
      `${result.xml_seconds} s, ${xmlRate?.toLocaleString("en-GB")} records/s (min ${floor.xmlRecordsPerS})${mark(result.floor.xml_records_per_s.ok)}, peak RSS ${result.xml_peak_rss_mb} MB`,
    );
}
