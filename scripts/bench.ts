// `npm run bench [-- --rows N] [-- --json]`: the performance benchmark (docs/performance.md).
// Generates deterministic synthetic extracts with the samples generator, then measures in one
// run: the raw byte read of the episodes file (the I/O ceiling), parse-only with the project's
// CSV source and with csv-parse (object mode, the reference), and the full `validate` as a
// child process (wall time and peak RSS from the OS); also at 100k and 3M rows to show how
// memory grows, and the XML source + submission.xml at the same size.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parse as csvParse } from "csv-parse";
import { openCsvSource } from "../src/extract/csv-source.ts";
import { defaultSourceLimits } from "../src/extract/source.ts";
import { CrossRecordKeys } from "../src/validate/cross-record.ts";
import { EpisodeIndex } from "../src/validate/episode-index.ts";
import { timedValidate } from "./timed-validate.ts";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    json: { type: "boolean", default: false },
    "no-scaling": { type: "boolean", default: false },
    "no-xml": { type: "boolean", default: false },
    dir: { type: "string", default: path.join(os.tmpdir(), "phin-bench") },
    repeat: { type: "string", default: "1" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  process.stdout.write(`usage: npm run bench [-- options]   (docs/performance.md)
  --rows N        episodes to measure (default 1000000; also 100k and 3M unless --no-scaling)
  --json          one JSON object on stdout instead of the table
  --no-scaling    skip the 100k and 3M runs
  --no-xml        skip the XML source + submission.xml run
  --dir DIR       where generated datasets are cached (default $TMPDIR/phin-bench)
  --repeat N      run each full validate N times and report the median run (default 1)
`);
  process.exit(0);
}
const rows = Number(values.rows);
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1) {
  process.stderr.write("bench: --repeat takes a whole number >= 1\n");
  process.exit(2);
}
const log = (s: string) => {
  if (!values.json) process.stderr.write(`${s}\n`);
};

function dataset(n: number, format: "csv" | "xml"): string {
  const dir = path.join(values.dir, `${format}-${n}`);
  if (!existsSync(path.join(dir, "phin.config.json"))) {
    log(`generating ${n.toLocaleString("en-GB")} ${format} episodes in ${dir} ...`);
    const run = spawnSync(
      process.execPath,
      [
        path.join(root, "samples/generate.ts"),
        "--rows",
        String(n),
        "--seed",
        "1",
        "--out",
        dir,
        "--format",
        format,
      ],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    if (run.status !== 0) throw new Error("generation failed");
  }
  return dir;
}

async function rawRead(file: string): Promise<number> {
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
    bytes += (chunk as Buffer).length;
  void bytes;
  return (performance.now() - started) / 1000;
}

async function parseOnly(file: string): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  const source = await openCsvSource({
    path: file,
    file,
    encoding: "windows-1252",
    delimiter: ";",
    quote: '"',
    header: true,
    limits: defaultSourceLimits,
  });
  let n = 0;
  for await (const batch of source.batches()) n += batch.rows.length;
  return { seconds: (performance.now() - started) / 1000, rows: n };
}

async function csvParseObjects(file: string): Promise<{ seconds: number; rows: number }> {
  const started = performance.now();
  let n = 0;
  const parser = createReadStream(file).pipe(
    csvParse({ columns: true, delimiter: ";", encoding: "latin1", relax_column_count: false }),
  );
  for await (const _record of parser) n++;
  return { seconds: (performance.now() - started) / 1000, rows: n };
}

/**
 * Bytes per episode the rules across records keep, in memory (the episode index's bucket
 * directory: the key sets themselves are in scratch files) and on disk (the scratch files of
 * sightings and the episode index), as the episodes pass fills them.
 */
