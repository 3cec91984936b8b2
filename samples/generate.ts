// Writes the bundled sample extracts (--samples) or large synthetic extracts for benchmarks
// (--rows N --seed S --out DIR [--format csv|xml]). Deterministic: the same arguments always
// give the same bytes. All data is synthetic.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
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

async function writeMedipas(s: SampleSystem): Promise<void> {
  const dir = path.join(here, "pas-csv/2026-10");
  const rng = new Rng(7);
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

async function writeSamples(): Promise<void> {
  const medipas = medipasSample();
  const carepoint = carepointSample();
  await writeMedipas(medipas);
  await writeCarepoint(carepoint);
  writeFileSync(
    path.join(here, "pas-csv/expected.json"),
    `${JSON.stringify(medipas.expected, null, 2)}\n`,
  );
  writeFileSync(
    path.join(here, "pas-xml/expected.json"),
    `${JSON.stringify(carepoint.expected, null, 2)}\n`,
  );
  const pii = piiOf(
    [...medipas.people, ...carepoint.people],
    [...allIncidentTexts, ...allCommentTexts, ...allReporters],
  );
  writeFileSync(path.join(here, "pii-values.json"), `${JSON.stringify(pii, null, 2)}\n`);
  mkdirSync(path.join(root, "mappings/medipas/lookups"), { recursive: true });
  writeFileSync(
    path.join(root, "mappings/medipas/lookups/consultants.csv"),
    `local_id,gmc_code\n${Object.entries(medipasConsultants)
      .map(([k, v]) => `${k},${v}`)
      .join("\n")}\n`,
  );
  const summary = (name: string, s: SampleSystem) =>
    `${name}: ${s.expected.verdict}; ${Object.entries(s.expected.datasets)
      .map(
        ([d, c]) =>
          `${d} ${c.read} read / ${c.valid} valid / ${c.rejected} rejected / ${c.out_of_scope} out of scope`,
      )
      .join("; ")}`;
  console.log(summary("pas-csv", medipas));
  console.log(summary("pas-xml", carepoint));
}

const { values } = parseArgs({
  options: {
    samples: { type: "boolean" },
    rows: { type: "string" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    format: { type: "string", default: "csv" },
  },
});

if (values.samples) {
  await writeSamples();
} else if (values.rows !== undefined && values.out !== undefined) {
  const format = values.format === "xml" ? "xml" : "csv";
  const started = performance.now();
  const written = await writeBenchExtracts({
    rows: Number(values.rows),
    seed: Number(values.seed),
    out: path.resolve(values.out),
    format,
  });
  console.log(
    `wrote ${written.episodes} episodes, ${written.proms} PROMs, ${written.events} events (${format}) to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} else {
  console.error(
    "usage: node samples/generate.ts --samples | --rows N [--seed S] --out DIR [--format csv|xml]",
  );
  process.exitCode = 64;
}