function keySetBytesPerEpisode(n: number): { memory: number; scratch: number } {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "phin-bench-keys-"));
  try {
    // Measured as a large run keeps it: on disk (a small index is held whole, up to 8 MiB).
    const index = new EpisodeIndex(path.join(scratch, "index"), undefined, 0);
    const keys = new CrossRecordKeys({ scratchDir: scratch, name: "episodes", index });
    for (let i = 1; i <= n; i++) {
      const id = `E${String(i).padStart(8, "0")}`;
      const pseudonym = createHash("sha256").update(id).digest("hex");
      keys.see(id, `S${String(i).padStart(8, "0")}`, pseudonym, i + 1, i - 1, {
        status: "accepted",
        pseudonymPrefix: null,
        admissionDate: "2026-10-01",
        dischargeDate: "2026-10-03",
        primaryProcedureDate: "2026-10-01",
        dischargeMethod: "1",
        dischargeDestination: "19",
      });
    }
    keys.judge();
    const result = { memory: index.bytes / n, scratch: (keys.fileBytes + index.fileBytes) / n };
    keys.close();
    index.close();
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The full validate, `--repeat` times: the median run by wall time (single runs of the same
 * code vary by 5-15 % on this project's machines), with every run's time kept for the JSON.
 */
function fullValidate(dir: string) {
  const runs = Array.from({ length: repeat }, () => timedValidate(root, dir));
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as (typeof runs)[number];
  return { ...median, runsSeconds: runs.map((r) => round(r.seconds, 2)) };
}

const mb = (file: string) => statSync(file).size / 1e6;
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

const dir = dataset(rows, "csv");
const episodesFile = path.join(dir, "2026-10/episodes.csv");
const size = mb(episodesFile);
log(`measuring ${rows.toLocaleString("en-GB")} episodes (${round(size)} MB episodes.csv) ...`);
const raw = await rawRead(episodesFile);
const parse = await parseOnly(episodesFile);
const reference = await csvParseObjects(episodesFile);
const full = fullValidate(dir);
const fullRate = rows / full.seconds;

const keyBytes = keySetBytesPerEpisode(Math.min(rows, 1_000_000));

let scaling: { rows: number; seconds: number; cpuSeconds: number; peakRssMb: number }[] = [];
if (!values["no-scaling"]) {
  scaling = [100_000, 3_000_000]
    .filter((n) => n !== rows)
    .map((n) => ({ rows: n, ...fullValidate(dataset(n, "csv")) }));
}
const rss3m = scaling.find((s) => s.rows === 3_000_000)?.peakRssMb;

let xml: ReturnType<typeof fullValidate> | undefined;
if (!values["no-xml"]) xml = fullValidate(dataset(rows, "xml"));

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  episodes: rows,
  episodes_file_mb: round(size),
  raw_read_mb_per_s: round(size / raw),
  parse_only_rows_per_s: round(parse.rows / parse.seconds),
  csv_parse_objects_rows_per_s: round(reference.rows / reference.seconds),
  repeat,
  full_seconds: round(full.seconds, 2),
  full_runs_seconds: full.runsSeconds,
  full_cpu_seconds: full.cpuSeconds,
  full_episodes_per_s: round(fullRate),
  full_mb_per_s: round(size / full.seconds),
  ratio_full_to_parse: round(fullRate / (reference.rows / reference.seconds), 2),
  ratio_full_to_own_parse: round(fullRate / (parse.rows / parse.seconds), 2),
  ratio_full_to_ceiling: round(size / full.seconds / (size / raw), 3),
  peak_rss_mb: full.peakRssMb,
  full_pass_records_per_s: full.passRecordsPerS,
  key_set_bytes_per_episode: round(keyBytes.memory, 1),
  key_set_scratch_bytes_per_episode: round(keyBytes.scratch),
  scaling,
  rss_ratio_3m_to_1m: rss3m === undefined ? null : round(rss3m / full.peakRssMb, 2),
  xml_records_per_s: xml === undefined ? null : round(rows / xml.seconds),
  xml_peak_rss_mb: xml?.peakRssMb ?? null,
  xml_runs_seconds: xml?.runsSeconds ?? null,
};

if (values.json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const line = (label: string, value: string) => console.log(`${label.padEnd(44)} ${value}`);
  console.log(`\nphin-submit benchmark, ${result.date}, node ${result.node}, ${result.cpus} CPUs`);
  line("episodes (with ~0.4 N PROMs, ~0.1 N events)", rows.toLocaleString("en-GB"));
  line("episodes.csv", `${result.episodes_file_mb} MB`);
  line("raw byte read (I/O ceiling)", `${result.raw_read_mb_per_s} MB/s`);
  line(
    "parse only, project CSV source",
    `${result.parse_only_rows_per_s.toLocaleString("en-GB")} rows/s`,
  );
  line(
    "parse only, csv-parse object mode",
    `${result.csv_parse_objects_rows_per_s.toLocaleString("en-GB")} rows/s`,
  );
  line(
    "full validate (child process)",
    `${result.full_seconds} s, ${result.full_episodes_per_s.toLocaleString("en-GB")} episodes/s, ${result.full_mb_per_s} MB/s`,
  );
  if (repeat > 1) line(`  median of ${repeat} runs (wall s)`, result.full_runs_seconds.join(", "));
  line("  CPU time (user + system)", `${result.full_cpu_seconds} s`);
  const passes = Object.entries(result.full_pass_records_per_s);
  if (passes.length > 0)
    line(
      "  each pass on its own (records/s)",
      passes.map(([name, rate]) => `${name} ${rate.toLocaleString("en-GB")}`).join(", "),
    );
  line("  peak RSS", `${result.peak_rss_mb} MB`);
  line(
    "  key sets of the rules across records",
    `${result.key_set_bytes_per_episode} bytes/episode in memory, ${result.key_set_scratch_bytes_per_episode} in scratch files`,
  );
  line("  ratio full / csv-parse objects", String(result.ratio_full_to_parse));
  line("  ratio full / own parse", String(result.ratio_full_to_own_parse));
  line("  ratio full / I/O ceiling", String(result.ratio_full_to_ceiling));
  for (const s of scaling)
    line(
      `full validate at ${s.rows.toLocaleString("en-GB")}`,
      `${round(s.seconds, 2)} s (${round(s.rows / s.seconds).toLocaleString("en-GB")} episodes/s), peak RSS ${s.peakRssMb} MB`,
    );
  line("RSS 3M / 1M", String(result.rss_ratio_3m_to_1m));
  if (xml)
    line(
      "XML source + submission.xml",
      `${result.xml_records_per_s?.toLocaleString("en-GB")} records/s, peak RSS ${result.xml_peak_rss_mb} MB` +
        (repeat > 1 ? ` (median of ${result.xml_runs_seconds?.join(", ")} s)` : ""),
    );
}
